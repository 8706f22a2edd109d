// The moderator console's agenda (issue 6): the forum's items and the one under
// discussion, read from GET /api/v1/forums/<id>/program with the tab's staff token
// (Bearer) when the console connects and again when an `agenda_current` event names
// an item it does not know; the filter of the question lists (all items / one item /
// no item); the item line of a question row; and the item picker of the selected
// question (a select that Enter submits, sent as `set_agenda_item`).
// Nothing here moves rows: pages/mod.ts keeps a row that stops matching the filter in
// place, marked, until the moderator changes the filter or shows new items.
// What it leaves to others: the ops and the lists (pages/mod.ts), the records
// (src/questions/model.ts).
import { h, replace } from '../dom';
import type { ChatEvent } from '../chat/client';
import type { Question } from '../questions/model';
import { tr } from './i18n';

export interface AgendaItem {
  id: number;
  title: string;
  planned_minutes?: number;
}

/** 'all', 'none' (questions without an item) or an item id. */
export type AgendaFilter = 'all' | 'none' | number;

export interface ConsoleAgenda {
  /** The filter bar: the item select and the "now: …" line. */
  el: HTMLElement;
  readonly filter: AgendaFilter;
  /** Changes whenever the items or the current item change (for redraw keys). */
  readonly version: number;
  load(): Promise<void>;
  matches(q: Question): boolean;
  /** The item's title, "#id" for an item not (yet) loaded, '' for none. */
  title(id: unknown): string;
  /** The item line of a question row. */
  badge(q: Question): HTMLElement;
  /** The "agenda item" form of the selected question. */
  picker(q: Question, move: (item: number | null) => void): HTMLElement;
  /** Handles agenda_current; true when it was one. */
  onEvent(ev: ChatEvent): boolean;
}

function itemId(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) ? v : null;
}

async function readProgram(forumId: string, token: string): Promise<{ items: AgendaItem[]; current: number | null }> {
  const res = await fetch(`/api/v1/forums/${encodeURIComponent(forumId)}/program`, {
    headers: { Accept: 'application/json', Authorization: `Bearer ${token}` },
  });
  if (res.status === 404 || res.status === 405) return { items: [], current: null }; // no programme route
  const data = (await res.json().catch(() => null)) as { agenda?: unknown; current_agenda_item?: unknown } | null;
  if (!res.ok || !data) throw new Error(`HTTP ${res.status}`);
  const items = (Array.isArray(data.agenda) ? data.agenda : [])
    .filter((a): a is AgendaItem => !!a && typeof a.id === 'number' && typeof a.title === 'string')
    .map((a) => ({ id: a.id, title: a.title, planned_minutes: a.planned_minutes }));
  return { items, current: itemId(data.current_agenda_item) };
}

export function consoleAgenda(opts: { forumId: string; token: string; changed: () => void; failed: (err: unknown) => void }): ConsoleAgenda {
  let items: AgendaItem[] = [];
  let current: number | null = null;
  let filter: AgendaFilter = 'all';
  let version = 0;
  let loading: Promise<void> | null = null;

  const select = h('select.input.mq-agenda-filter', {
    'data-testid': 'mod-agenda-filter',
    'aria-label': tr('modx.agenda.filter'),
    onchange: () => {
      const v = select.value;
      filter = v === 'all' || v === 'none' ? v : Number(v);
      opts.changed();
    },
  }) as HTMLSelectElement;
  const now = h('span.mq-agenda-now', { 'data-testid': 'mod-agenda-now', 'aria-live': 'polite' });
  const el = h('div.mq-agenda-bar', { 'data-testid': 'mod-agenda' },
    h('label.mq-agenda-label', null, h('span.label', null, tr('modx.agenda.filter')), select), now);

  const title = (id: unknown): string => {
    const n = itemId(id);
    if (n === null) return '';
    return items.find((a) => a.id === n)?.title ?? tr('modx.agenda.unknownItem', { id: n });
  };

  function draw(): void {
    // Options are rebuilt only when the agenda changes, never on question events.
    if (typeof filter === 'number' && !items.some((a) => a.id === filter)) filter = 'all';
    replace(select,
      h('option', { value: 'all' }, tr('modx.agenda.all')),
      items.map((a) => h('option', { value: String(a.id) }, a.id === current ? tr('modx.agenda.optionNow', { title: a.title }) : a.title)),
      h('option', { value: 'none' }, tr('modx.agenda.none')));
    select.value = String(filter);
    el.hidden = items.length === 0;
    replace(now, current !== null ? tr('modx.agenda.now', { title: title(current) }) : tr('modx.agenda.nowNone'));
    now.dataset.item = current === null ? '' : String(current);
    version += 1;
  }

  function load(): Promise<void> {
    loading ??= readProgram(opts.forumId, opts.token).then((p) => {
      items = p.items;
      current = p.current;
      draw();
      opts.changed();
    }, opts.failed).finally(() => {
      loading = null;
    });
    return loading;
  }

  draw();
  return {
    el,
    get filter() {
      return filter;
    },
    get version() {
      return version;
    },
    load,
    matches: (q) => {
      const item = itemId(q.agenda_item);
      return filter === 'all' || (filter === 'none' ? item === null : item === filter);
    },
    title,
    badge: (q) => {
      const item = itemId(q.agenda_item);
      return h('span.mq-agenda-item', { 'data-testid': 'mod-row-item', 'data-item': item === null ? '' : String(item) },
        item === null ? tr('modx.agenda.noneShort') : title(item));
    },
    picker: (q, move) => {
      const item = itemId(q.agenda_item);
      const pick = h('select.input', {
        'data-testid': 'mod-agenda-item',
        // Enter on the select applies it, so the whole move works from the keyboard.
        onkeydown: (ev: Event) => {
          if ((ev as KeyboardEvent).key !== 'Enter') return;
          ev.preventDefault();
          form.requestSubmit();
        },
      },
      h('option', { value: '' }, tr('modx.agenda.none')),
      items.map((a) => h('option', { value: String(a.id), selected: a.id === item }, a.id === current ? tr('modx.agenda.optionNow', { title: a.title }) : a.title)),
      item !== null && !items.some((a) => a.id === item) ? h('option', { value: String(item), selected: true }, title(item)) : null) as HTMLSelectElement;
      const form = h('form.mq-form.mq-inline', { 'data-form': 'agenda', onsubmit: (ev: Event) => {
        ev.preventDefault();
        move(pick.value === '' ? null : Number(pick.value));
      } },
      h('label.mq-field', null, h('span.label', null, tr('modx.agenda.item')), pick),
      h('button.button.button-secondary', { type: 'submit', 'data-testid': 'mod-set-agenda-item' }, tr('modx.agenda.move'), h('kbd', null, 'i'))) as HTMLFormElement;
      return form;
    },
    onEvent: (ev) => {
      if (ev.ev !== 'agenda_current') return false;
      const item = ev.item && typeof ev.item === 'object' ? (ev.item as Partial<AgendaItem>) : null;
      current = itemId(item?.id);
      // A renamed or new item: read the agenda again; otherwise just redraw the marks.
      const known = current === null || items.some((a) => a.id === current && a.title === item?.title);
      if (known) {
        draw();
        opts.changed();
      } else {
        void load();
      }
      return true;
    },
  };
}
