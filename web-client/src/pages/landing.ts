// Landing page (/): the forums a resident can join, grouped live / upcoming / past,
// each linking to its resident page. Loading, empty and error states are designed;
// the list refreshes when the tab becomes visible again.
import { h, replace } from '../dom';
import { t, type MessageKey } from '../i18n';
import { listForums, type ForumSummary } from '../api';
import { forumCard } from '../components/forum_card';
import { emptyState, errorState, loadingState } from '../components/states';
import { setTitle } from '../components/shell';
import type { PageContext } from '../router';

interface Group {
  id: string;
  title: MessageKey;
  match: (f: ForumSummary) => boolean;
  order: 1 | -1; // by start time: soonest first, or most recent first
}

const GROUPS: Group[] = [
  { id: 'live', title: 'landing.live', match: (f) => f.state === 'live', order: 1 },
  { id: 'upcoming', title: 'landing.upcoming', match: (f) => f.state === 'collecting', order: 1 },
  { id: 'ended', title: 'landing.ended', match: (f) => f.state === 'ended' || f.state === 'archived', order: -1 },
];

function startTime(f: ForumSummary): number {
  const v = typeof f.starts_at === 'number' ? f.starts_at : Date.parse(f.starts_at);
  return Number.isNaN(v) ? 0 : v;
}

function renderForums(forums: ForumSummary[]): HTMLElement[] {
  const sections: HTMLElement[] = [];
  for (const g of GROUPS) {
    const items = forums.filter(g.match).sort((a, b) => g.order * (startTime(a) - startTime(b)));
    if (!items.length) continue;
    const headingId = `group-${g.id}`;
    sections.push(
      h(
        `section.forum-group.forum-group-${g.id}`,
        { 'aria-labelledby': headingId, 'data-testid': `group-${g.id}` },
        h('h2.group-title', { id: headingId }, t(g.title)),
        h('ul.forum-list', null, items.map(forumCard)),
      ),
    );
  }
  if (!sections.length) return [emptyState(t('landing.emptyTitle'), t('landing.emptyBody'))];
  return sections;
}

export default function landing({ root }: PageContext): () => void {
  setTitle(t('landing.title'));
  let alive = true;
  const body = h('div.landing-body');
  replace(
    root,
    h('div.page-intro', null, h('h1.page-title', null, t('landing.title')), h('p.lead', null, t('landing.intro'))),
    body,
  );

  let shown = false;
  function load(): void {
    // The first load shows a spinner; later refreshes keep the list until new data is in.
    if (!shown) replace(body, loadingState());
    listForums().then(
      (forums) => {
        if (!alive) return;
        shown = true;
        replace(body, renderForums(forums));
      },
      (err: unknown) => alive && !shown && replace(body, errorState(err, load)),
    );
  }
  // Coming back to the tab (a resident waiting for the forum to start) refreshes the list.
  const onVisible = (): void => {
    if (document.visibilityState === 'visible') load();
  };
  document.addEventListener('visibilitychange', onVisible);
  load();
  return () => {
    alive = false;
    document.removeEventListener('visibilitychange', onVisible);
  };
}
