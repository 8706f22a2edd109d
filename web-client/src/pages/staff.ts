// Staff home pages (/org, /mod, /present and their sub-paths) — placeholders for now:
// who is logged in, with which role, and a logout button. Not logged in → /login with
// ?next= back here; logged in with a role that may not use the page → a clear message.
// Later issues replace the placeholder body with the organizer, moderator and
// presenter tools; the session check stays here.
import { h, replace } from '../dom';
import { t, type MessageKey } from '../i18n';
import { listForums, logout, me, type Role, type Session } from '../api';
import { errorMessage, errorState, loadingState } from '../components/states';
import { setTitle } from '../components/shell';
import { navigate, type PageContext, type Page } from '../router';

interface Area {
  title: MessageKey;
  allowed: Role[];
}

const AREAS: Record<string, Area> = {
  org: { title: 'staff.orgTitle', allowed: ['organizer'] },
  mod: { title: 'staff.modTitle', allowed: ['moderator', 'organizer'] },
  present: { title: 'staff.presentTitle', allowed: ['panelist', 'moderator', 'organizer'] },
};

function roleName(role: Role): string {
  return t(`role.${role}` as MessageKey);
}

function sessionBar(session: Session): HTMLElement {
  const status = h('p.notice.notice-error', { role: 'alert', hidden: true });
  const button = h('button.button.button-secondary', { type: 'button', 'data-testid': 'logout' }, t('staff.logout')) as HTMLButtonElement;
  button.addEventListener('click', () => {
    button.disabled = true;
    replace(button, t('staff.loggingOut'));
    logout().then(
      () => navigate('/login?logged_out=1', { replace: true }),
      (err: unknown) => {
        button.disabled = false;
        replace(button, t('staff.logout'));
        status.hidden = false;
        replace(status, errorMessage(err));
      },
    );
  });
  return h(
    'div.card.session-card',
    { 'data-testid': 'session' },
    h('p.session-name', { 'data-testid': 'logged-in-as' }, t('staff.loggedInAs', { name: session.name })),
    h('p.session-role', null, t('staff.role', { role: roleName(session.role) })),
    button,
    status,
  );
}

function staffPage(areaId: keyof typeof AREAS): Page {
  return ({ root }: PageContext) => {
    const area = AREAS[areaId]!;
    setTitle(t(area.title));
    const body = h('div');
    replace(root, h('div.narrow', null, h('h1.page-title', null, t(area.title)), body));
    let alive = true;
    function load(): void {
      replace(body, loadingState());
      me().then(
        (session) => {
          if (!alive) return;
          if (!session) {
            navigate(`/login?next=${encodeURIComponent(location.pathname)}`, { replace: true });
            return;
          }
          if (!area.allowed.includes(session.role)) {
            replace(
              body,
              errorState(null, undefined, t('staff.forbiddenTitle'), t('staff.forbiddenBody', { role: area.allowed.map(roleName).join(' / ') })),
              sessionBar(session),
            );
            return;
          }
          if (areaId === 'org') {
            replace(body, sessionBar(session), h('p.muted', null, t('staff.placeholder')));
            return;
          }
          // The console and the presenter screen work on one forum: pick it here.
          const list = h('ul.forum-pick', { 'data-testid': 'forum-pick' }, loadingState());
          replace(body, sessionBar(session), h('h2.section-title', null, t('staff.pickForum')), list);
          listForums().then(
            (forums) => alive && replace(list, forums.map((f) => h('li', null,
              h('a.button.button-secondary.button-block', { href: `/${areaId}/${encodeURIComponent(f.id)}`, 'data-testid': 'forum-pick-link' }, f.title)))),
            (err: unknown) => alive && replace(list, errorState(err, load)),
          );
        },
        (err: unknown) => alive && replace(body, errorState(err, load)),
      );
    }
    load();
    return () => {
      alive = false;
    };
  };
}

export const org = staffPage('org');
export const mod = staffPage('mod');
export const present = staffPage('present');
export default org;
