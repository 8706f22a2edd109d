// Shared parts of the organizer pages: the area catalogue (tr), the page frame (title,
// area navigation, who is logged in with logout, the session check), the per-forum tab
// bar, error text by code, and date/time helpers for <input type="datetime-local">.
// What it leaves to others: each page's body (src/org/*.ts), the shell (main.ts).
import '../styles/org.css';
import { h, replace, type Child } from '../dom';
import { areaCatalogue, formatDateTime, hasMessage, t, type MessageKey } from '../i18n';
import { logout } from '../api';
import { errorState, loadingState } from '../components/states';
import { setTitle } from '../components/shell';
import { navigate } from '../router';
import zh from '../i18n/org/zh-CN.json';
import en from '../i18n/org/en.json';
import { ApiError, me, type ForumSummary, type Me } from './api';

export const tr = areaCatalogue(zh, en);
export type OrgKey = keyof typeof zh & string;

/** True when the org catalogue has `key`. */
export function hasOrgKey(key: string): key is OrgKey {
  return key in zh;
}

/** Catalogued text for an error: the org catalogue's "err.<code>", else the shared one. */
export function errText(err: unknown): string {
  if (err instanceof ApiError) {
    const k = `err.${err.code}`;
    if (hasOrgKey(k)) return tr(k);
    const shared = `error.${err.code}`;
    if (hasMessage(shared)) return t(shared as MessageKey);
  }
  return t('error.unknown');
}

export function stateName(state: string): string {
  const k = `state.${state}`;
  return hasMessage(k) ? t(k as MessageKey) : state;
}

export function stateBadge(state: string): HTMLElement {
  return h(`span.badge.org-badge.org-state-${state}`, { 'data-state': state, 'data-testid': 'forum-state' }, stateName(state));
}

export function when(v: string | number | null | undefined): string {
  if (v === null || v === undefined || v === '') return tr('common.noTime');
  return formatDateTime(v);
}

/** "2026-12-05T14:00" (local) for a datetime-local input, from RFC 3339 text. */
export function toLocalInput(rfc3339: string | number | null | undefined): string {
  if (rfc3339 === null || rfc3339 === undefined || rfc3339 === '') return '';
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** RFC 3339 with the browser's UTC offset, from a datetime-local value ("" stays ""). */
export function fromLocalInput(v: string): string {
  if (!v) return '';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:00${sign}${p(Math.floor(a / 60))}:${p(a % 60)}`;
}

/** A notice line for results of actions (role=status, or role=alert for errors). */
export function notice(): { el: HTMLElement; ok(text: string): void; fail(err: unknown): void; clear(): void } {
  const el = h('div.org-notice', { 'data-testid': 'org-notice', 'aria-live': 'polite' });
  return {
    el,
    ok(text) {
      replace(el, h('p.notice.notice-info', { role: 'status' }, text));
    },
    fail(err) {
      replace(el, h('p.notice.notice-error', { role: 'alert' }, typeof err === 'string' ? err : errText(err)));
    },
    clear() {
      replace(el);
    },
  };
}

function sessionBar(who: Me): HTMLElement {
  const button = h('button.button.button-secondary.org-logout', { type: 'button', 'data-testid': 'logout' }, t('staff.logout')) as HTMLButtonElement;
  const status = notice();
  button.addEventListener('click', () => {
    button.disabled = true;
    logout().then(
      () => navigate('/login?logged_out=1', { replace: true }),
      (err: unknown) => {
        button.disabled = false;
        status.fail(err);
      },
    );
  });
  return h(
    'div.org-session',
    { 'data-testid': 'session' },
    h('span.org-who', { 'data-testid': 'logged-in-as' }, t('staff.loggedInAs', { name: who.name })),
    button,
    status.el,
  );
}

export type Section = 'forums' | 'tickets' | 'webhooks';

export interface Frame {
  body: HTMLElement;
  who: Me;
  alive(): boolean;
}

/**
 * Draws the organizer frame into `root` once the session is known and calls `ready`.
 * Not logged in → /login?next= (by org/api.ts); a role outside `roles` → a message.
 * Returns the page's cleanup.
 */
export function orgFrame(
  root: HTMLElement,
  opts: { title: string; section: Section; roles?: Me['role'][]; wide?: boolean },
  ready: (frame: Frame) => void | (() => void),
): () => void {
  let alive = true;
  let inner: void | (() => void);
  setTitle(opts.title);
  const roles = opts.roles ?? ['organizer'];
  function load(): void {
    replace(root, h('div.org', null, h('h1.page-title', null, opts.title), loadingState()));
    me().then(
      (who) => {
        if (!alive) return;
        const body = h('div.org-body');
        const nav = h(
          'nav.org-nav',
          { 'aria-label': tr('nav.label') },
          h('a.org-nav-link', { href: '/org', 'aria-current': opts.section === 'forums' ? 'page' : null, 'data-testid': 'nav-forums' }, tr('nav.forums')),
          h('a.org-nav-link', { href: '/org/tickets', 'aria-current': opts.section === 'tickets' ? 'page' : null, 'data-testid': 'nav-tickets' }, tr('nav.tickets')),
          who.role === 'organizer'
            ? h('a.org-nav-link', { href: '/org/webhooks', 'aria-current': opts.section === 'webhooks' ? 'page' : null, 'data-testid': 'nav-webhooks' }, tr('nav.webhooks'))
            : null,
        );
        replace(
          root,
          h(
            `div.org${opts.wide ? '.org-wide' : ''}`,
            null,
            h('div.org-top', null, h('h1.page-title', null, opts.title), sessionBar(who)),
            nav,
            roles.includes(who.role)
              ? body
              : errorState(null, undefined, t('staff.forbiddenTitle'), t('staff.forbiddenBody', { role: roles.map((r) => t(`role.${r}` as MessageKey)).join(' / ') })),
          ),
        );
        if (roles.includes(who.role)) inner = ready({ body, who, alive: () => alive });
      },
      (err: unknown) => {
        if (!alive) return;
        if (err instanceof ApiError && err.status === 401) return; // on the way to /login
        replace(root, h('div.org', null, h('h1.page-title', null, opts.title), errorState(err, load)));
      },
    );
  }
  load();
  return () => {
    alive = false;
    if (typeof inner === 'function') inner();
  };
}

export type ForumTab = 'edit' | 'stream' | 'poster' | 'live';

/** The forum's heading and tabs (edit / stream / poster / live dashboard). */
export function forumHeader(forum: ForumSummary, current: ForumTab): HTMLElement {
  const base = `/org/f/${encodeURIComponent(forum.id)}`;
  const tabs: Array<[ForumTab, string, string]> = [
    ['edit', base, tr('tab.edit')],
    ['stream', `${base}/stream`, tr('tab.stream')],
    ['poster', `${base}/poster`, tr('tab.poster')],
    ['live', `${base}/live`, tr('tab.live')],
  ];
  return h(
    'div.org-forum-head',
    null,
    h('p.org-forum-title', null, h('span', { 'data-testid': 'forum-title' }, forum.title), ' ', stateBadge(forum.state)),
    h(
      'nav.org-tabs',
      { 'aria-label': tr('tab.label') },
      tabs.map(([id, href, label]) =>
        h('a.org-tab', { href, 'aria-current': id === current ? 'page' : null, 'data-testid': `tab-${id}` }, label),
      ),
    ),
  );
}

export function field(id: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h('div.field', null, h('label.label', { for: id }, label), control, hint ? h('p.field-hint', { id: `${id}-hint` }, hint) : null);
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section.card.org-card', null, h('h2.section-title', null, title), ...children);
}

/** Copies text to the clipboard; falls back to selecting an input's text. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function minutes(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 60000) return tr('unit.underMinute');
  const h_ = ms / 3600000;
  return h_ >= 1 ? tr('unit.hours', { n: h_.toFixed(1) }) : tr('unit.minutes', { n: Math.round(ms / 60000) });
}

/** tr() for keys built at run time (`cat.${c}`); unknown keys show the key itself. */
export function trx(key: string, params?: Record<string, string | number>): string {
  return tr(key as OrgKey, params);
}
