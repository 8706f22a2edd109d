// The comment composer: a labelled text box with a live character counter (characters
// after NFC, as the server counts), sent with Enter (not while an input method is
// composing Chinese) or the button; comments are one paragraph (the server turns line
// breaks into spaces), so Enter never inserts one. The text is cleared only when the
// server has accepted it; on any rejection it stays in the box and the reason is shown
// from the catalogue; after rate_limited the button waits out retry_after_ms. The draft survives a reload or a language switch
// (sessionStorage, per forum).
// What it leaves to others: sending (the page passes `send`), error wording (i18n).
import { h, replace } from '../dom';
import { hasMessage, t } from '../i18n';
import { ChatError } from './client';
import { charCount } from './profile';

export interface Composer {
  el: HTMLElement;
  setMax(max: number): void;
  setEnabled(enabled: boolean): void;
  /** The connection is back: a "not connected" kind of error no longer applies. */
  connected(): void;
}

const CONNECTION_ERRORS = new Set(['offline', 'not_joined', 'timeout']);

export function chatErrorMessage(err: unknown, max: number): string {
  if (err instanceof ChatError) {
    if (err.code === 'rate_limited' && err.retryAfterMs !== undefined) {
      return t('error.rate_limited_wait', { seconds: Math.max(1, Math.ceil(err.retryAfterMs / 1000)) });
    }
    const key = `error.${err.code}`;
    if (hasMessage(key)) return t(key, { max });
  }
  return t('error.unknown');
}

export function composer(forumId: string, send: (text: string) => Promise<void>): Composer {
  const draftKey = `forumcast.draft.${forumId}`;
  let max = 300;
  let busy = false;
  let enabled = true;
  let errorCode = '';
  let coolTimer: ReturnType<typeof setTimeout> | null = null; // rate_limited: until retry_after_ms
  const box = h('textarea.input.composer-input', {
    id: 'chat-text',
    name: 'text',
    rows: '1',
    placeholder: t('chat.placeholder'),
    enterkeyhint: 'send',
    'aria-describedby': 'chat-counter chat-error',
    'data-testid': 'composer-input',
  }) as HTMLTextAreaElement;
  const counter = h('span.composer-counter', { id: 'chat-counter', 'data-testid': 'composer-counter' });
  const message = h('div.composer-message', { id: 'chat-error', 'aria-live': 'assertive', 'data-testid': 'composer-message' });
  const button = h('button.button.button-primary.composer-send', { type: 'submit', 'data-testid': 'composer-send' }, t('chat.send')) as HTMLButtonElement;

  try {
    box.value = sessionStorage.getItem(draftKey) ?? '';
  } catch {
    // no storage: no draft
  }

  function update(): void {
    const n = charCount(box.value.trim());
    replace(counter, t('chat.counter', { count: n, max }));
    counter.classList.toggle('over', n > max);
    button.disabled = busy || !enabled || coolTimer !== null;
    // Grow with the text up to about four lines, then scroll inside.
    box.style.height = 'auto';
    box.style.height = `${Math.min(box.scrollHeight + 2, 132)}px`;
  }

  function showError(text: string): void {
    replace(message, h('p.notice.notice-error', { role: 'alert' }, text));
    box.setAttribute('aria-invalid', 'true');
  }

  async function submit(): Promise<void> {
    if (busy || !enabled || coolTimer) return;
    const text = box.value.trim();
    if (!text) {
      box.focus();
      return;
    }
    if (charCount(text) > max) {
      showError(t('error.too_large', { max }));
      return;
    }
    busy = true;
    replace(button, t('chat.sending'));
    update();
    try {
      await send(text);
      box.value = '';
      replace(message);
      box.removeAttribute('aria-invalid');
      try {
        sessionStorage.removeItem(draftKey);
      } catch {
        // nothing kept
      }
    } catch (err) {
      errorCode = err instanceof ChatError ? err.code : 'unknown';
      showError(chatErrorMessage(err, max)); // the text stays in the box
      if (err instanceof ChatError && err.code === 'rate_limited' && err.retryAfterMs) {
        if (coolTimer) clearTimeout(coolTimer);
        coolTimer = setTimeout(() => {
          coolTimer = null;
          update();
        }, Math.min(err.retryAfterMs, 10 * 60 * 1000));
      }
    } finally {
      busy = false;
      replace(button, t('chat.send'));
      update();
      box.focus();
    }
  }

  box.addEventListener('input', () => {
    update();
    try {
      sessionStorage.setItem(draftKey, box.value);
    } catch {
      // nothing kept
    }
  });
  box.addEventListener('keydown', (ev) => {
    // Enter while an IME is composing (pinyin) picks a candidate: never send then.
    if (ev.key !== 'Enter' || ev.isComposing || ev.keyCode === 229) return;
    ev.preventDefault();
    void submit();
  });

  const el = h(
    'form.composer',
    {
      'data-testid': 'composer',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void submit();
      },
    },
    message,
    h('label.sr-only', { for: 'chat-text' }, t('chat.composerLabel')),
    h('div.composer-row', null, box, button),
    counter,
  );
  update();
  return {
    el,
    setMax(m: number) {
      max = m;
      update();
    },
    setEnabled(on: boolean) {
      enabled = on;
      update();
    },
    connected() {
      if (!CONNECTION_ERRORS.has(errorCode)) return;
      errorCode = '';
      replace(message);
      box.removeAttribute('aria-invalid');
    },
  };
}
