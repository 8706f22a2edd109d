// The console's blocked-term editor: the forum's list or the global one (a scope
// switch), each term with its action; organizers add (term, action, timeout minutes;
// Enter submits) and remove (a button per row); moderators see the list read-only.
// Changes go over HTTP (terms_api.ts) and apply from the next comment. Rows keep
// their order (new terms at the end), so nothing moves under the pointer; at most
// MAX_SHOWN rows are drawn (a 10,000-term list is summarised).
// What it leaves to others: the page layout (pages/mod.ts), the status line (say).
import { h, replace } from '../dom';
import { tr, hasModKey } from './i18n';
import { TERM_ACTIONS, TermsError, addTerm, listTerms, removeTerm, type BlockedTerm, type TermAction } from './terms_api';

const MAX_SHOWN = 500;

export interface TermsPanelOptions {
  forumId: string;
  token: string;
  canEdit: boolean; // organizers
  say: (text: string, error?: boolean) => void;
}

export function termsErrorText(err: unknown): string {
  const code = err instanceof TermsError ? err.code : '';
  const key = `modx.error.${code}`;
  return hasModKey(key) ? tr(key) : tr('modx.error.other');
}

export function termsPanel(o: TermsPanelOptions): { el: HTMLElement; refresh: () => void } {
  let scope = o.forumId; // '' = global
  let terms: BlockedTerm[] = [];
  const list = h('ul.mt-list', { 'data-testid': 'terms-list', 'aria-label': tr('modx.terms.title') });
  const count = h('p.muted.mt-count', { 'data-testid': 'terms-count' });
  const scopeSel = h('select.input', { 'data-testid': 'terms-scope', 'aria-label': tr('modx.terms.scope'), onchange: () => {
    scope = scopeSel.value === 'global' ? '' : o.forumId;
    refresh();
  } }, h('option', { value: 'forum' }, tr('modx.terms.scopeForum')), h('option', { value: 'global' }, tr('modx.terms.scopeGlobal'))) as HTMLSelectElement;
  const termInput = h('input.input', { 'data-testid': 'terms-input', maxlength: 64, required: true, autocomplete: 'off', 'aria-label': tr('modx.terms.term') }) as HTMLInputElement;
  const actionSel = h('select.input', { 'data-testid': 'terms-action', 'aria-label': tr('modx.terms.action') },
    TERM_ACTIONS.map((a) => h('option', { value: a }, tr(`modx.action.${a}`)))) as HTMLSelectElement;
  const minutes = h('input.input.mt-minutes', { type: 'number', min: 1, max: 10080, value: 10, 'data-testid': 'terms-minutes', 'aria-label': tr('modx.terms.timeoutMin') }) as HTMLInputElement;
  const syncMinutes = (): void => {
    minutes.hidden = actionSel.value !== 'timeout';
  };
  actionSel.addEventListener('change', syncMinutes);
  syncMinutes();

  function row(t: BlockedTerm): HTMLElement {
    return h('li.mt-row', { 'data-testid': 'terms-row', 'data-term': t.term, 'data-action': t.action },
      h('span.mt-term', null, t.term),
      h(`mark.flag.mt-${t.action}`, null, tr(`modx.action.${t.action}`), t.action === 'timeout' && t.timeout_ms ? ` ${Math.round(t.timeout_ms / 60000)}′` : ''),
      o.canEdit
        ? h('button.link-button', { type: 'button', 'data-testid': 'terms-remove', 'aria-label': `${tr('modx.terms.remove')} ${t.term}`, onclick: () => void remove(t.term) }, tr('modx.terms.remove'))
        : null);
  }

  function render(): void {
    const shown = terms.slice(0, MAX_SHOWN);
    replace(list, shown.length ? shown.map(row) : h('li.muted', null, tr('modx.terms.empty')));
    replace(count, tr('modx.terms.count', { count: terms.length }), terms.length > MAX_SHOWN ? ` · ${tr('modx.terms.more', { count: terms.length - MAX_SHOWN })}` : '');
  }

  function refresh(): void {
    void listTerms(o.token, scope).then((l) => {
      terms = l.terms;
      render();
    }, (err) => o.say(termsErrorText(err), true));
  }

  async function remove(term: string): Promise<void> {
    try {
      const l = await removeTerm(o.token, scope, term);
      terms = l.terms;
      render();
      o.say(tr('modx.terms.removed', { term }));
    } catch (err) {
      o.say(termsErrorText(err), true);
    }
  }

  const form = h('form.mq-form.mt-form', { 'data-testid': 'terms-form', onsubmit: (ev) => {
    ev.preventDefault();
    const term = termInput.value.trim();
    if (!term) return;
    const action = actionSel.value as TermAction;
    const t: BlockedTerm = { term, action, ...(action === 'timeout' ? { timeout_ms: Math.max(1, Number(minutes.value) || 10) * 60000 } : {}) };
    void addTerm(o.token, scope, t).then((l) => {
      terms = l.terms;
      render();
      termInput.value = '';
      termInput.focus();
      o.say(tr('modx.terms.added', { term }));
    }, (err) => o.say(termsErrorText(err), true));
  } },
  termInput, actionSel, minutes,
  h('button.button.button-secondary', { type: 'submit', 'data-testid': 'terms-add' }, tr('modx.terms.add')));

  const el = h('section.card.mt-panel', { 'data-testid': 'mod-terms' },
    h('div.mq-bar', null, h('h2.mq-heading', null, tr('modx.terms.title')), scopeSel),
    o.canEdit ? form : h('p.muted', null, tr('modx.terms.readOnly')),
    count, list);
  render();
  refresh();
  return { el, refresh };
}
