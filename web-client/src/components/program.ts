// The forum's programme on the resident page: the agenda (议程: ordered topics with
// their planned minutes, the current one marked) and the panel (嘉宾: name, title,
// role), from GET /api/v1/forums/<id>/program ({agenda:[{id,title,planned_minutes,
// current}], panel:[{name,title,role}], current_agenda_item}); while the forum is live
// the current item is also shown under the title (正在进行:…) and follows the
// `agenda_current` event of the forum stream (and a poll of the route, every minute).
// A forum without a programme (or a server without the route) shows nothing.
// Everything is rendered as text.
// What it leaves to others: the data (server, src/api.ts), the page layout (forum.ts).
import { h, replace } from '../dom';
import { hasMessage, t } from '../i18n';
import type { Forum, Program } from '../api';

function roleName(role: string | undefined): string {
  const key = `panel.role.${role ?? ''}`;
  return role && hasMessage(key) ? t(key) : '';
}

export interface ProgrammeView {
  /** The "now: …" line (empty unless live with a current item). */
  now: HTMLElement;
  /** The agenda and panel fold (empty without a programme). */
  box: HTMLElement;
  set(p: Program | null): void;
  setCurrent(id: number | null): void;
}

export function programmeView(forum: Forum): ProgrammeView {
  const now = h('div.agenda-now-slot');
  const box = h('div.programme-slot');
  let program: Program | null = null;
  let open = forum.state === 'collecting';

  function render(): void {
    const agenda = program?.agenda ?? [];
    const panel = program?.panel ?? [];
    const curId = program?.current_agenda_item ?? null;
    const cur = forum.state === 'live' && curId !== null ? agenda.find((a) => a.id === curId) : undefined;
    replace(now, cur ? h('p.agenda-now', { 'data-testid': 'agenda-now' }, h('span.live-dot', { 'aria-hidden': 'true' }), t('agenda.now', { title: cur.title })) : null);
    if (!agenda.length && !panel.length) return void replace(box);
    const details = h('details.programme.card', { 'data-testid': 'programme', open, ontoggle: () => (open = (details as HTMLDetailsElement).open) },
      h('summary.programme-summary', null, t('agenda.summary')),
      agenda.length ? h('section', { 'aria-labelledby': 'agenda-title' }, h('h2.q-heading', { id: 'agenda-title' }, t('agenda.title')),
        h('ol.agenda', { 'data-testid': 'agenda' }, agenda.map((a) => {
          const isNow = cur !== undefined && cur.id === a.id;
          return h(`li${isNow ? '.agenda-current' : ''}`, { 'aria-current': isNow ? 'step' : null, 'data-testid': 'agenda-item' },
            h('span', null, a.title), a.planned_minutes ? h('span.q-meta', null, ' · ', t('agenda.minutes', { n: a.planned_minutes })) : null,
            isNow ? h('span.badge.badge-live', null, t('agenda.nowBadge')) : null);
        }))) : null,
      panel.length ? h('section', { 'aria-labelledby': 'panel-title' }, h('h2.q-heading', { id: 'panel-title' }, t('panel.title')),
        h('ul.panel-list', { 'data-testid': 'panel' }, panel.map((p) => h('li', { 'data-testid': 'panelist' },
          h('span.panelist-name', null, p.name), p.title ? h('span.q-meta', null, ' · ', p.title) : null,
          roleName(p.role) ? h('span.q-meta', null, ' · ', roleName(p.role)) : null)))) : null);
    replace(box, details);
  }

  return {
    now,
    box,
    set(p) {
      program = p;
      render();
    },
    setCurrent(id) {
      if (!program) return;
      program = { ...program, current_agenda_item: id };
      render();
    },
  };
}
