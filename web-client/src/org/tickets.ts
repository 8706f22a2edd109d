// /org/tickets: the tickets board (工单). Filters by forum, category, compound,
// assignee, status and overdue (GET /api/v1/tickets); overdue tickets are highlighted.
// Opening a ticket shows its history and the moves its state allows (transition,
// assign, note: POST /api/v1/tickets/<id>/...); a form makes a ticket from a forum's
// question (POST /api/v1/tickets). Moderators may use the board too.
import { h, replace } from '../dom';
import { formatDateTime } from '../i18n';
import { emptyState, errorState, loadingState } from '../components/states';
import type { PageContext } from '../router';
import {
  CATEGORIES,
  TICKET_STATES,
  assignTicket,
  createTicket,
  getTicket,
  listForums,
  listTickets,
  noteTicket,
  transcript,
  transitionTicket,
  type Assignee,
  type ForumSummary,
  type Ticket,
  type TicketFilter,
  type TicketState,
} from './api';
import { field, fromLocalInput, notice, orgFrame, section, tr, trx } from './common';

/** The moves a ticket's state allows (followup/ticket_machine.cpp); open → assigned goes through "assign". */
const NEXT: Record<TicketState, TicketState[]> = {
  open: [],
  assigned: ['in_progress'],
  in_progress: ['resolved'],
  resolved: ['closed', 'reopened'],
  closed: ['reopened'],
  reopened: ['in_progress', 'resolved'],
};

function ticketState(s: string): HTMLElement {
  return h(`span.badge.org-tstate.org-tstate-${s}`, { 'data-state': s, 'data-testid': 'ticket-state' }, trx(`ticket.state.${s}`));
}

function assigneesText(a: Assignee[]): string {
  return a.length ? a.map((x) => x.name).join(tr('list.sep')) : tr('ticket.unassigned');
}

function ticketCard(tk: Ticket, forums: Map<string, string>, open: (id: number) => void): HTMLElement {
  return h(
    'li.org-ticket',
    { 'data-testid': 'ticket', 'data-id': tk.id, 'data-state': tk.state, class: tk.overdue ? 'org-overdue' : null },
    h('button.org-ticket-open', { type: 'button', 'data-testid': 'ticket-open', 'aria-label': tr('ticket.open', { id: tk.id, title: tk.title }), onclick: () => open(tk.id) },
      h('span.org-ticket-head', null, h('span.org-ticket-id', null, `#${tk.id}`), ' ', ticketState(tk.state),
        ' ', h('span.badge.org-cat', null, trx(`cat.${tk.category}`)),
        tk.overdue ? h('span.badge.org-overdue-badge', { 'data-testid': 'overdue' }, tr('ticket.overdue')) : null),
      h('span.org-ticket-title', null, tk.title),
      h('span.org-ticket-meta', null,
        [forums.get(tk.forum_id) ?? tk.forum_id, tk.location.compound || tr('fig.noCompound'), assigneesText(tk.assignees),
          tk.due_ms ? tr('ticket.due', { when: formatDateTime(tk.due_ms) }) : tr('ticket.noDue')].join(' · ')),
    ),
  );
}

function detail(tk: Ticket, onChange: (t: Ticket) => void, close: () => void): HTMLElement {
  const msg = notice();
  const note = h('textarea.input.org-textarea', { id: 'tk-note', rows: 2, maxlength: 1000, 'data-testid': 'ticket-note' }) as HTMLTextAreaElement;
  const pub = h('input', { id: 'tk-public', type: 'checkbox', 'data-testid': 'ticket-public' }) as HTMLInputElement;
  const done = (p: Promise<Ticket>, ok: string) =>
    p.then(
      (t2) => {
        onChange(t2);
        msg.ok(ok);
      },
      (err: unknown) => msg.fail(err),
    );
  const moves = NEXT[tk.state].map((to) =>
    h('button.button.button-primary', {
      type: 'button',
      'data-testid': 'ticket-move',
      'data-to': to,
      onclick: () => done(transitionTicket(tk.id, to, note.value.trim(), pub.checked), tr('ticket.moved', { state: trx(`ticket.state.${to}`) })),
    }, tr('ticket.moveTo', { state: trx(`ticket.state.${to}`) })),
  );
  const kind = h('select.input', { id: 'tk-kind', 'data-testid': 'assign-kind' },
    h('option', { value: 'department' }, tr('ticket.kind.department')),
    h('option', { value: 'worker' }, tr('ticket.kind.worker')),
  ) as HTMLSelectElement;
  const who = h('input.input', { id: 'tk-assignee', maxlength: 60, 'data-testid': 'assign-name', autocomplete: 'off' }) as HTMLInputElement;
  const canAssign = tk.state !== 'closed' && tk.state !== 'resolved';
  return h(
    'section.card.org-card.org-detail',
    { 'data-testid': 'ticket-detail', 'data-id': tk.id, 'aria-labelledby': 'tk-title' },
    h('div.org-row.org-spread', null,
      h('h2.section-title', { id: 'tk-title', tabindex: -1 }, `#${tk.id} ${tk.title}`),
      h('button.button.button-secondary.org-small', { type: 'button', onclick: close, 'data-testid': 'ticket-close' }, tr('common.close')),
    ),
    h('p', null, ticketState(tk.state), ' ', h('span.badge.org-cat', null, trx(`cat.${tk.category}`)),
      tk.overdue ? [' ', h('span.badge.org-overdue-badge', null, tr('ticket.overdue'))] : null),
    tk.description ? h('p.org-pre', null, tk.description) : null,
    h('dl.org-health', null,
      h('dt', null, tr('ticket.location')), h('dd', null, [tk.location.compound, tk.location.building].filter(Boolean).join(' ') || '–'),
      h('dt', null, tr('ticket.assignees')), h('dd', { 'data-testid': 'ticket-assignees' }, assigneesText(tk.assignees)),
      h('dt', null, tr('ticket.dueLabel')), h('dd', null, tk.due_ms ? formatDateTime(tk.due_ms) : '–'),
      h('dt', null, tr('ticket.created')), h('dd', null, `${formatDateTime(tk.created_ms)} · ${tk.created_by}`),
    ),
    field('tk-note', tr('ticket.note'), note),
    h('div.org-check', null, pub, h('label', { for: 'tk-public' }, tr('ticket.public'))),
    h('div.org-row', null,
      moves,
      h('button.button.button-secondary', {
        type: 'button',
        'data-testid': 'ticket-add-note',
        onclick: () => {
          if (!note.value.trim()) {
            msg.fail(tr('ticket.noteMissing'));
            return;
          }
          done(noteTicket(tk.id, note.value.trim(), pub.checked), tr('ticket.noted'));
        },
      }, tr('ticket.addNote')),
    ),
    canAssign
      ? h('div.org-assign', null,
          h('h3.org-h3', null, tr('ticket.assignTitle')),
          h('div.org-row', null, field('tk-kind', tr('ticket.kind'), kind), field('tk-assignee', tr('ticket.assigneeName'), who)),
          h('button.button.button-secondary', {
            type: 'button',
            'data-testid': 'assign-submit',
            onclick: () => {
              if (!who.value.trim()) {
                msg.fail(tr('ticket.assigneeMissing'));
                return;
              }
              const list = [...tk.assignees, { kind: kind.value as Assignee['kind'], name: who.value.trim() }];
              done(assignTicket(tk.id, list, note.value.trim()), tr('ticket.assigned'));
            },
          }, tr('ticket.assign')),
        )
      : null,
    msg.el,
    h('h3.org-h3', null, tr('ticket.history')),
    h('ol.org-history', { 'data-testid': 'ticket-history' }, tk.history.map((e) =>
      h('li', null,
        h('span.org-when', null, formatDateTime(e.at_ms)), ' ',
        h('strong', null, e.actor), ' ',
        e.to ? tr('ticket.historyTo', { state: trx(`ticket.state.${e.to}`) }) : trx(`ticket.action.${e.action}`),
        e.note ? h('span.org-pre', null, ` — ${e.note}`) : null,
        e.public ? h('span.badge.org-cat', null, tr('ticket.publicBadge')) : null,
      ))),
  );
}

function createFromQuestion(forums: ForumSummary[], preset: string, presetQuestion: string, onCreated: (t: Ticket) => void): HTMLElement {
  const forum = h('select.input', { id: 'nt-forum', 'data-testid': 'nt-forum' },
    h('option', { value: '' }, tr('filter.pickForum')),
    forums.map((f) => h('option', { value: f.id, selected: f.id === preset }, f.title)),
  ) as HTMLSelectElement;
  const question = h('select.input', { id: 'nt-question', 'data-testid': 'nt-question', disabled: true }, h('option', { value: '' }, tr('create.pickForumFirst'))) as HTMLSelectElement;
  const cat = h('select.input', { id: 'nt-cat', 'data-testid': 'nt-category' },
    h('option', { value: '' }, tr('create.catFromQuestion')),
    CATEGORIES.map((c) => h('option', { value: c }, trx(`cat.${c}`))),
  ) as HTMLSelectElement;
  const dept = h('input.input', { id: 'nt-dept', maxlength: 60, 'data-testid': 'nt-assignee', autocomplete: 'off' }) as HTMLInputElement;
  const due = h('input.input', { id: 'nt-due', type: 'datetime-local', 'data-testid': 'nt-due' }) as HTMLInputElement;
  const submit = h('button.button.button-primary', { type: 'submit', 'data-testid': 'nt-submit' }, tr('create.submit')) as HTMLButtonElement;
  const msg = notice();
  const loadQuestions = () => {
    question.disabled = true;
    replace(question, h('option', { value: '' }, forum.value ? tr('create.loading') : tr('create.pickForumFirst')));
    if (!forum.value) return;
    transcript(forum.value).then(
      (tx) => {
        const qs = tx.questions ?? [];
        replace(question, h('option', { value: '' }, qs.length ? tr('create.pickQuestion') : tr('create.noQuestions')),
          qs.map((q) => h('option', { value: q.id, selected: String(q.id) === presetQuestion }, `#${q.id} ${q.text.length > 60 ? `${q.text.slice(0, 59)}…` : q.text}${q.ticket_ids?.length ? ` (${tr('create.hasTicket')})` : ''}`)));
        question.disabled = qs.length === 0;
      },
      (err: unknown) => msg.fail(err),
    );
  };
  forum.addEventListener('change', loadQuestions);
  if (preset) loadQuestions();
  const form = h('form.form', { 'data-testid': 'new-ticket', novalidate: true },
    h('div.org-filters', null,
      field('nt-forum', tr('filter.forum'), forum),
      field('nt-question', tr('create.question'), question),
      field('nt-cat', tr('filter.category'), cat),
      field('nt-dept', tr('create.department'), dept),
      field('nt-due', tr('ticket.dueLabel'), due),
    ),
    h('div.form-actions', null, submit),
    msg.el,
  ) as HTMLFormElement;
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const qid = Number(question.value);
    if (!qid) {
      msg.fail(tr('create.questionMissing'));
      return;
    }
    submit.disabled = true;
    const dueMs = due.value ? Date.parse(fromLocalInput(due.value)) : NaN;
    createTicket({
      question_id: qid,
      ...(cat.value ? { category: cat.value as Ticket['category'] } : {}),
      ...(dept.value.trim() ? { assignees: [{ kind: 'department', name: dept.value.trim() }] } : {}),
      ...(Number.isFinite(dueMs) ? { due_ms: dueMs } : {}),
    }).then(
      (t2) => {
        submit.disabled = false;
        msg.ok(tr('create.done', { id: t2.id }));
        onCreated(t2);
        loadQuestions();
      },
      (err: unknown) => {
        submit.disabled = false;
        msg.fail(err);
      },
    );
  });
  return form;
}

export default function ticketsPage({ root, query }: PageContext) {
  return orgFrame(root, { title: tr('tickets.pageTitle'), section: 'tickets', roles: ['organizer', 'moderator'], wide: true }, ({ body, alive }) => {
    const filter: TicketFilter = { forum: query.get('forum') ?? '', status: query.get('status') ?? '' };
    const list = h('div', { 'data-testid': 'ticket-list' }, loadingState());
    const detailBox = h('div');
    const count = h('p.muted', { role: 'status', 'data-testid': 'ticket-count' });
    const forumNames = new Map<string, string>();

    function openTicket(id: number): void {
      replace(detailBox, loadingState());
      getTicket(id).then(
        (tk) => {
          if (!alive()) return;
          const draw = (t2: Ticket) => {
            replace(detailBox, detail(t2, (t3) => {
              draw(t3);
              load();
            }, () => {
              replace(detailBox);
              list.querySelector<HTMLElement>(`[data-id="${id}"] button`)?.focus();
            }));
          };
          draw(tk);
          detailBox.querySelector<HTMLElement>('#tk-title')?.focus();
        },
        (err: unknown) => alive() && replace(detailBox, errorState(err, () => openTicket(id))),
      );
    }

    // Names seen on the board so far, offered by the compound and assignee filters.
    const compounds = h('datalist', { id: 'f-compound-list' });
    const assignees = h('datalist', { id: 'f-assignee-list' });
    const seen = { compound: new Set<string>(), assignee: new Set<string>() };
    function remember(tickets: Ticket[]): void {
      for (const tk of tickets) {
        if (tk.location.compound) seen.compound.add(tk.location.compound);
        for (const a of tk.assignees) seen.assignee.add(a.name);
      }
      replace(compounds, [...seen.compound].sort().map((v) => h('option', { value: v })));
      replace(assignees, [...seen.assignee].sort().map((v) => h('option', { value: v })));
    }

    function load(): void {
      listTickets(filter).then(
        (tickets) => {
          if (!alive()) return;
          remember(tickets);
          const overdue = tickets.filter((x) => x.overdue).length;
          replace(count, tr('tickets.count', { n: tickets.length, overdue }));
          if (tickets.length === 0) {
            replace(list, emptyState(tr('tickets.emptyTitle'), tr('tickets.emptyBody')));
            return;
          }
          // Overdue first, then by due date, then newest.
          const sorted = [...tickets].sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.due_ms ?? Infinity) - (b.due_ms ?? Infinity) || b.id - a.id);
          replace(list, h('ul.org-tickets', null, sorted.map((tk) => ticketCard(tk, forumNames, openTicket))));
        },
        (err: unknown) => alive() && replace(list, errorState(err, load)),
      );
    }

    function filters(forums: ForumSummary[]): HTMLElement {
      const sel = (id: string, label: string, key: keyof TicketFilter, options: Array<[string, string]>) => {
        const s = h('select.input', { id, 'data-testid': `filter-${key}` },
          h('option', { value: '' }, tr('filter.all')),
          options.map(([v, l]) => h('option', { value: v, selected: filter[key] === v }, l)),
        ) as HTMLSelectElement;
        s.addEventListener('change', () => {
          (filter as Record<string, unknown>)[key] = s.value;
          load();
        });
        return field(id, label, s);
      };
      const text = (id: string, label: string, key: 'compound' | 'assignee') => {
        const i = h('input.input', { id, type: 'search', list: `${id}-list`, 'data-testid': `filter-${key}`, autocomplete: 'off' }) as HTMLInputElement;
        i.addEventListener('change', () => {
          filter[key] = i.value.trim();
          load();
        });
        return h('div', null, field(id, label, i, tr('filter.exact')), key === 'compound' ? compounds : assignees);
      };
      const od = h('input', { id: 'f-overdue', type: 'checkbox', 'data-testid': 'filter-overdue' }) as HTMLInputElement;
      od.addEventListener('change', () => {
        filter.overdue = od.checked;
        load();
      });
      return h('form.org-filters', { role: 'search', 'aria-label': tr('filter.label'), onsubmit: (ev: Event) => ev.preventDefault() },
        sel('f-forum', tr('filter.forum'), 'forum', forums.map((f) => [f.id, f.title])),
        sel('f-category', tr('filter.category'), 'category', CATEGORIES.map((c) => [c, trx(`cat.${c}`)])),
        text('f-compound', tr('filter.compound'), 'compound'),
        text('f-assignee', tr('filter.assignee'), 'assignee'),
        sel('f-status', tr('filter.status'), 'status', TICKET_STATES.map((s) => [s, trx(`ticket.state.${s}`)])),
        h('div.org-check.org-check-field', null, od, h('label', { for: 'f-overdue' }, tr('filter.overdue'))),
      );
    }

    replace(body, loadingState());
    listForums().then(
      (forums) => {
        if (!alive()) return;
        forums.forEach((f) => forumNames.set(f.id, f.title));
        replace(
          body,
          section(tr('filter.title'), filters(forums), count),
          h('div.org-board', null, h('div.org-board-list', null, list), h('div.org-board-detail', null, detailBox)),
          h('details.card.org-card.org-create', { 'data-testid': 'new-ticket-box', open: query.get('new') === '1' ? true : null },
            h('summary.section-title', null, tr('create.title')),
            createFromQuestion(forums, filter.forum ?? '', query.get('question') ?? '', (tk) => {
              load();
              openTicket(tk.id);
            }),
          ),
        );
        load();
      },
      (err: unknown) => alive() && replace(body, errorState(err)),
    );
  });
}
