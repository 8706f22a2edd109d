// /org/f/<id>: edit one forum. Title, topic and start time; the state (draft →
// collecting → live → ended → archived, each change confirmed first); the agenda
// (ordered items with planned minutes, one marked current) and the panel roster
// (name, title, role). When this server has no agenda/panel routes yet, both are shown
// read-only from the transcript, with a note saying so.
import { h, replace } from '../dom';
import { errorState, loadingState } from '../components/states';
import type { PageContext } from '../router';
import {
  ApiError,
  FORUM_STATES,
  PANEL_ROLES,
  getAgenda,
  getForum,
  getPanel,
  setAgenda,
  setCurrentItem,
  setForumState,
  setPanel,
  transcript,
  updateForum,
  type AgendaItem,
  type Forum,
  type ForumState,
  type PanelMember,
} from './api';
import { field, forumHeader, fromLocalInput, notice, orgFrame, section, stateName, toLocalInput, tr, trx } from './common';

function missingRoute(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 404 || err.status === 405) && err.code !== 'forum_archived';
}

function detailsForm(forum: Forum, onSaved: (f: Forum) => void): HTMLElement {
  const title = h('input.input', { id: 'edit-title', maxlength: 120, required: true, value: forum.title }) as HTMLInputElement;
  const topic = h('textarea.input.org-textarea', { id: 'edit-topic', maxlength: 500, rows: 3 }, forum.topic) as HTMLTextAreaElement;
  const starts = h('input.input', { id: 'edit-starts', type: 'datetime-local', value: toLocalInput(forum.starts_at) }) as HTMLInputElement;
  const save = h('button.button.button-primary', { type: 'submit', 'data-testid': 'edit-save' }, tr('common.save')) as HTMLButtonElement;
  const msg = notice();
  const form = h(
    'form.form',
    { 'data-testid': 'edit-form', novalidate: true },
    field('edit-title', tr('forum.title'), title),
    field('edit-topic', tr('forum.topic'), topic),
    field('edit-starts', tr('forum.startsAt'), starts, tr('forum.startsAtHint')),
    h('div.form-actions', null, save),
    msg.el,
  ) as HTMLFormElement;
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!title.value.trim()) {
      msg.fail(tr('forums.titleMissing'));
      return;
    }
    save.disabled = true;
    updateForum(forum.id, { title: title.value.trim(), topic: topic.value.trim(), starts_at: fromLocalInput(starts.value) }).then(
      (f) => {
        save.disabled = false;
        msg.ok(tr('common.saved'));
        onSaved(f);
      },
      (err: unknown) => {
        save.disabled = false;
        msg.fail(missingRoute(err) ? tr('edit.notAvailable') : err);
      },
    );
  });
  return form;
}

function stateControl(forum: Forum, onChanged: (f: Forum) => void): HTMLElement {
  const wrap = h('div.org-state', { 'data-testid': 'state-control' });
  const msg = notice();
  function draw(): void {
    const idx = FORUM_STATES.indexOf(forum.state);
    const next = FORUM_STATES[idx + 1];
    const others = FORUM_STATES.filter((s) => s !== forum.state && s !== next);
    const ask = (to: ForumState) => {
      const yes = h('button.button.button-primary', { type: 'button', 'data-testid': 'state-confirm' }, tr('state.confirmYes')) as HTMLButtonElement;
      const no = h('button.button.button-secondary', { type: 'button', 'data-testid': 'state-cancel', onclick: draw }, tr('common.cancel'));
      yes.addEventListener('click', () => {
        yes.disabled = true;
        setForumState(forum.id, to).then(
          (f) => {
            forum = { ...forum, ...f };
            onChanged(forum);
            draw();
            msg.ok(tr('state.changed', { state: stateName(forum.state) }));
          },
          (err: unknown) => {
            draw();
            msg.fail(err);
          },
        );
      });
      replace(
        wrap,
        h('div.org-confirm', { role: 'alertdialog', 'aria-labelledby': 'state-q', 'data-testid': 'state-confirm-box', onkeydown: (ev: Event) => (ev as KeyboardEvent).key === 'Escape' && draw() },
          h('p', { id: 'state-q' }, tr('state.confirm', { from: stateName(forum.state), to: stateName(to) })),
          h('p.muted', null, trx(`state.explain.${to}`)),
          h('div.org-row', null, yes, no),
        ),
        msg.el,
      );
      yes.focus();
    };
    replace(
      wrap,
      h('p', null, tr('state.now'), ' ', h('strong', { 'data-testid': 'state-now' }, stateName(forum.state))),
      next
        ? h('button.button.button-primary', { type: 'button', 'data-testid': 'state-next', 'data-to': next, onclick: () => ask(next) }, tr('state.moveTo', { state: stateName(next) }))
        : null,
      h('details.org-more', null,
        h('summary', null, tr('state.other')),
        h('div.org-row', null, others.map((s) => h('button.button.button-secondary', { type: 'button', 'data-to': s, onclick: () => ask(s) }, stateName(s)))),
      ),
      msg.el,
    );
  }
  draw();
  return wrap;
}

function moveButtons<T>(list: T[], i: number, redraw: () => void, label: string): HTMLElement[] {
  return [
    h('button.button.button-secondary.org-icon', {
      type: 'button',
      'aria-label': tr('list.up', { item: label }),
      disabled: i === 0,
      onclick: () => {
        [list[i - 1], list[i]] = [list[i]!, list[i - 1]!];
        redraw();
      },
    }, '↑'),
    h('button.button.button-secondary.org-icon', {
      type: 'button',
      'aria-label': tr('list.down', { item: label }),
      disabled: i === list.length - 1,
      onclick: () => {
        [list[i + 1], list[i]] = [list[i]!, list[i + 1]!];
        redraw();
      },
    }, '↓'),
    h('button.button.button-secondary.org-icon', {
      type: 'button',
      'aria-label': tr('list.remove', { item: label }),
      onclick: () => {
        list.splice(i, 1);
        redraw();
      },
    }, '×'),
  ];
}

function agendaEditor(forumId: string, initial: AgendaItem[], initialCurrent: number | null): HTMLElement {
  let items = initial.map((a) => ({ ...a }));
  let current = initialCurrent;
  const wrap = h('div.org-agenda', { 'data-testid': 'agenda-editor' });
  const msg = notice();
  function draw(): void {
    const rows = items.map((it, i) => {
      const n = i + 1;
      const title = h('input.input', { id: `agenda-title-${i}`, value: it.title, maxlength: 200, 'data-testid': 'agenda-title' }) as HTMLInputElement;
      title.addEventListener('input', () => (it.title = title.value));
      const mins = h('input.input.org-num', { id: `agenda-min-${i}`, type: 'number', min: 0, max: 600, value: it.planned_minutes, 'data-testid': 'agenda-minutes' }) as HTMLInputElement;
      mins.addEventListener('input', () => (it.planned_minutes = Math.max(0, Math.round(Number(mins.value) || 0))));
      const isCurrent = it.id !== undefined && it.id === current;
      const cur = h('button.button.org-small', {
        type: 'button',
        class: isCurrent ? 'button-primary' : 'button-secondary',
        'aria-pressed': isCurrent ? 'true' : 'false',
        disabled: it.id === undefined,
        title: it.id === undefined ? tr('agenda.saveFirst') : null,
        'data-testid': 'agenda-current',
        onclick: () => {
          const target = isCurrent ? null : (it.id ?? null);
          setCurrentItem(forumId, target).then(
            () => {
              current = target;
              draw();
              msg.ok(target === null ? tr('agenda.currentCleared') : tr('agenda.currentSet', { title: it.title }));
            },
            (err: unknown) => msg.fail(missingRoute(err) ? tr('edit.notAvailable') : err),
          );
        },
      }, isCurrent ? tr('agenda.isCurrent') : tr('agenda.setCurrent'));
      return h('li.org-item', { 'data-testid': 'agenda-item', 'data-current': isCurrent ? 'true' : null },
        h('span.org-item-n', { 'aria-hidden': 'true' }, String(n)),
        h('div.org-item-fields', null,
          field(`agenda-title-${i}`, tr('agenda.itemTitle', { n }), title),
          field(`agenda-min-${i}`, tr('agenda.minutes'), mins),
        ),
        h('div.org-item-actions', null, cur, ...moveButtons(items, i, draw, it.title || String(n))),
      );
    });
    const total = items.reduce((s, it) => s + (it.planned_minutes || 0), 0);
    const save = h('button.button.button-primary', { type: 'button', 'data-testid': 'agenda-save' }, tr('agenda.save')) as HTMLButtonElement;
    save.addEventListener('click', () => {
      const clean = items.filter((it) => it.title.trim());
      save.disabled = true;
      setAgenda(forumId, clean.map((it) => ({ ...(it.id !== undefined ? { id: it.id } : {}), title: it.title.trim(), planned_minutes: it.planned_minutes }))).then(
        (r) => {
          items = r.agenda.map((a) => ({ ...a }));
          current = r.current_item_id;
          draw();
          msg.ok(tr('common.saved'));
        },
        (err: unknown) => {
          save.disabled = false;
          msg.fail(missingRoute(err) ? tr('edit.notAvailable') : err);
        },
      );
    });
    replace(
      wrap,
      items.length ? h('ol.org-items', null, rows) : h('p.muted', { 'data-testid': 'agenda-empty' }, tr('agenda.empty')),
      h('p.muted', null, tr('agenda.total', { n: total })),
      h('div.org-row', null,
        h('button.button.button-secondary', {
          type: 'button',
          'data-testid': 'agenda-add',
          onclick: () => {
            items.push({ title: '', planned_minutes: 10 });
            draw();
            wrap.querySelector<HTMLInputElement>(`#agenda-title-${items.length - 1}`)?.focus();
          },
        }, tr('agenda.add')),
        save,
      ),
      msg.el,
    );
  }
  draw();
  return wrap;
}

function panelEditor(forumId: string, initial: PanelMember[]): HTMLElement {
  let members = initial.map((m) => ({ ...m }));
  const wrap = h('div.org-panel', { 'data-testid': 'panel-editor' });
  const msg = notice();
  function draw(): void {
    const rows = members.map((m, i) => {
      const name = h('input.input', { id: `panel-name-${i}`, value: m.name, maxlength: 60, 'data-testid': 'panel-name' }) as HTMLInputElement;
      name.addEventListener('input', () => (m.name = name.value));
      const title = h('input.input', { id: `panel-title-${i}`, value: m.title, maxlength: 120, 'data-testid': 'panel-title' }) as HTMLInputElement;
      title.addEventListener('input', () => (m.title = title.value));
      const role = h('select.input', { id: `panel-role-${i}`, 'data-testid': 'panel-role' },
        PANEL_ROLES.map((r) => h('option', { value: r, selected: r === m.role }, trx(`panel.role.${r}`))),
      ) as HTMLSelectElement;
      role.addEventListener('change', () => (m.role = role.value as PanelMember['role']));
      return h('li.org-item', { 'data-testid': 'panel-member' },
        h('div.org-item-fields.org-item-fields-3', null,
          field(`panel-name-${i}`, tr('panel.name'), name),
          field(`panel-title-${i}`, tr('panel.title'), title),
          field(`panel-role-${i}`, tr('panel.role'), role),
        ),
        h('div.org-item-actions', null, ...moveButtons(members, i, draw, m.name || String(i + 1))),
      );
    });
    const save = h('button.button.button-primary', { type: 'button', 'data-testid': 'panel-save' }, tr('panel.save')) as HTMLButtonElement;
    save.addEventListener('click', () => {
      save.disabled = true;
      setPanel(forumId, members.filter((m) => m.name.trim()).map((m) => ({ name: m.name.trim(), title: m.title.trim(), role: m.role }))).then(
        (p) => {
          members = p.map((m) => ({ ...m }));
          draw();
          msg.ok(tr('common.saved'));
        },
        (err: unknown) => {
          save.disabled = false;
          msg.fail(missingRoute(err) ? tr('edit.notAvailable') : err);
        },
      );
    });
    replace(
      wrap,
      members.length ? h('ul.org-items', null, rows) : h('p.muted', { 'data-testid': 'panel-empty' }, tr('panel.empty')),
      h('div.org-row', null,
        h('button.button.button-secondary', {
          type: 'button',
          'data-testid': 'panel-add',
          onclick: () => {
            members.push({ name: '', title: '', role: 'expert' });
            draw();
            wrap.querySelector<HTMLInputElement>(`#panel-name-${members.length - 1}`)?.focus();
          },
        }, tr('panel.add')),
        save,
      ),
      msg.el,
    );
  }
  draw();
  return wrap;
}

function readOnlyProgram(agenda: AgendaItem[], panel: PanelMember[]): HTMLElement[] {
  return [
    section(tr('agenda.title'),
      h('p.notice.notice-info', { 'data-testid': 'readonly-note' }, tr('edit.readOnly')),
      agenda.length
        ? h('ol.org-readonly', { 'data-testid': 'agenda-readonly' }, agenda.map((a) => h('li', null, a.title, ' · ', tr('agenda.minutesN', { n: a.planned_minutes }))))
        : h('p.muted', null, tr('agenda.empty')),
    ),
    section(tr('panel.heading'),
      panel.length
        ? h('ul.org-readonly', { 'data-testid': 'panel-readonly' }, panel.map((m) => h('li', null, m.name, ' · ', m.title, ' · ', trx(`panel.role.${m.role}`))))
        : h('p.muted', null, tr('panel.empty')),
    ),
  ];
}

export default function forumEditPage({ root, params, query }: PageContext) {
  const id = params.id ?? '';
  return orgFrame(root, { title: tr('edit.pageTitle'), section: 'forums', wide: true }, ({ body, alive }) => {
    function load(): void {
      replace(body, loadingState());
      getForum(id).then(
        (forum) => {
          if (!alive()) return;
          const head = h('div');
          const drawHead = () => replace(head, forumHeader(forum, 'edit'));
          drawHead();
          const program = h('div.org-program', null, loadingState());
          replace(
            body,
            head,
            query.get('created') === '1' ? h('p.notice.notice-info', { role: 'status', 'data-testid': 'created-note' }, tr('edit.created')) : null,
            h('div.org-columns', null,
              section(tr('edit.details'), detailsForm(forum, (f) => {
                forum = { ...forum, ...f };
                drawHead();
              })),
              section(tr('edit.state'), stateControl(forum, (f) => {
                forum = f;
                drawHead();
              })),
            ),
            program,
          );
          Promise.all([getAgenda(id), getPanel(id)]).then(
            ([agenda, panel]) => {
              if (!alive()) return;
              replace(program, h('div.org-columns', null,
                section(tr('agenda.title'), agendaEditor(id, agenda.agenda, agenda.current_item_id)),
                section(tr('panel.heading'), panelEditor(id, panel)),
              ));
            },
            (err: unknown) => {
              if (!alive()) return;
              if (!missingRoute(err)) {
                replace(program, errorState(err, load));
                return;
              }
              transcript(id).then(
                (tx) => alive() && replace(program, h('div.org-columns', null, readOnlyProgram(tx.agenda ?? [], tx.panel ?? []))),
                (e2: unknown) => alive() && replace(program, errorState(e2, load)),
              );
            },
          );
        },
        (err: unknown) => alive() && replace(body, errorState(err, load)),
      );
    }
    load();
  });
}
