// The console's list of active timeouts and bans (the `bans` op, kept current by the
// staff `ban` / `ban_lifted` events): kind, reason, who, since, until (or permanent),
// with a Lift button (the `unban` op). New records are added at the end and a lifted
// or expired one stays in place, marked, until the list is reloaded (on reconnect),
// so nothing moves under the pointer.
// What it leaves to others: the protocol client and the status line (pages/mod.ts).
import { h, replace } from '../dom';
import { formatTime } from '../i18n';
import { tr } from './i18n';

export interface BanRecord {
  id: number;
  kind: 'timeout' | 'ban';
  reason?: string;
  actor?: string;
  created_ms?: number;
  expires_ms?: number | null;
  by_ip?: boolean;
  lifted?: boolean;
}

export interface BansPanelOptions {
  call: (op: string, fields: Record<string, unknown>) => Promise<Record<string, unknown> | null>;
}

export function bansPanel(o: BansPanelOptions): {
  el: HTMLElement;
  load: (records: unknown) => void;
  added: (record: unknown) => void;
  lifted: (id: number) => void;
} {
  const bans = new Map<number, BanRecord>(); // insertion order = shown order
  const list = h('ul.mc-list', { 'data-testid': 'mod-bans' });

  function item(b: BanRecord): HTMLElement {
    const expired = !b.lifted && typeof b.expires_ms === 'number' && b.expires_ms <= Date.now();
    const until = typeof b.expires_ms === 'number' ? tr('modx.bans.until', { time: formatTime(b.expires_ms) }) : tr('modx.bans.permanent');
    return h(`li.mc-item${b.lifted || expired ? '.mc-hidden' : ''}`, { 'data-testid': 'mod-ban-item', 'data-id': b.id, 'data-state': b.lifted ? 'lifted' : expired ? 'expired' : 'active' },
      h('p.q-meta', null, [`#${b.id}`, tr(b.kind === 'ban' ? 'modx.bans.ban' : 'modx.bans.timeout'), until,
        b.by_ip ? tr('modx.bans.byIp') : '', b.actor ? tr('modx.bans.by', { actor: b.actor }) : '',
        b.created_ms ? formatTime(b.created_ms) : ''].filter(Boolean).join(' · ')),
      b.reason ? h('p', null, b.reason) : null,
      h('p.mc-actions', null,
        b.lifted || expired
          ? h('span.muted', { 'data-testid': 'mod-ban-done' }, tr(b.lifted ? 'modx.bans.lifted' : 'modx.bans.expired'))
          : h('button.link-button', { type: 'button', 'data-testid': 'mod-unban', onclick: () => void o.call('unban', { id: b.id }).then((r) => {
            if (r) lifted(b.id);
          }) }, tr('modx.bans.unban'))));
  }

  function render(): void {
    replace(list, bans.size ? [...bans.values()].map(item) : h('li.muted', null, tr('modx.bans.empty')));
  }

  function parse(x: unknown): BanRecord | null {
    if (!x || typeof x !== 'object') return null;
    const b = x as BanRecord;
    return typeof b.id === 'number' ? b : null;
  }

  function load(records: unknown): void {
    bans.clear();
    for (const x of Array.isArray(records) ? records : []) {
      const b = parse(x);
      if (b) bans.set(b.id, b);
    }
    render();
  }

  function added(record: unknown): void {
    const b = parse(record);
    if (!b) return;
    bans.set(b.id, { ...bans.get(b.id), ...b });
    render();
  }

  function lifted(id: number): void {
    const b = bans.get(id);
    if (!b || b.lifted) return;
    b.lifted = true;
    render();
  }

  const el = h('section.mb-panel', null, h('h2.mq-heading', null, tr('modx.bans.title')), list);
  render();
  return { el, load, added, lifted };
}
