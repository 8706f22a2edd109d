// The session check every staff page starts with: logged in (GET /api/v1/me) with a role
// that may use the page, and the WebSocket token of this tab (kept by login() in
// sessionStorage). Not logged in, or no token in this tab → /login?next= back here
// (with expired=1 when this tab had a session, which the login page explains);
// a role that may not use the page → a clear message.
// What it leaves to others: the page itself (src/pages/mod.ts, present.ts).
import { h, replace } from '../dom';
import { t, type MessageKey } from '../i18n';
import { me, sessionToken, type Role, type Session } from '../api';
import { errorState, loadingState } from '../components/states';
import { navigate } from '../router';

export function roleName(role: Role): string {
  return t(`role.${role}` as MessageKey);
}

/** Calls `ready` once the session and token are known; returns a cancel function. */
export function requireStaff(root: HTMLElement, allowed: Role[], ready: (session: Session, token: string) => void): () => void {
  let alive = true;
  function load(): void {
    replace(root, loadingState());
    me().then(
      (session) => {
        if (!alive) return;
        const token = sessionToken();
        if (!session || !token) {
          // A tab that had a token and lost the session: it expired (or was revoked).
          navigate(`/login?next=${encodeURIComponent(location.pathname)}${token ? '&expired=1' : ''}`, { replace: true });
          return;
        }
        if (!allowed.includes(session.role)) {
          replace(root, errorState(null, undefined, t('staff.forbiddenTitle'), t('staff.forbiddenBody', { role: allowed.map(roleName).join(' / ') })));
          return;
        }
        ready(session, token);
      },
      (err: unknown) => alive && replace(root, errorState(err, load)),
    );
  }
  load();
  return () => {
    alive = false;
  };
}

/** The connection line staff pages show ("connected", "reconnecting"…). */
export function connLine(): { el: HTMLElement; set(state: string): void } {
  const el = h('p.conn', { role: 'status', 'data-testid': 'conn-state' });
  return {
    el,
    set(state) {
      el.dataset.state = state;
      replace(el, h('span.conn-dot', { 'aria-hidden': 'true' }), h('span.conn-label', null, t(`chat.state.${state}` as MessageKey)));
    },
  };
}
