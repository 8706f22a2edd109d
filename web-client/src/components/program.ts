// The forum's programme on the resident page: the agenda (议程: ordered topics with
// their planned minutes, the current one marked while live) and the panel (嘉宾: name,
// title, role). Read from the forum record (GET /api/v1/forums/<id>) when the server
// includes them: `agenda: [{id, title, planned_minutes}]`, `panel: [{name, title,
// role}]`, `current_agenda_item` (an agenda id or null). A forum without them shows
// nothing. Everything is rendered as text.
// What it leaves to others: the forum record (server), the page layout (forum.ts).
import { h } from '../dom';
import { hasMessage, t } from '../i18n';
import type { Forum } from '../api';

export interface AgendaItem {
  id?: number;
  title: string;
  planned_minutes?: number;
  minutes?: number;
}

export interface Panelist {
  name: string;
  title?: string;
  role?: string;
}

export function agendaOf(forum: Forum): AgendaItem[] {
  return Array.isArray(forum.agenda) ? (forum.agenda as AgendaItem[]).filter((a) => a && typeof a.title === 'string') : [];
}

export function panelOf(forum: Forum): Panelist[] {
  return Array.isArray(forum.panel) ? (forum.panel as Panelist[]).filter((p) => p && typeof p.name === 'string') : [];
}

export function currentItem(forum: Forum): AgendaItem | undefined {
  const id = forum.current_agenda_item;
  return typeof id === 'number' ? agendaOf(forum).find((a) => a.id === id) : undefined;
}

function roleName(role: string | undefined): string {
  const key = `panel.role.${role ?? ''}`;
  return role && hasMessage(key) ? t(key) : '';
}

/** "Now: <item>" while the forum is live and the server says which item is current. */
export function currentLine(forum: Forum): HTMLElement | null {
  const cur = forum.state === 'live' ? currentItem(forum) : undefined;
  return cur ? h('p.agenda-now', { 'data-testid': 'agenda-now' }, h('span.live-dot', { 'aria-hidden': 'true' }), t('agenda.now', { title: cur.title })) : null;
}

/** Agenda and panel; open by default before the forum (`collecting`), folded otherwise. */
export function programme(forum: Forum): HTMLElement | null {
  const agenda = agendaOf(forum);
  const panel = panelOf(forum);
  if (!agenda.length && !panel.length) return null;
  const cur = forum.state === 'live' ? currentItem(forum) : undefined;
  const details = h('details.programme.card', { 'data-testid': 'programme', open: forum.state === 'collecting' },
    h('summary.programme-summary', null, t('agenda.summary')),
    agenda.length ? h('section', { 'aria-labelledby': 'agenda-title' }, h('h2.q-heading', { id: 'agenda-title' }, t('agenda.title')),
      h('ol.agenda', { 'data-testid': 'agenda' }, agenda.map((a) => {
        const mins = a.planned_minutes ?? a.minutes;
        const now = cur && cur.id === a.id;
        return h(`li${now ? '.agenda-current' : ''}`, { 'aria-current': now ? 'step' : null, 'data-testid': 'agenda-item' },
          h('span', null, a.title), mins ? h('span.q-meta', null, ' · ', t('agenda.minutes', { n: mins })) : null,
          now ? h('span.badge.badge-live', null, t('agenda.nowBadge')) : null);
      }))) : null,
    panel.length ? h('section', { 'aria-labelledby': 'panel-title' }, h('h2.q-heading', { id: 'panel-title' }, t('panel.title')),
      h('ul.panel-list', { 'data-testid': 'panel' }, panel.map((p) => h('li', { 'data-testid': 'panelist' },
        h('span.panelist-name', null, p.name), p.title ? h('span.q-meta', null, ' · ', p.title) : null,
        roleName(p.role) ? h('span.q-meta', null, ' · ', roleName(p.role)) : null)))) : null);
  return details;
}
