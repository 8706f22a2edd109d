// Presenter screen (/present/<forum-id>) for the panel (panelists and staff): the
// question on air large, then the approved questions by votes. Read only, live.
// Overlay (/overlay/<forum-id>): a transparent page for an OBS browser source showing the
// on-air question and its asker's compound as a lower third. It needs no login: it
// joins as a read-only resident connection (a device token, the name from the
// catalogue, never commenting), unless `?token=<staff session token>` is given.
// What they leave to others: the protocol client (src/chat/client.ts), the records
// (src/questions/model.ts).
import { h, replace } from '../dom';
import { t } from '../i18n';
import { deviceToken } from '../api';
import { ChatClient, type Identity } from '../chat/client';
import { setTitle } from '../components/shell';
import { connLine, requireStaff } from '../staff/session';
import { QuestionSet, askerLine, categoryName, type Question } from '../questions/model';
import type { PageContext } from '../router';

function follow(identity: Identity, set: QuestionSet, render: () => void, onState: (s: string) => void): ChatClient {
  const client: ChatClient = new ChatClient(identity, {
    state: (s) => {
      onState(s);
      if (s === 'connected') {
        client.call('questions').then((r) => {
          set.load(r);
          render();
        }, () => undefined);
      }
    },
    history: () => undefined,
    event: (ev) => {
      if (set.apply(ev)) render();
    },
    viewers: () => undefined,
    refused: () => onState('stopped'),
  });
  return client;
}

export function present({ root, params }: PageContext): () => void {
  const forumId = params.id ?? '';
  setTitle(t('present.title'));
  let client: ChatClient | null = null;
  const cancel = requireStaff(root, ['panelist', 'moderator', 'organizer'], (_s, token) => {
    const set = new QuestionSet();
    const conn = connLine();
    const onAir = h('section.present-onair', { 'data-testid': 'present-onair', 'aria-live': 'polite' });
    const list = h('ol.present-list', { 'data-testid': 'present-list' });
    const render = (): void => {
      const q = set.get(set.onAir);
      replace(onAir, q
        ? [h('p.present-label', null, h('span.live-dot', { 'aria-hidden': 'true' }), t('q.onAirNow')), h('p.present-text', null, q.text), h('p.present-asker', null, askerLine(q))]
        : h('p.muted', null, t('present.nothingOnAir')));
      const approved = set.approved();
      replace(list, approved.length
        ? approved.map((x: Question) => h('li.present-item', { 'data-id': x.id }, h('span.present-votes', null, String(x.votes ?? 0)),
          h('span.present-item-text', null, x.text, h('span.q-meta', null, [askerLine(x), categoryName(x.category)].filter(Boolean).join(' · ')))))
        : h('li.muted', null, t('q.noneApproved')));
    };
    replace(root, h('div.present', { 'data-testid': 'present' }, h('div.mod-top', null, h('h1.page-title', null, t('present.title')), conn.el), onAir,
      h('h2.mq-heading', null, t('q.approved')), list));
    render();
    client = follow({ forum: forumId, session: token }, set, render, conn.set);
  });
  return () => {
    cancel();
    client?.close();
  };
}

export function overlay({ root, params, query }: PageContext): () => void {
  const forumId = params.id ?? '';
  document.documentElement.classList.add('overlay-mode');
  setTitle(t('overlay.title'));
  const set = new QuestionSet();
  const third = h('div.lower-third', { 'data-testid': 'overlay-question', hidden: true });
  let client: ChatClient | null = null;
  let alive = true;
  const render = (): void => {
    const q = set.get(set.onAir);
    third.hidden = !q;
    third.dataset.id = q ? String(q.id) : '';
    replace(third, q ? [h('p.lt-text', { 'data-testid': 'overlay-text' }, q.text), h('p.lt-asker', { 'data-testid': 'overlay-asker' }, [q.compound, q.display_name].filter(Boolean).join(' · '))] : null);
  };
  replace(root, h('div.overlay', { 'data-testid': 'overlay' }, third));
  const token = query.get('token');
  const start = (identity: Identity): void => {
    if (alive) client = follow(identity, set, render, (s) => (document.documentElement.dataset.conn = s));
  };
  if (token) start({ forum: forumId, session: token });
  else void deviceToken().then((device) => start({ forum: forumId, device, name: t('overlay.name') }), () => (document.documentElement.dataset.conn = 'offline'));
  return () => {
    alive = false;
    document.documentElement.classList.remove('overlay-mode');
    client?.close();
  };
}

export default present;
