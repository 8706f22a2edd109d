// Resident forum page (/f/<id>) — for now the forum's title, state, time and topic.
// The live chat (comments, viewer count, questions) mounts into the element marked
// data-slot="live" (issue 3); the video player goes above it (stream issue).
import { h, replace } from '../dom';
import { formatDateTime, t } from '../i18n';
import { ApiError, getForum, type Forum } from '../api';
import { stateBadge } from '../components/forum_card';
import { emptyState, errorState, loadingState } from '../components/states';
import { setTitle } from '../components/shell';
import type { PageContext } from '../router';

function renderForum(forum: Forum): HTMLElement[] {
  const ended = forum.state === 'ended' || forum.state === 'archived';
  return [
    h(
      'div.page-intro.forum-head',
      null,
      h('p.forum-meta', null, stateBadge(forum.state),
        forum.starts_at ? h('span.forum-card-time', null, t(ended ? 'forum.heldAt' : 'forum.startsAt', { time: formatDateTime(forum.starts_at) })) : null),
      h('h1.page-title', { 'data-testid': 'forum-title' }, forum.title),
      forum.topic ? h('p.lead', null, h('span.topic-label', null, t('forum.topic')), ' ', forum.topic) : null,
    ),
    h('section.forum-live', { 'data-slot': 'live' }, h('p.card.muted', null, t('forum.comingSoon'))),
  ];
}

export default function forumPage({ root, params }: PageContext): () => void {
  const id = params.id ?? '';
  setTitle('');
  let alive = true;
  function load(): void {
    replace(root, loadingState());
    getForum(id).then(
      (forum) => {
        if (!alive) return;
        setTitle(forum.title);
        replace(root, ...renderForum(forum));
      },
      (err: unknown) => {
        if (!alive) return;
        if (err instanceof ApiError && err.status === 404) {
          setTitle(t('forum.notFoundTitle'));
          replace(root, h('h1.page-title', null, t('forum.notFoundTitle')), emptyState(t('forum.notFoundTitle'), t('forum.notFoundBody')),
            h('p', null, h('a.button.button-secondary', { href: '/' }, t('common.backHome'))));
        } else {
          replace(root, errorState(err, load));
        }
      },
    );
  }
  load();
  return () => {
    alive = false;
  };
}
