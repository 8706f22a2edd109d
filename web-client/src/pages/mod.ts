// Moderator console (/mod/<forum-id>), laptop and keyboard: the pending queue live
// (newest / oldest first), the approved, on-air and answered questions, and for the
// selected one: approve, reject (reason list + free text), edit (the original shown),
// merge into #N, categorise, on air, answered (summary + panelist), back to the queue.
// Comments with hide / unhide and timeout / ban from any of them, held comments, and the
// forum's settings. Keyboard: j/k move, a approve, r reject, e edit, m merge, o on air,
// d answered, b back to the queue, i agenda item, f filter by item, n show new items
// (the help lines list them).
// Agenda items (src/mod/agenda.ts): both lists can be filtered by item (all / one item /
// no item), each row shows its question's item, the selected question's item is changed
// with a select (Enter applies it; op set_agenda_item); the current item follows
// `agenda_current`.
// Also the blocked-term editor (src/mod/terms_panel.ts: organizers edit, moderators
// read), the active timeouts and bans with Lift (src/mod/bans_panel.ts), and the
// stream's ingest health (src/staff/stream_health.ts, fed the staff events).
// Nothing moves under the cursor: new pending questions wait behind an "N new" button,
// and a question someone else handled stays in place, marked, until then; one moved to
// another agenda item stays in the filtered lists, marked, until the filter changes.
// What it leaves to others: the protocol client (src/chat/client.ts), the records
// (src/questions/model.ts), the session check (src/staff/session.ts).
import { h, replace } from '../dom';
import { formatTime, t, type MessageKey } from '../i18n';
import { ChatClient, ChatError, type ChatEvent } from '../chat/client';
import { errorMessage } from '../components/states';
import { setTitle } from '../components/shell';
import { connLine, requireStaff } from '../staff/session';
import { CATEGORIES, QuestionSet, askerLine, categoryName, lastAnswer, reasonName, statusText, type Question } from '../questions/model';
import type { PageContext } from '../router';
import '../styles/mod.css';
import { termsPanel } from '../mod/terms_panel';
import { bansPanel } from '../mod/bans_panel';
import { tr } from '../mod/i18n';
import { mountStreamHealth } from '../staff/stream_health';
import { consoleAgenda, type AgendaFilter } from '../mod/agenda';

const DEFAULT_REASONS = ['off_topic', 'duplicate', 'inappropriate', 'personal_info', 'unclear', 'other'];
const MAX_COMMENTS = 300;

interface Comment {
  seq: number;
  name: string;
  compound?: string;
  text: string;
  at?: number;
  role?: string;
  hidden?: boolean;
}

export default function modPage({ root, params }: PageContext): () => void {
  const forumId = params.id ?? '';
  setTitle(t('mod.title'));
  let client: ChatClient | null = null;
  const cancel = requireStaff(root, ['moderator', 'organizer'], (session, token) => mount(token, session.role === 'organizer'));

  function mount(token: string, organizer: boolean): void {
    const set = new QuestionSet();
    let newestFirst = localStorage.getItem('forumcast.mod.newest') !== 'false';
    let shown: number[] = []; // pending ids in the order shown; grows only on request
    let selected: number | null = null;
    let detailKey = '';
    let reasons = DEFAULT_REASONS;
    let settings: Record<string, unknown> = {};
    const comments: Comment[] = [];
    const held = new Map<number, Record<string, unknown>>();
    let listed = new Set<number>(); // public rows drawn under the agenda filter (they stay)

    const conn = connLine();
    const status = h('div.mod-status', { 'aria-live': 'polite', 'data-testid': 'mod-status' });
    const newButton = h('button.button.button-secondary.new-items', { type: 'button', hidden: true, 'data-testid': 'mod-new', onclick: () => showNew() });
    const sortButton = h('button.button.button-secondary', { type: 'button', 'data-testid': 'mod-sort', onclick: () => {
      newestFirst = !newestFirst;
      localStorage.setItem('forumcast.mod.newest', String(newestFirst));
      shown = pendingIds();
      render();
    } });
    const pendingList = h('ul.mq-list', { 'data-testid': 'mod-pending', role: 'listbox', 'aria-label': t('mod.pending') });
    const publicList = h('ul.mq-list', { 'data-testid': 'mod-public', role: 'listbox', 'aria-label': t('mod.public') });
    const detail = h('div.mq-detail.card', { 'data-testid': 'mod-detail' });
    const commentList = h('ul.mc-list', { 'data-testid': 'mod-comments' });
    const heldList = h('ul.mc-list', { 'data-testid': 'mod-held' });
    const settingsBox = h('div.card', { 'data-testid': 'mod-settings' });

    const say = (text: string, error = false): void =>
      replace(status, h(`p.notice.${error ? 'notice-error' : 'notice-info'}`, { role: error ? 'alert' : 'status' }, text));
    const fail = (err: unknown): void => say(err instanceof ChatError ? opError(err) : errorMessage(err), true);
    const terms = termsPanel({ forumId, token, canEdit: organizer, say });
    const healthBox = h('section.card', null);
    const health = mountStreamHealth(healthBox, forumId, { token }); // src/staff/stream_health.ts
    let filterSeen: AgendaFilter = 'all';
    const agenda = consoleAgenda({ forumId, token, failed: fail, changed: () => {
      if (agenda.filter !== filterSeen) {
        // A new filter is the moderator's own choice: draw its lists afresh.
        filterSeen = agenda.filter;
        listed = new Set();
        shown = pendingIds();
      }
      render();
    } });
    cleanups.push(() => health.destroy());
    const bans = bansPanel({ call: async (name, fields) => {
      if (!client) return null;
      try {
        const reply = await client.call(name, fields);
        say(tr('modx.bans.lifted'));
        return reply;
      } catch (err) {
        fail(err);
        return null;
      }
    } });

    async function op(name: string, fields: Record<string, unknown>): Promise<Record<string, unknown> | null> {
      if (!client) return null;
      try {
        const reply = await client.call(name, fields);
        const q = reply.question as Question | undefined;
        if (q) set.put(q);
        say(t('mod.done', { op: t(`mod.op.${name}` as MessageKey) }));
        render();
        return reply;
      } catch (err) {
        fail(err);
        return null;
      }
    }

    /** The pending questions to draw now: those of the agenda filter, in the chosen order. */
    function pendingIds(): number[] {
      return set.pending(newestFirst).filter((q) => agenda.matches(q)).map((q) => q.id);
    }

    function showNew(): void {
      shown = pendingIds();
      render();
    }

    function row(q: Question): HTMLElement {
      const isSel = q.id === selected;
      const elsewhere = !agenda.matches(q);
      return h(`li.mq-row.q-${q.state}${elsewhere ? '.mq-elsewhere' : ''}`, {
        role: 'option', 'aria-selected': String(isSel), 'data-id': q.id, 'data-state': q.state, 'data-testid': 'mod-row',
        'data-item': typeof q.agenda_item === 'number' ? q.agenda_item : '',
        onclick: () => select(q.id),
      },
      h('span.mq-id', null, `#${q.id}`),
      h('span.mq-text', null, q.parent_id ? h('span.q-follow-label', null, t('q.followUp'), ' ') : null, q.text),
      h('span.mq-meta', null, [askerLine(q), categoryName(q.category), q.state !== 'pending' ? statusText(q) : '', q.state === 'approved' || q.state === 'on_air' ? t('mod.votes', { count: q.votes ?? 0 }) : '']
        .filter(Boolean).join(' · ')),
      h('span.mq-meta', null, agenda.badge(q), elsewhere ? [' · ', h('span.mq-elsewhere-note', null, tr('modx.agenda.elsewhere'))] : null));
    }

    function select(id: number | null): void {
      selected = id;
      render();
      pendingList.parentElement?.querySelector(`[data-id="${id}"]`)?.scrollIntoView({ block: 'nearest' });
    }

    function rows(): number[] {
      return [...root.querySelectorAll<HTMLElement>('.mq-row')].map((r) => Number(r.dataset.id));
    }

    function field(label: string, input: HTMLElement): HTMLElement {
      return h('label.mq-field', null, h('span.label', null, label), input);
    }

    function detailFor(q: Question): HTMLElement {
      const s = q.state;
      const act = (name: string, key: string, extra: Record<string, unknown> = {}) =>
        h('button.button.button-secondary', { type: 'button', 'data-testid': `mod-${name}`, onclick: () => void op(name, { id: q.id, ...extra }) }, t(`mod.op.${name}` as MessageKey), h('kbd', null, key));
      const reason = h('select.input', { 'data-testid': 'mod-reject-reason' }, reasons.map((r) => h('option', { value: r }, reasonName(r)))) as HTMLSelectElement;
      const rejectText = h('input.input', { 'data-testid': 'mod-reject-text', maxlength: 1000 }) as HTMLInputElement;
      const editText = h('textarea.input', { rows: 3, 'data-testid': 'mod-edit-text' }) as HTMLTextAreaElement;
      editText.value = q.text;
      const mergeInto = h('input.input', { type: 'number', min: 1, 'data-testid': 'mod-merge-into' }) as HTMLInputElement;
      const cat = h('select.input', { 'data-testid': 'mod-category' }, h('option', { value: '' }, t('mod.noCategory')),
        CATEGORIES.map((c) => h('option', { value: c, selected: q.category === c }, categoryName(c)))) as HTMLSelectElement;
      const summary = h('textarea.input', { rows: 3, 'data-testid': 'mod-answer-summary' }) as HTMLTextAreaElement;
      const panelist = h('input.input', { 'data-testid': 'mod-answer-panelist' }) as HTMLInputElement;
      const answer = lastAnswer(q);
      return h('div', { 'data-id': q.id },
        h('p.q-meta', null, `#${q.id} · `, statusText(q), q.parent_id ? ` · ${t('mod.followUpOf', { id: q.parent_id })}` : ''),
        h('p.mq-detail-text', { 'data-testid': 'mod-detail-text' }, q.text),
        q.original_text ? h('p.muted', { 'data-testid': 'mod-original' }, t('mod.original'), ': ', q.original_text) : null,
        h('p.q-meta', null, askerLine(q) || t('mod.anonymous'), q.source === 'offline' ? ` · ${t('mod.offline')}` : ''),
        answer ? h('p.q-answer-inline', null, t('q.answer'), ': ', answer.summary) : null,
        h('div.mq-actions', null,
          s === 'pending' ? act('approve', 'a') : null,
          s === 'approved' || s === 'answered' ? act('on_air', 'o') : null,
          s === 'approved' || s === 'rejected' || s === 'on_air' ? act('back_to_queue', 'b') : null),
        s === 'pending' || s === 'approved'
          ? h('form.mq-form', { 'data-form': 'reject', onsubmit: (ev) => {
            ev.preventDefault();
            void op('reject', { id: q.id, reason: reason.value, ...(rejectText.value.trim() ? { text: rejectText.value.trim() } : {}) });
          } }, field(t('mod.reason'), reason), field(t('mod.reasonText'), rejectText),
          h('button.button.button-secondary', { type: 'submit', 'data-testid': 'mod-reject' }, t('mod.op.reject'), h('kbd', null, 'r')))
          : null,
        s === 'on_air'
          ? h('form.mq-form', { 'data-form': 'answered', onsubmit: (ev) => {
            ev.preventDefault();
            void op('answered', { id: q.id, summary: summary.value.trim(), panelist: panelist.value.trim() });
          } }, field(t('mod.summary'), summary), field(t('mod.panelist'), panelist),
          h('button.button.button-primary', { type: 'submit', 'data-testid': 'mod-answered' }, t('mod.op.answered'), h('kbd', null, 'd')))
          : null,
        s !== 'rejected' && s !== 'merged'
          ? h('form.mq-form', { 'data-form': 'edit', onsubmit: (ev) => {
            ev.preventDefault();
            void op('edit', { id: q.id, text: editText.value.trim() });
          } }, field(t('mod.editText'), editText), h('button.button.button-secondary', { type: 'submit', 'data-testid': 'mod-edit' }, t('mod.op.edit'), h('kbd', null, 'e')))
          : null,
        s === 'pending' || s === 'approved'
          ? h('form.mq-form.mq-inline', { 'data-form': 'merge', onsubmit: (ev) => {
            ev.preventDefault();
            void op('merge', { id: q.id, into: Number(mergeInto.value) });
          } }, field(t('mod.mergeInto'), mergeInto), h('button.button.button-secondary', { type: 'submit', 'data-testid': 'mod-merge' }, t('mod.op.merge'), h('kbd', null, 'm')))
          : null,
        s !== 'merged'
          ? h('form.mq-form.mq-inline', { 'data-form': 'categorise', onsubmit: (ev) => {
            ev.preventDefault();
            void op('categorise', { id: q.id, category: cat.value });
          } }, field(t('q.category'), cat), h('button.button.button-secondary', { type: 'submit', 'data-testid': 'mod-categorise' }, t('mod.op.categorise')))
          : null,
        s !== 'merged' ? agenda.picker(q, (item) => void op('set_agenda_item', { id: q.id, item })) : null);
    }

    function comment(c: Comment): HTMLElement {
      const sanction = (kind: 'timeout' | 'ban') => h('button.link-button', {
        type: 'button', 'data-testid': `mod-${kind}`,
        onclick: () => {
          if (!confirm(t(kind === 'ban' ? 'mod.confirmBan' : 'mod.confirmTimeout', { name: c.name }))) return;
          void op(kind, kind === 'timeout' ? { seq: c.seq, duration_ms: 600000 } : { seq: c.seq });
        },
      }, t(kind === 'ban' ? 'mod.ban' : 'mod.timeout10'));
      return h(`li.mc-item${c.hidden ? '.mc-hidden' : ''}`, { 'data-seq': c.seq, 'data-testid': 'mod-comment' },
        h('p.q-meta', null, [c.name, c.compound, c.at ? formatTime(c.at) : '', c.hidden ? t('mod.hidden') : ''].filter(Boolean).join(' · ')),
        h('p', null, c.text),
        h('p.mc-actions', null,
          h('button.link-button', { type: 'button', 'data-testid': c.hidden ? 'mod-unhide' : 'mod-hide', onclick: () => void op(c.hidden ? 'unhide_comment' : 'hide_comment', { seq: c.seq }) }, t(c.hidden ? 'mod.unhide' : 'mod.hide')),
          c.role && c.role !== 'resident' ? null : [sanction('timeout'), sanction('ban')]));
    }

    function heldItem(x: Record<string, unknown>): HTMLElement {
      const id = x.id as number;
      const matches = Array.isArray(x.matches) ? (x.matches as { term: string; action: string }[]) : [];
      return h('li.mc-item', { 'data-testid': 'mod-held-item' },
        h('p.q-meta', null, [x.name, x.compound, t(x.reason === 'filter' ? 'mod.heldFilter' : x.reason === 'delay' ? 'mod.heldDelay' : 'mod.heldPremod'),
          typeof x.release_at === 'number' ? t('mod.releaseAt', { time: formatTime(x.release_at) }) : ''].filter(Boolean).join(' · ')),
        h('p', null, String(x.text ?? '')),
        matches.length ? h('p.mq-flags', null, t('mod.matched'), ' ', matches.map((m) => h('mark.flag', null, m.term))) : null,
        h('p.mc-actions', null,
          h('button.link-button', { type: 'button', onclick: () => void op('approve_comment', { id }).then((r) => r && held.delete(id)) }, t('mod.op.approve')),
          h('button.link-button', { type: 'button', onclick: () => void op('reject_comment', { id }).then((r) => r && held.delete(id)) }, t('mod.op.reject'))));
    }

    function settingsForm(): HTMLElement {
      const check = (key: string) => h('input', { type: 'checkbox', checked: settings[key] === true, 'data-key': key, 'data-testid': `set-${key}` }) as HTMLInputElement;
      const secs = (key: string, maxS: number) => h('input.input', { type: 'number', min: 0, max: maxS, step: 1, value: Math.round(Number(settings[key] ?? 0) / 1000), 'data-key': key, 'data-testid': `set-${key}` }) as HTMLInputElement;
      const inputs = [check('questions_premoderated'), check('intake_open'), check('comments_premoderated'), secs('chat_delay_ms', 30), secs('slow_mode_ms', 600)];
      const labels: MessageKey[] = ['mod.set.premod', 'mod.set.intake', 'mod.set.commentsPremod', 'mod.set.delay', 'mod.set.slow'];
      return h('form.mq-form', { onsubmit: (ev) => {
        ev.preventDefault();
        const out: Record<string, unknown> = {};
        for (const i of inputs) out[i.dataset.key!] = i.type === 'checkbox' ? i.checked : Math.max(0, Math.round(Number(i.value) * 1000));
        void op('set_settings', { settings: out }).then((r) => {
          if (r && r.settings) settings = r.settings as Record<string, unknown>;
        });
      } },
      h('h2.mq-heading', null, t('mod.settings')),
      inputs.map((i, n) => h(i.type === 'checkbox' ? 'label.mq-check' : 'label.mq-field', null, i.type === 'checkbox' ? [i, ' ', t(labels[n]!)] : [h('span.label', null, t(labels[n]!)), i])),
      h('button.button.button-secondary', { type: 'submit', 'data-testid': 'set-save' }, t('mod.set.save')));
    }

    function render(): void {
      const pendingNow = pendingIds();
      const fresh = pendingNow.filter((id) => !shown.includes(id));
      if (shown.length === 0 && fresh.length) shown = pendingNow; // nothing to disturb yet
      // With a filter, only new questions of that item (or moved to it) wait behind the button.
      const waiting = pendingNow.filter((id) => !shown.includes(id)).length;
      newButton.hidden = waiting === 0;
      replace(newButton, t('mod.newItems', { count: waiting }), h('kbd', null, 'n'));
      replace(sortButton, t(newestFirst ? 'mod.newestFirst' : 'mod.oldestFirst'));
      // Pending rows are `shown` (one moved to another item stays, marked); a public
      // row stays while it is drawn under this filter.
      const pend = shown.map((id) => set.get(id)).filter((q): q is Question => !!q);
      const keep = (q: Question | undefined): q is Question => !!q && (agenda.matches(q) || listed.has(q.id));
      replace(pendingList, pend.length ? pend.map(row) : h('li.muted', null, t('mod.queueEmpty')));
      const onAir = set.get(set.onAir);
      const pub = [...(onAir ? [onAir] : []), ...set.approved(), ...set.answered()].filter(keep);
      listed = new Set(pub.map((x) => x.id));
      replace(publicList, pub.length ? pub.map(row) : h('li.muted', null, t('q.noneApproved')));
      // The detail is redrawn only when the selected record changed, so that what the
      // moderator is typing (a note, a summary) survives other questions' events.
      const q = set.get(selected);
      const key = q ? JSON.stringify(q) + reasons.join() + agenda.version : '';
      if (key !== detailKey || !detail.firstChild) {
        detailKey = key;
        replace(detail, q ? detailFor(q) : h('p.muted', null, t('mod.selectHint')));
      }
      const shownComments = comments.slice(-MAX_COMMENTS).reverse();
      replace(commentList, shownComments.length ? shownComments.map(comment) : h('li.muted', null, t('mod.noComments')));
      replace(heldList, held.size ? [...held.values()].map(heldItem) : h('li.muted', null, t('mod.noHeld')));
    }

    function onEvent(ev: ChatEvent): void {
      health.update(ev);
      if (agenda.onEvent(ev)) return;
      if (set.apply(ev)) {
        render();
        return;
      }
      if (ev.ev === 'comment' && typeof ev.text === 'string') {
        comments.push({ seq: ev.seq, name: String(ev.name ?? ''), compound: ev.compound as string | undefined, text: ev.text, at: ev.at as number | undefined, role: ev.role as string | undefined });
        if (comments.length > MAX_COMMENTS * 2) comments.splice(0, comments.length - MAX_COMMENTS);
      } else if (ev.ev === 'comment_hidden' || ev.ev === 'comment_unhidden') {
        const c = comments.find((x) => x.seq === ev.target);
        if (c) c.hidden = ev.ev === 'comment_hidden';
      } else if (ev.ev === 'held_comment' && ev.comment && typeof ev.comment === 'object') {
        const c = ev.comment as Record<string, unknown>;
        held.set(c.id as number, c);
      } else if (ev.ev === 'held_resolved' && typeof ev.id === 'number') {
        held.delete(ev.id);
      } else if (ev.ev === 'ban') {
        bans.added(ev.ban);
        return;
      } else if (ev.ev === 'ban_lifted' && typeof ev.id === 'number') {
        bans.lifted(ev.id);
        return;
      } else if (ev.ev === 'terms') {
        terms.refresh();
        return;
      } else if (ev.ev === 'settings' && ev.settings && typeof ev.settings === 'object') {
        settings = ev.settings as Record<string, unknown>;
        replace(settingsBox, settingsForm());
        return;
      } else {
        return;
      }
      render();
    }

    function joined(c: ChatClient): void {
      void agenda.load(); // also after a reconnect: agenda_current may have been missed
      void c.call('questions').then((r) => {
        set.load(r);
        shown = pendingIds();
        render();
      }, fail);
      void c.call('settings').then((r) => {
        settings = (r.settings ?? {}) as Record<string, unknown>;
        if (Array.isArray(settings.reject_reasons) && settings.reject_reasons.length) reasons = settings.reject_reasons as string[];
        replace(settingsBox, settingsForm());
      }, fail);
      void c.call('bans').then((r) => bans.load(r.bans), () => undefined);
      terms.refresh();
      void c.call('held_comments').then((r) => {
        held.clear();
        for (const x of (Array.isArray(r.held) ? r.held : []) as Record<string, unknown>[]) held.set(x.id as number, x);
        render();
      }, () => undefined);
    }

    const onKey = (ev: KeyboardEvent): void => {
      const target = ev.target as HTMLElement | null;
      if (ev.ctrlKey || ev.metaKey || ev.altKey || (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      const ids = rows();
      const at = selected === null ? -1 : ids.indexOf(selected);
      const q = set.get(selected);
      const focus = (form: string) => detail.querySelector<HTMLElement>(`[data-form="${form}"] input, [data-form="${form}"] textarea, [data-form="${form}"] select`)?.focus();
      const k = ev.key;
      if (k === 'j' || k === 'ArrowDown') select(ids[Math.min(ids.length - 1, at + 1)] ?? null);
      else if (k === 'k' || k === 'ArrowUp') select(ids[Math.max(0, at - 1)] ?? null);
      else if (k === 'n') showNew();
      else if (k === 'f') agenda.el.querySelector('select')?.focus();
      else if (!q) return;
      else if (k === 'a' && q.state === 'pending') void op('approve', { id: q.id });
      else if (k === 'o' && (q.state === 'approved' || q.state === 'answered')) void op('on_air', { id: q.id });
      else if (k === 'b') void op('back_to_queue', { id: q.id });
      else if (k === 'r') focus('reject');
      else if (k === 'e') focus('edit');
      else if (k === 'm') focus('merge');
      else if (k === 'd') focus('answered');
      else if (k === 'i') focus('agenda');
      else return;
      ev.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    cleanups.push(() => document.removeEventListener('keydown', onKey));

    replace(root,
      h('div.mod', { 'data-testid': 'mod' },
        h('div.mod-top', null, h('h1.page-title', null, t('mod.title')), conn.el, status),
        h('p.mod-help', null, h('span', { 'data-testid': 'mod-help' }, t('mod.help')), ' · ', h('span', { 'data-testid': 'mod-help-agenda' }, tr('modx.agenda.keys'))),
        h('div.mod-grid', null,
          h('section.mod-col', null,
            agenda.el,
            h('div.mq-bar', null, h('h2.mq-heading', null, t('mod.pending')), sortButton, newButton),
            pendingList,
            h('h2.mq-heading', null, t('mod.public')), publicList),
          h('section.mod-col', null, detail, healthBox, settingsBox, terms.el),
          h('section.mod-col', null, h('h2.mq-heading', null, t('mod.held')), heldList, bans.el, h('h2.mq-heading', null, t('mod.comments')), commentList))));
    render();
    conn.set('connecting');
    client = new ChatClient({ forum: forumId, session: token }, {
      state: (s) => {
        conn.set(s);
        if (s === 'connected' && client) joined(client);
      },
      history: (events) => {
        comments.length = 0;
        for (const ev of events) onEvent(ev);
        render();
      },
      event: onEvent,
      viewers: () => undefined,
      refused: (err) => say(opError(err), true),
    });
  }

  const cleanups: (() => void)[] = [];
  return () => {
    cancel();
    for (const c of cleanups) c();
    client?.close();
    client = null;
  };
}

function opError(err: ChatError): string {
  const key = `q.error.${err.code}`;
  const msg = t(key as MessageKey);
  if (msg !== key) return msg;
  const general = `error.${err.code}`;
  const m2 = t(general as MessageKey);
  return m2 !== general ? m2 : t('error.unknown');
}
