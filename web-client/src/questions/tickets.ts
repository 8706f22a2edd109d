// "My questions" → tickets (工单): what the community workers did with this device's
// questions (GET /api/v1/my/tickets as the device): the ticket's state, its public
// progress notes with local times, and once it is resolved the rating form (问题解决了吗?
// yes / no, 1–5 stars, an optional comment → POST /api/v1/tickets/<id>/rate). A rating
// already given is shown instead of the form. Tickets change on the server, not over
// the WebSocket: the list is fetched on every (re)join, when the "my questions" tab is
// opened, and every minute while the page is visible.
// What it leaves to others: the HTTP calls (src/api.ts), the question list around it.
import { h, replace } from '../dom';
import { formatDateTime, hasMessage, t } from '../i18n';
import { ApiError, myTickets, rateTicket, type MyTicket } from '../api';
import { errorMessage } from '../components/states';
import { categoryName } from './model';

const POLL_MS = 60_000;

function stateName(state: string): string {
  const key = `ticket.state.${state}`;
  return hasMessage(key) ? t(key) : state;
}

function rateError(err: unknown): string {
  if (err instanceof ApiError) {
    const key = `ticket.error.${err.code}`;
    if (hasMessage(key)) return t(key);
  }
  return errorMessage(err);
}

/** A radio group of buttons (44 px tap targets; arrow keys move, as radios do). */
function choice<T extends string | number>(label: string, options: { value: T; text: string; aria?: string }[], testid: string):
  { el: HTMLElement; value(): T | null } {
  let value: T | null = null;
  const buttons = options.map((o, i) => h('button.chip', {
    type: 'button', role: 'radio', 'aria-checked': 'false', tabindex: i === 0 ? 0 : -1,
    'aria-label': o.aria ?? null, 'data-value': String(o.value), 'data-testid': `${testid}-${o.value}`,
    onclick: () => pick(i),
    onkeydown: (ev) => {
      const k = (ev as KeyboardEvent).key;
      const d = k === 'ArrowRight' || k === 'ArrowDown' ? 1 : k === 'ArrowLeft' || k === 'ArrowUp' ? -1 : 0;
      if (!d) return;
      ev.preventDefault();
      const j = (i + d + options.length) % options.length;
      pick(j);
      buttons[j]!.focus();
    },
  }, o.text));
  function pick(i: number): void {
    value = options[i]!.value;
    buttons.forEach((b, j) => {
      b.setAttribute('aria-checked', String(i === j));
      b.tabIndex = i === j ? 0 : -1;
    });
  }
  const id = `${testid}-label`;
  return {
    el: h('div.field', null, h('p.label', { id }, label), h('div.chips', { role: 'radiogroup', 'aria-labelledby': id, 'data-testid': testid }, buttons)),
    value: () => value,
  };
}

function rateForm(ticket: MyTicket, done: () => void): HTMLElement {
  const base = `rate-${ticket.id}`;
  const confirmed = choice(t('ticket.confirmQuestion'), [
    { value: 'yes', text: t('ticket.confirmYes') },
    { value: 'no', text: t('ticket.confirmNo') },
  ], `${base}-confirmed`);
  const stars = choice(t('ticket.stars'), [1, 2, 3, 4, 5].map((n) => ({ value: n, text: '★'.repeat(n), aria: t('ticket.starsN', { n }) })), `${base}-stars`);
  const comment = h('textarea.input', { id: `${base}-comment`, rows: 2, maxlength: 500, 'data-testid': 'rate-comment' }) as HTMLTextAreaElement;
  const message = h('div.form-message', { 'aria-live': 'polite', 'data-testid': 'rate-message' });
  const submit = h('button.button.button-primary', { type: 'submit', 'data-testid': 'rate-submit' }, t('ticket.rateSubmit')) as HTMLButtonElement;
  return h('form.rate-form', {
    novalidate: true, 'data-testid': 'rate-form', 'aria-label': t('ticket.rateTitle'),
    onsubmit: (ev) => {
      ev.preventDefault();
      const c = confirmed.value();
      const n = stars.value();
      if (!c || !n) return void replace(message, h('p.notice.notice-error', { role: 'alert' }, t('ticket.rateMissing')));
      submit.disabled = true;
      replace(message);
      rateTicket(ticket.id, { stars: n, confirmed: c === 'yes', comment: comment.value.trim() }).then(
        () => done(),
        (err: unknown) => {
          submit.disabled = false;
          replace(message, h('p.notice.notice-error', { role: 'alert' }, rateError(err)));
        },
      );
    },
  },
  h('p.rate-title', null, t('ticket.rateTitle')),
  confirmed.el, stars.el,
  h('div.field', null, h('label.label', { for: `${base}-comment` }, t('ticket.comment')), comment),
  message, submit);
}

function ticketItem(ticket: MyTicket, reload: () => void): HTMLElement {
  const r = ticket.my_rating;
  return h('li.ticket.card', { 'data-testid': 'ticket', 'data-id': ticket.id, 'data-state': ticket.state },
    h('p.ticket-head', null,
      h(`span.badge.ticket-badge.ticket-${ticket.state}`, { 'data-testid': 'ticket-state' }, stateName(ticket.state)),
      ' ', h('span.q-meta', null, t('ticket.number', { id: ticket.id }),
        ticket.question_id ? ` · ${t('ticket.fromQuestion', { id: ticket.question_id })}` : '',
        ticket.category ? ` · ${categoryName(ticket.category)}` : '')),
    h('p.ticket-title', null, ticket.title),
    ticket.progress.length
      ? h('ol.ticket-progress', { 'aria-label': t('ticket.progress') }, ticket.progress.map((p) => h('li', { 'data-testid': 'ticket-note' },
        h('span.q-meta', null, formatDateTime(p.at_ms), ' · ', stateName(p.state)), p.note ? h('span.ticket-note', null, p.note) : null)))
      : h('p.muted', null, t('ticket.noProgress')),
    r ? h('p.ticket-rated', { 'data-testid': 'ticket-rated' },
      t('ticket.rated', { stars: '★'.repeat(r.stars) + '☆'.repeat(Math.max(0, 5 - r.stars)) }), ' ', t(r.confirmed ? 'ticket.ratedYes' : 'ticket.ratedNo')) : null,
    ticket.can_rate ? rateForm(ticket, reload) : null);
}

export interface TicketsPanel {
  el: HTMLElement;
  refresh(): void;
  /** True when this device has at least one ticket. */
  any(): boolean;
}

export function ticketsPanel(): TicketsPanel {
  const body = h('div.tickets-body', { 'aria-live': 'polite' });
  const el = h('section.q-section', { 'aria-labelledby': 'tickets-title', 'data-testid': 'tickets' },
    h('h3.q-heading', { id: 'tickets-title' }, t('ticket.title')), body);
  let shown = false;
  let busy = false;
  let count = 0;
  let timer: number | undefined;

  let again = false;
  function refresh(): void {
    // One request at a time; a refresh asked for meanwhile runs after it (its answer may be older).
    if (busy) return void (again = true);
    busy = true;
    if (!shown) replace(body, h('p.muted', { role: 'status' }, t('common.loading')));
    myTickets().then(
      (list) => {
        shown = true;
        count = list.length;
        if (count) el.hidden = false;
        replace(body, list.length
          ? h('ul.ticket-list', null, list.sort((a, b) => b.created_ms - a.created_ms).map((x) => ticketItem(x, refresh)))
          : h('p.muted', { 'data-testid': 'tickets-empty' }, t('ticket.empty')));
      },
      (err: unknown) => {
        if (!shown) replace(body, h('p.notice.notice-error', { role: 'alert' }, errorMessage(err), ' ',
          h('button.link-button', { type: 'button', onclick: refresh }, t('common.retry'))));
      },
    ).finally(() => {
      busy = false;
      if (again) {
        again = false;
        refresh();
      } else schedule();
    });
  }
  function schedule(): void {
    if (timer !== undefined) window.clearTimeout(timer);
    if (!el.isConnected) return; // the page is gone
    timer = window.setTimeout(() => {
      timer = undefined;
      // Not while the resident is filling in a rating (a re-render would lose it).
      const typing = body.contains(document.activeElement) && document.activeElement !== document.body;
      if (document.visibilityState === 'visible' && !typing) refresh();
      else schedule();
    }, POLL_MS);
  }
  return { el, refresh, any: () => count > 0 };
}

