// One forum in a list: the whole card is a link to its resident page (/f/<id>), with
// its state, title, topic and start time. Titles and topics are rendered as text.
import { h } from '../dom';
import { formatDateTime, t, type MessageKey } from '../i18n';
import type { ForumState, ForumSummary } from '../api';

export function stateBadge(state: ForumState): HTMLElement {
  const key = `state.${state}` as MessageKey;
  return h(`span.badge.badge-${state}`, { 'data-testid': 'forum-state', 'data-state': state }, t(key));
}

export function forumCard(forum: ForumSummary): HTMLElement {
  const when = forum.state === 'ended' || forum.state === 'archived' ? 'forum.heldAt' : 'forum.startsAt';
  return h(
    'li.forum-card',
    { 'data-testid': 'forum-card', 'data-forum-id': forum.id },
    h(
      'a.forum-card-link',
      { href: `/f/${encodeURIComponent(forum.id)}` },
      h('span.forum-card-meta', null, stateBadge(forum.state),
        forum.starts_at ? h('span.forum-card-time', null, t(when, { time: formatDateTime(forum.starts_at) })) : null),
      h('span.forum-card-title', { 'data-testid': 'forum-title' }, forum.title),
      forum.topic ? h('span.forum-card-topic', null, forum.topic) : null,
    ),
  );
}
