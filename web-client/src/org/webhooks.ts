// /org/webhooks: the organizer's webhook endpoints (a city hotline, an SMS gateway):
// the list with each endpoint's events, forum and state, disable/enable, and a form to
// register an https:// URL (events: all or chosen; forum: all or one). The signing
// secret is shown once, right after registering (GET never returns it).
// API: GET/POST /api/v1/webhooks, POST /api/v1/webhooks/<id>/disable|enable.
import { h, replace } from '../dom';
import { formatDateTime } from '../i18n';
import { emptyState, errorState, loadingState } from '../components/states';
import type { PageContext } from '../router';
import { WEBHOOK_EVENTS, addWebhook, listForums, listWebhooks, setWebhookActive, type ForumSummary, type Webhook } from './api';
import { copyText, field, notice, orgFrame, section, tr } from './common';

function row(w: Webhook, forums: Map<string, string>, reload: () => void, msg: ReturnType<typeof notice>): HTMLElement {
  const toggle = h('button.button.button-secondary.org-small', {
    type: 'button',
    'data-testid': w.active ? 'webhook-disable' : 'webhook-enable',
    onclick: () => {
      setWebhookActive(w.id, !w.active).then(
        () => {
          msg.ok(w.active ? tr('hooks.disabled') : tr('hooks.enabled'));
          reload();
        },
        (err: unknown) => msg.fail(err),
      );
    },
  }, w.active ? tr('hooks.disable') : tr('hooks.enable'));
  const events = Array.isArray(w.events) && w.events.length ? w.events.join(', ') : tr('hooks.allEvents');
  return h('li.org-hook', { 'data-testid': 'webhook', 'data-id': w.id, 'data-active': w.active ? 'true' : 'false' },
    h('p.org-mono.org-hook-url', null, w.url),
    h('p.org-forum-meta', null,
      h('span.badge', { class: w.active ? 'org-tstate-resolved' : 'org-cat' }, w.active ? tr('hooks.active') : tr('hooks.inactive')), ' ',
      [events, w.forum_id ? forums.get(w.forum_id) ?? w.forum_id : tr('hooks.allForums'), `${formatDateTime(w.created_ms)} · ${w.created_by}`].join(' · '),
    ),
    toggle,
  );
}

function addForm(forums: ForumSummary[], onAdded: () => void): HTMLElement {
  const url = h('input.input.org-mono', { id: 'hook-url', type: 'url', inputmode: 'url', placeholder: 'https://', 'data-testid': 'hook-url', autocomplete: 'off', spellcheck: 'false' }) as HTMLInputElement;
  const forum = h('select.input', { id: 'hook-forum', 'data-testid': 'hook-forum' },
    h('option', { value: '' }, tr('hooks.allForums')),
    forums.map((f) => h('option', { value: f.id }, f.title)),
  ) as HTMLSelectElement;
  const boxes = WEBHOOK_EVENTS.map((ev) => {
    const id = `hook-ev-${ev.replace('.', '-')}`;
    const box = h('input', { id, type: 'checkbox', value: ev, 'data-testid': 'hook-event' }) as HTMLInputElement;
    return { ev, box, el: h('div.org-check', null, box, h('label.org-mono', { for: id }, ev)) };
  });
  const submit = h('button.button.button-primary', { type: 'submit', 'data-testid': 'hook-submit' }, tr('hooks.add')) as HTMLButtonElement;
  const msg = notice();
  const secretBox = h('div', { 'aria-live': 'polite' });
  const form = h('form.form', { 'data-testid': 'hook-form', novalidate: true },
    field('hook-url', tr('hooks.url'), url, tr('hooks.urlHint')),
    field('hook-forum', tr('filter.forum'), forum),
    h('fieldset.org-fieldset', null, h('legend.label', null, tr('hooks.events')), h('p.field-hint', null, tr('hooks.eventsHint')),
      h('div.org-events', null, boxes.map((b) => b.el))),
    h('div.form-actions', null, submit),
    msg.el,
    secretBox,
  ) as HTMLFormElement;
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!/^https?:\/\/\S+$/.test(url.value.trim())) {
      msg.fail(tr('hooks.urlMissing'));
      url.focus();
      return;
    }
    submit.disabled = true;
    addWebhook({ url: url.value.trim(), forum_id: forum.value, events: boxes.filter((b) => b.box.checked).map((b) => b.ev) }).then(
      (w) => {
        submit.disabled = false;
        msg.ok(tr('hooks.added'));
        url.value = '';
        boxes.forEach((b) => (b.box.checked = false));
        const secret = h('input.input.org-mono', { id: 'hook-secret', readonly: true, value: w.secret ?? '', 'data-testid': 'hook-secret' }) as HTMLInputElement;
        replace(secretBox, h('div.org-confirm', null,
          h('p', null, tr('hooks.secretOnce')),
          h('div.org-row.org-nowrap', null, secret,
            h('button.button.button-secondary.org-small', { type: 'button', onclick: () => void copyText(secret.value).then((ok) => !ok && secret.select()) }, tr('stream.copy'))),
        ));
        onAdded();
      },
      (err: unknown) => {
        submit.disabled = false;
        msg.fail(err);
      },
    );
  });
  return form;
}

export default function webhooksPage({ root }: PageContext) {
  return orgFrame(root, { title: tr('hooks.pageTitle'), section: 'webhooks', wide: true }, ({ body, alive }) => {
    const list = h('div', { 'data-testid': 'webhook-list' }, loadingState());
    const msg = notice();
    const names = new Map<string, string>();
    function load(): void {
      listWebhooks().then(
        (hooks) => {
          if (!alive()) return;
          replace(list, hooks.length
            ? h('ul.org-hooks', null, hooks.map((w) => row(w, names, load, msg)))
            : emptyState(tr('hooks.emptyTitle'), tr('hooks.emptyBody')));
        },
        (err: unknown) => alive() && replace(list, errorState(err, load)),
      );
    }
    replace(body, loadingState());
    listForums().then(
      (forums) => {
        if (!alive()) return;
        forums.forEach((f) => names.set(f.id, f.title));
        replace(body,
          h('p.muted', null, tr('hooks.intro')),
          h('div.org-columns', null,
            section(tr('hooks.listTitle'), list, msg.el),
            section(tr('hooks.addTitle'), addForm(forums, load)),
          ),
        );
        load();
      },
      (err: unknown) => alive() && replace(body, errorState(err)),
    );
  });
}
