// /org: the organizer's home. Every forum (drafts and archived ones included) with its
// state, start time and links to its pages; a form to create a forum (title, topic,
// start time → POST /api/v1/forums), which then opens the new forum's edit page.
import { h, replace } from '../dom';
import { t } from '../i18n';
import { emptyState, errorState, loadingState } from '../components/states';
import { navigate, type PageContext } from '../router';
import { createForum, listForums, type ForumSummary } from './api';
import { field, fromLocalInput, notice, orgFrame, section, stateBadge, tr, when } from './common';

function forumRow(f: ForumSummary): HTMLElement {
  const base = `/org/f/${encodeURIComponent(f.id)}`;
  return h(
    'li.org-forum',
    { 'data-testid': 'org-forum', 'data-id': f.id },
    h('div.org-forum-main', null,
      h('a.org-forum-link', { href: base, 'data-testid': 'org-forum-link' }, f.title),
      h('p.org-forum-meta', null, stateBadge(f.state), ' ', h('span', null, when(f.starts_at))),
    ),
    h('div.org-forum-links', null,
      h('a.button.button-secondary.org-small', { href: `${base}/stream` }, tr('tab.stream')),
      h('a.button.button-secondary.org-small', { href: `${base}/poster` }, tr('tab.poster')),
      h('a.button.button-secondary.org-small', { href: `${base}/live` }, tr('tab.live')),
      h('a.button.button-secondary.org-small', { href: `/org/tickets?forum=${encodeURIComponent(f.id)}` }, tr('nav.tickets')),
      h('a.button.button-secondary.org-small', { href: `/f/${encodeURIComponent(f.id)}`, target: '_blank', rel: 'noopener' }, tr('forums.residentPage')),
    ),
  );
}

function createForm(): HTMLElement {
  const title = h('input.input', { id: 'new-title', name: 'title', required: true, maxlength: 120, autocomplete: 'off' }) as HTMLInputElement;
  const topic = h('textarea.input.org-textarea', { id: 'new-topic', name: 'topic', maxlength: 500, rows: 3 }) as HTMLTextAreaElement;
  const starts = h('input.input', { id: 'new-starts', name: 'starts_at', type: 'datetime-local' }) as HTMLInputElement;
  const submit = h('button.button.button-primary', { type: 'submit', 'data-testid': 'create-submit' }, tr('forums.create')) as HTMLButtonElement;
  const msg = notice();
  const form = h(
    'form.form',
    { 'data-testid': 'create-form', novalidate: true },
    field('new-title', tr('forum.title'), title),
    field('new-topic', tr('forum.topic'), topic),
    field('new-starts', tr('forum.startsAt'), starts, tr('forum.startsAtHint')),
    h('div.form-actions', null, submit),
    msg.el,
  ) as HTMLFormElement;
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!title.value.trim()) {
      msg.fail(tr('forums.titleMissing'));
      title.focus();
      return;
    }
    submit.disabled = true;
    createForum({ title: title.value.trim(), topic: topic.value.trim(), starts_at: fromLocalInput(starts.value) }).then(
      (f) => navigate(`/org/f/${encodeURIComponent(f.id)}?created=1`),
      (err: unknown) => {
        submit.disabled = false;
        msg.fail(err);
      },
    );
  });
  return form;
}

export default function forumsPage({ root }: PageContext) {
  return orgFrame(root, { title: t('staff.orgTitle'), section: 'forums' }, ({ body, alive }) => {
    const list = h('div.org-forums', { 'data-testid': 'org-forums' });
    function load(): void {
      replace(list, loadingState());
      listForums().then(
        (forums) => {
          if (!alive()) return;
          if (forums.length === 0) replace(list, emptyState(tr('forums.emptyTitle'), tr('forums.emptyBody')));
          else replace(list, h('ul.org-forum-list', null, forums.map(forumRow)));
        },
        (err: unknown) => alive() && replace(list, errorState(err, load)),
      );
    }
    replace(
      body,
      h('div.org-columns', null,
        section(tr('forums.listTitle'), list),
        section(tr('forums.createTitle'), createForm()),
      ),
    );
    load();
  });
}
