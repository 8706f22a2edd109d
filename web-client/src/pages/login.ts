// Staff login (/login): name and password, then on to the page for the role
// (organizer → /org, moderator → /mod, panelist → /present), or to ?next= when it is a
// local path. Wrong credentials and other failures are shown in an alert under the
// form, in the user's language; what was typed in the name field is kept. Sent here by
// a staff page (?next=, &expired=1 when a session ran out) it says why.
import { h, replace } from '../dom';
import { t } from '../i18n';
import { login, type Role } from '../api';
import { errorMessage } from '../components/states';
import { setTitle } from '../components/shell';
import { navigate, type PageContext } from '../router';

export const HOME_FOR_ROLE: Record<Role, string> = {
  organizer: '/org',
  moderator: '/mod',
  panelist: '/present',
};

/** Only same-site paths are followed, so ?next= cannot send anyone elsewhere. */
function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : null;
}

export default function loginPage({ root, query }: PageContext): void {
  setTitle(t('login.title'));
  const name = h('input.input', {
    id: 'login-name',
    name: 'name',
    type: 'text',
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
    required: true,
    maxlength: '64',
  }) as HTMLInputElement;
  const password = h('input.input', {
    id: 'login-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    maxlength: '256',
  }) as HTMLInputElement;
  const submit = h('button.button.button-primary.button-block', { type: 'submit', 'data-testid': 'login-submit' }, t('login.submit')) as HTMLButtonElement;
  const message = h('div.form-message', { 'aria-live': 'polite', 'data-testid': 'login-message' });

  function show(kind: 'error' | 'info', text: string): void {
    replace(message, h(`p.notice.notice-${kind}`, { role: kind === 'error' ? 'alert' : 'status' }, text));
  }

  if (query.get('logged_out') === '1') show('info', t('login.loggedOut'));
  else if (query.get('expired') === '1') show('error', t('login.expired'));
  else if (safeNext(query.get('next'))) show('info', t('login.required'));

  async function onSubmit(ev: Event): Promise<void> {
    ev.preventDefault();
    const n = name.value.trim();
    if (!n || !password.value) {
      show('error', t('login.missing'));
      (n ? password : name).focus();
      return;
    }
    submit.disabled = true;
    replace(submit, t('login.submitting'));
    replace(message);
    try {
      const session = await login(n, password.value);
      navigate(safeNext(query.get('next')) ?? HOME_FOR_ROLE[session.role] ?? '/', { replace: true });
    } catch (err) {
      password.value = '';
      show('error', errorMessage(err));
      password.focus();
      submit.disabled = false;
      replace(submit, t('login.submit'));
    }
  }

  replace(
    root,
    h(
      'div.narrow',
      null,
      h('h1.page-title', null, t('login.title')),
      h('p.lead', null, t('login.intro')),
      h(
        'form.card.form',
        { novalidate: true, onsubmit: (ev) => void onSubmit(ev), 'data-testid': 'login-form' },
        h('div.field', null, h('label.label', { for: 'login-name' }, t('login.name')), name),
        h('div.field', null, h('label.label', { for: 'login-password' }, t('login.password')), password),
        message,
        submit,
      ),
    ),
  );
}
