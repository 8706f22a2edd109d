// /org: the organizer's home. Every forum (drafts and archived ones included) with its
// state, start time and links to its pages; a form to create a forum (title, topic,
// start time → POST /api/v1/forums), which then opens the new forum's edit page; the
// accountability figures across forums (GET /api/v1/figures?by=forum) as a chart and table.
import { h, replace } from '../dom';
import { t } from '../i18n';
import { emptyState, errorState, loadingState } from '../components/states';
import { navigate, type PageContext } from '../router';
import { allFigures, createForum, listForums, type ForumSummary } from './api';
import { barGroups } from './charts';
import { errText, field, fromLocalInput, minutes, notice, orgFrame, section, stateBadge, tr, when } from './common';

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

/** Accountability across forums: one row per forum (GET /api/v1/figures?by=forum). */
function crossFigures(el: HTMLElement, alive: () => boolean): void {
  replace(el, loadingState());
  allFigures().then(
    ({ total, by_forum }) => {
      if (!alive()) return;
      if (by_forum.length === 0) {
        replace(el, h('p.muted', null, tr('fig.none')));
        return;
      }
      const rows = [...by_forum.map((f) => ({ name: f.title, fig: f.figures, id: f.forum_id })), { name: tr('fig.all'), fig: total, id: '' }];
      replace(
        el,
        h('p.org-legend', null,
          h('span.org-key.org-key-q', { 'aria-hidden': 'true' }), tr('fig.asked'), ' ',
          h('span.org-key.org-key-a', { 'aria-hidden': 'true' }), tr('fig.answeredLive'), ' ',
          h('span.org-key.org-key-t', { 'aria-hidden': 'true' }), tr('fig.tickets'), ' ',
          h('span.org-key.org-key-r', { 'aria-hidden': 'true' }), tr('fig.resolved'),
        ),
        barGroups(by_forum.map((f) => f.title), [
          { name: tr('fig.asked'), cls: 'org-bar-q', values: by_forum.map((f) => f.figures.asked) },
          { name: tr('fig.answeredLive'), cls: 'org-bar-a', values: by_forum.map((f) => f.figures.answered_live) },
          { name: tr('fig.tickets'), cls: 'org-bar-t', values: by_forum.map((f) => f.figures.tickets) },
          { name: tr('fig.resolved'), cls: 'org-bar-r', values: by_forum.map((f) => f.figures.resolved) },
        ], tr('fig.acrossLabel'), 'chart-across', el),
        h('div.org-scroll', null,
          h('table.org-table.org-figtable', { 'data-testid': 'figures-across' },
            h('thead', null, h('tr', null,
              [tr('fig.forum'), tr('fig.asked'), tr('fig.answeredLive'), tr('fig.tickets'), tr('fig.resolved'), tr('fig.median'), tr('fig.rating'), tr('fig.shareRated')]
                .map((x) => h('th', { scope: 'col' }, x)))),
            h('tbody', null, rows.map((r) => h('tr', { 'data-forum': r.id || null },
              h('th', { scope: 'row' }, r.id ? h('a', { href: `/org/f/${encodeURIComponent(r.id)}/live` }, r.name) : r.name),
              h('td', null, String(r.fig.asked)), h('td', null, String(r.fig.answered_live)),
              h('td', null, String(r.fig.tickets)), h('td', null, String(r.fig.resolved)),
              h('td', null, minutes(r.fig.median_resolve_ms)),
              h('td', null, r.fig.average_rating === null || r.fig.average_rating === undefined ? '–' : r.fig.average_rating.toFixed(1)),
              h('td', null, r.fig.share_rated === null || r.fig.share_rated === undefined ? '–' : `${Math.round(r.fig.share_rated * 100)}%`),
            ))),
          ),
        ),
      );
    },
    (err: unknown) => alive() && replace(el, h('p.notice.notice-error', { role: 'alert' }, errText(err))),
  );
}

export default function forumsPage({ root }: PageContext) {
  return orgFrame(root, { title: t('staff.orgTitle'), section: 'forums' }, ({ body, alive }) => {
    const list = h('div.org-forums', { 'data-testid': 'org-forums' });
    const across = h('div', { 'data-testid': 'across' });
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
      section(tr('fig.across'), across),
    );
    load();
    crossFigures(across, alive);
  });
}
