// The resident's questions tab on /f/<id>: ask (1–max characters, an optional
// category), "my questions" with their live status (pending, approved, rejected with the
// reason, merged into #N, on air, answered with the answer), the question on air pinned,
// approved questions by votes with vote / unvote (one per device, the server decides),
// answered ones marked, and a question's thread (its answer and follow-ups, with a
// follow-up form), and the tickets made from this device's questions with their rating
// (src/questions/tickets.ts). Uses the page's ChatClient (ops `questions`, `ask`, `follow_up`,
// `vote`, `unvote`); ids this device asked are kept in localStorage per forum, because
// the wire never says whose a question is.
// What it leaves to others: the connection (src/chat/client.ts), the records
// (src/questions/model.ts), the comments tab (src/pages/forum.ts).
import { h, replace } from '../dom';
import { t, type MessageKey } from '../i18n';
import { ChatError, type ChatClient, type ChatEvent } from '../chat/client';
import { chatErrorMessage } from '../chat/composer';
import { CATEGORIES, PUBLIC_STATES, QuestionSet, askerLine, categoryName, lastAnswer, statusText, type Question } from './model';
import { ticketsPanel } from './tickets';

const DEFAULT_MAX = 500;

function chars(s: string): number {
  return [...s.normalize('NFC')].length;
}

function questionError(err: unknown): string {
  const code = err instanceof ChatError ? err.code : 'unknown';
  const key = `q.error.${code}`;
  const msg = t(key as MessageKey);
  return msg !== key ? msg : chatErrorMessage(err instanceof ChatError ? err : new ChatError('unknown', ''), 0);
}

interface AskForm {
  el: HTMLElement;
  focus(): void;
}

/** A text box with a counter, optional category chips and a submit button. */
function askForm(idBase: string, label: string, submitLabel: string, max: () => number, withCategory: boolean,
  send: (text: string, category: string) => Promise<void>): AskForm {
  const text = h('textarea.input.q-input', { id: `${idBase}-text`, rows: 3, 'data-testid': `${idBase}-text` }) as HTMLTextAreaElement;
  const counter = h('span.counter', { 'aria-live': 'off' });
  const message = h('div.form-message', { 'aria-live': 'polite', 'data-testid': `${idBase}-message` });
  const submit = h('button.button.button-primary', { type: 'submit', 'data-testid': `${idBase}-submit` }, submitLabel) as HTMLButtonElement;
  let category = '';
  const chips = withCategory
    ? h('div.chips', { role: 'radiogroup', 'aria-label': t('q.category') },
      CATEGORIES.map((c) => {
        const b = h('button.chip', { type: 'button', role: 'radio', 'aria-checked': 'false', 'data-category': c }, categoryName(c)) as HTMLButtonElement;
        b.onclick = () => {
          category = category === c ? '' : c;
          for (const other of b.parentElement!.children) other.setAttribute('aria-checked', String((other as HTMLElement).dataset.category === category));
        };
        return b;
      }))
    : null;
  const count = (): void => {
    const n = chars(text.value);
    replace(counter, `${n}/${max()}`);
    counter.classList.toggle('over', n > max());
  };
  text.addEventListener('input', count);
  count();
  const form = h('form.q-form', {
    novalidate: true,
    onsubmit: (ev) => {
      ev.preventDefault();
      const value = text.value.trim();
      replace(message);
      if (!value) return void replace(message, h('p.notice.notice-error', { role: 'alert' }, t('q.error.text_empty')));
      if (chars(value) > max()) return void replace(message, h('p.notice.notice-error', { role: 'alert' }, t('q.tooLongMax', { max: max() })));
      submit.disabled = true;
      send(value, category).then(
        () => {
          text.value = '';
          count();
          replace(message, h('p.notice.notice-info', { role: 'status' }, t('q.sent')));
        },
        (err: unknown) => replace(message, h('p.notice.notice-error', { role: 'alert' }, questionError(err))),
      ).finally(() => (submit.disabled = false));
    },
  },
  h('label.label', { for: `${idBase}-text` }, label), text, chips,
  h('div.q-form-foot', null, counter, submit), message);
  return { el: form, focus: () => text.focus() };
}

export interface QuestionsPanel {
  el: HTMLElement;
  /** 'all': ask, on air, mine, by votes, answered; 'mine': only my questions and their tickets. */
  view(which: 'all' | 'mine'): void;
  /** Whether the resident has a name yet: asking and follow-ups need one (voting does not). */
  setNamed(named: boolean): void;
  /** Fetches the tickets again (the "my questions" tab was opened). */
  refreshTickets(): void;
  /** The client joined (again): fetch the whole list. */
  joined(client: ChatClient): void;
  /** A stream or side event; true when it was about questions. */
  event(ev: ChatEvent): boolean;
}

export function questionsPanel(forumId: string, canAsk: boolean, onChange?: (set: QuestionSet) => void): QuestionsPanel {
  const set = new QuestionSet(`forumcast.voted.${forumId}`);
  const askedKey = `forumcast.asked.${forumId}`;
  const mine = new Set<number>(readMine());
  let client: ChatClient | null = null;
  let max = DEFAULT_MAX;
  const open = new Set<number>();
  const followForms = new Map<number, AskForm>();

  function readMine(): number[] {
    try {
      const v = JSON.parse(localStorage.getItem(askedKey) ?? '[]') as unknown;
      return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
    } catch {
      return [];
    }
  }
  function remember(q: Question): void {
    mine.add(q.id);
    try {
      localStorage.setItem(askedKey, JSON.stringify([...mine].slice(-200)));
    } catch {
      // kept for this page view only
    }
  }

  async function call(op: string, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (!client) throw new ChatError('offline', 'not connected');
    return client.call(op, fields);
  }

  const ask = askForm('ask', t('q.askLabel'), t('q.askSubmit'), () => max, true, async (text, category) => {
    const reply = await call('ask', category ? { text, category } : { text });
    const q = reply.question as Question | undefined;
    if (q) {
      remember(q);
      set.put(q);
      render();
    }
  });

  const onAirSlot = h('div.q-onair-slot', { 'data-testid': 'q-onair' });
  const mineList = h('ul.q-list', { 'data-testid': 'q-mine' });
  const approvedList = h('ul.q-list', { 'data-testid': 'q-approved' });
  const answeredList = h('ul.q-list', { 'data-testid': 'q-answered' });
  const mineEmpty = h('p.muted', { 'data-testid': 'q-mine-empty' }, t('q.mineEmpty'));
  const tickets = ticketsPanel();
  const mineSection = h('section.q-section', { 'aria-labelledby': 'q-mine-title' }, h('h3.q-heading', { id: 'q-mine-title' }, t('q.mine')), mineEmpty, mineList);
  // Shown in the "questions" view only; my questions and tickets are in both views.
  let named = true;
  let loaded = false;
  const askSection = canAsk ? h('section.q-section.card', { id: 'ask' }, h('h3.q-heading', null, t('q.askTitle')), ask.el) : null;
  const allOnly = [
    askSection ?? h('p.notice.notice-info', null, t('q.closed')),
    onAirSlot,
  ];
  const allOnlyAfter = [
    h('section.q-section', null, h('h3.q-heading', null, t(canAsk ? 'q.approvedCosign' : 'q.approved')), approvedList),
    h('section.q-section', null, h('h3.q-heading', null, t('q.answeredTitle')), answeredList),
  ];
  const el = h('div.q-panel', { 'data-testid': 'questions', 'data-view': 'all' }, allOnly, mineSection, tickets.el, allOnlyAfter);
  let mineView = false;

  function voteButton(q: Question): HTMLElement | null {
    if (q.state !== 'approved' && q.state !== 'on_air') return null;
    const voted = set.voted.has(q.id);
    const b = h('button.vote', {
      type: 'button', 'aria-pressed': String(voted), 'data-testid': 'q-vote',
      'aria-label': t(voted ? 'q.unvoteLabel' : 'q.voteLabel', { count: q.votes ?? 0 }),
    }, h('span.vote-icon', { 'aria-hidden': 'true' }, '▲'), h('span.vote-count', { 'data-testid': 'q-votes' }, String(q.votes ?? 0))) as HTMLButtonElement;
    b.onclick = () => {
      b.disabled = true;
      const add = !set.voted.has(q.id);
      call(add ? 'vote' : 'unvote', { id: q.id }).then(
        (r) => {
          set.setVoted(q.id, typeof r.voted === 'boolean' ? r.voted : add);
          const cur = set.get(q.id);
          if (cur && typeof r.votes === 'number') cur.votes = r.votes;
          render();
        },
        (err: unknown) => {
          // The server is the judge: already_voted / not_voted mean the other state.
          if (err instanceof ChatError && (err.code === 'already_voted' || err.code === 'not_voted')) {
            set.setVoted(q.id, err.code === 'already_voted');
            render();
          } else {
            b.disabled = false;
            b.title = questionError(err);
          }
        },
      );
    };
    return b;
  }

  function thread(q: Question): HTMLElement {
    const answer = lastAnswer(q);
    const follows = set.followUps(q.id);
    let form = followForms.get(q.id);
    if (!form && canAsk && named && (q.state === 'approved' || q.state === 'on_air' || q.state === 'answered')) {
      form = askForm(`follow-${q.id}`, t('q.followLabel'), t('q.followSubmit'), () => max, false, async (text) => {
        const reply = await call('follow_up', { parent: q.id, text });
        const f = reply.question as Question | undefined;
        if (f) {
          remember(f);
          set.put(f);
          render();
        }
      });
      followForms.set(q.id, form);
    }
    return h('div.q-thread', { 'data-testid': 'q-thread' },
      answer ? h('div.q-answer', { 'data-testid': 'q-answer' }, h('p.q-answer-label', null, answer.panelist ? t('q.answerBy', { name: answer.panelist }) : t('q.answer')), h('p', null, answer.summary)) : null,
      follows.length
        ? h('ul.q-follows', null, follows.map((f) => h('li.q-follow', { 'data-testid': 'q-follow' }, h('span.q-follow-label', null, t('q.followUp')), ' ', f.text, h('span.q-meta', null, ' · ', askerLine(f)))))
        : h('p.muted', null, t('q.noFollowUps')),
      form?.el);
  }

  function item(q: Question, withStatus: boolean): HTMLElement {
    const answer = lastAnswer(q);
    const isOpen = open.has(q.id);
    const toggle = h('button.link-button', {
      type: 'button', 'aria-expanded': String(isOpen), 'data-testid': 'q-thread-toggle',
      onclick: () => {
        if (open.has(q.id)) open.delete(q.id);
        else open.add(q.id);
        render();
      },
    }, t(isOpen ? 'q.hideThread' : 'q.showThread', { count: set.followUps(q.id).length }));
    const showThread = q.state === 'approved' || q.state === 'on_air' || q.state === 'answered';
    return h(`li.q-item.q-${q.state}`, { 'data-testid': 'q-item', 'data-id': q.id, 'data-state': q.state },
      h('div.q-row', null,
        voteButton(q),
        h('div.q-body', null,
          h('p.q-meta', null, `#${q.id}`, q.category ? h('span.q-cat', null, categoryName(q.category)) : null, ' ', askerLine(q)),
          h('p.q-text', { 'data-testid': 'q-text' }, q.text),
          withStatus || q.state === 'answered'
            ? h('p.q-status', { 'data-testid': 'q-status', 'data-state': q.state }, statusText(q)) : null,
          withStatus && answer ? h('p.q-answer-inline', { 'data-testid': 'q-answer-inline' }, t('q.answer'), ': ', answer.summary) : null,
          showThread ? toggle : null)),
      isOpen && showThread ? thread(q) : null);
  }

  function render(): void {
    const onAir = set.get(set.onAir);
    replace(onAirSlot, onAir ? h('div.q-onair.card', null, h('p.q-onair-label', null, h('span.live-dot', { 'aria-hidden': 'true' }), t('q.onAirNow')), h('ul.q-list', null, item(onAir, false))) : null);
    const own = [...mine].map((id) => set.get(id)).filter((q): q is Question => !!q).sort((a, b) => b.id - a.id);
    // In the "all" view an empty "my questions" takes no room; in "mine" it says why it is empty.
    mineSection.hidden = !mineView && own.length === 0;
    mineEmpty.hidden = own.length > 0;
    replace(mineList, own.map((q) => item(q, true)));
    onChange?.(set);
    // "None yet" only once the server has said so (not before the first `questions` reply).
    const approved = set.approved();
    replace(approvedList, approved.length ? approved.map((q) => item(q, false)) : loaded ? h('li.muted', null, t('q.noneApproved')) : null);
    const answered = set.answered();
    replace(answeredList, answered.length ? answered.map((q) => item(q, false)) : loaded ? h('li.muted', null, t('q.noneAnswered')) : null);
  }
  render();

  return {
    el,
    view(which) {
      mineView = which === 'mine';
      el.dataset.view = which;
      for (const x of [...allOnly, ...allOnlyAfter]) x.hidden = mineView;
      if (askSection) askSection.hidden = mineView || !named;
      tickets.el.hidden = !mineView && !tickets.any();
      render();
    },
    setNamed(v) {
      named = v;
      if (askSection) askSection.hidden = mineView || !named;
      render();
    },
    refreshTickets: () => tickets.refresh(),
    joined(c) {
      client = c;
      tickets.refresh();
      c.call('questions').then((reply) => {
        loaded = true;
        set.load(reply);
        // The resident's view holds public questions and their own: any other is theirs.
        for (const q of set.byId.values()) if (!PUBLIC_STATES.has(q.state)) remember(q);
        render();
      }, () => undefined);
      c.call('settings').then((reply) => {
        const s = reply.settings as { max_question_chars?: number } | undefined;
        if (s && typeof s.max_question_chars === 'number') max = s.max_question_chars;
      }, () => undefined);
    },
    event(ev) {
      if (!set.apply(ev)) return false;
      // A question event for a non-public one reaches only its asker's device.
      if (ev.ev === 'question') {
        const q = ev.question as Question;
        if (q && !['approved', 'on_air', 'answered'].includes(q.state) && q.id) remember(q);
      }
      render();
      return true;
    },
  };
}
