// Designed loading, empty and error states, shared by every page so that waiting,
// nothing-to-show and failure look deliberate and read well to screen readers.
// Error text comes from the catalogue by error code ("error.<code>"); the server's own
// message is never shown raw (it is English and may be technical).
import { h } from '../dom';
import { hasMessage, t } from '../i18n';
import { ApiError } from '../api';

export function loadingState(): HTMLElement {
  return h(
    'div.state.state-loading',
    { role: 'status', 'aria-live': 'polite', 'data-testid': 'loading' },
    h('span.spinner', { 'aria-hidden': 'true' }),
    h('span', null, t('common.loading')),
  );
}

export function emptyState(title: string, body: string): HTMLElement {
  return h(
    'div.state.state-empty',
    { 'data-testid': 'empty' },
    h('span.state-icon', { 'aria-hidden': 'true' }, '○'),
    h('p.state-title', null, title),
    h('p.state-body', null, body),
  );
}

/** The catalogued message for an error (ApiError code, or a generic one). */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) {
    const key = `error.${err.code}`;
    if (hasMessage(key)) return t(key);
    if (err.code === 'network') return t('error.network');
  }
  return t('error.unknown');
}

export function errorState(err: unknown, retry?: () => void, title = t('error.title'), body?: string): HTMLElement {
  return h(
    'div.state.state-error',
    { role: 'alert', 'data-testid': 'error' },
    h('span.state-icon', { 'aria-hidden': 'true' }, '!'),
    h('p.state-title', null, title),
    h('p.state-body', null, body ?? errorMessage(err)),
    retry ? h('button.button.button-secondary', { type: 'button', onclick: retry }, t('common.retry')) : null,
  );
}
