// Resident forum page (/f/<id>), one screen on a phone: the video slot on top
// (data-slot="video", filled by src/video/player.ts: waiting / live / replay), the
// forum's state, time, title, topic and (when the server gives them) the current agenda
// item, agenda and panel; after the forum the replay's chapter list (one per answered
// question, tapping one seeks the video); then three tabs: live comments, questions
// (ask at the top, the on-air one pinned, the rest by votes to co-sign, answered ones
// marked) and "my questions" (live status, follow-ups, tickets and rating). On the first
// visit the comments tab asks for a display name (+ optional compound, building and a
// phone number for follow-up), remembered for every forum. The chat connection is
// src/chat/client.ts; it reconnects and resumes by itself, and this page only shows
// what it reports.
// What it leaves to others: the player (stream), the protocol (src/chat/client.ts), the
// list, composer and name form (src/chat/*), questions and tickets (src/questions/*).
import { h, replace } from '../dom';
import { formatDateTime, t, type MessageKey } from '../i18n';
import { ApiError, deviceToken, forgetDeviceToken, getForum, getProgram, saveContact, type Forum } from '../api';
import { stateBadge } from '../components/forum_card';
import { emptyState, errorMessage, errorState, loadingState } from '../components/states';
import { setTitle } from '../components/shell';
import { ChatClient, ChatError, type ConnState, type Identity } from '../chat/client';
import { CommentList } from '../chat/comment_list';
import { chatErrorMessage, composer } from '../chat/composer';
import { loadProfile, saveProfile, type Profile } from '../chat/profile';
import { profileForm } from '../chat/profile_form';
import type { PageContext } from '../router';
import { questionsPanel, type QuestionsPanel } from '../questions/resident_panel';
import { mountPlayer } from '../video/player';
import { programmeView, type ProgrammeView } from '../components/program';
import { chapterList } from '../replay/chapters';

const isOver = (f: Forum) => f.state === 'ended' || f.state === 'archived';

function videoSlot(forum: Forum): HTMLElement {
  return h(
    'section.video-slot',
    { 'data-slot': 'video', 'aria-label': t('video.label'), 'data-testid': 'video-slot' },
    h('div.video-placeholder', null, h('span.video-icon', { 'aria-hidden': 'true' }, '▶'),
      h('span', null, t(forum.state === 'live' ? 'video.soon' : isOver(forum) ? 'video.over' : 'video.notYet'))),
  );
}

function forumHead(forum: Forum, prog: ProgrammeView): HTMLElement {
  return h(
    'div.page-intro.forum-head',
    null,
    h('p.forum-meta', null, stateBadge(forum.state),
      forum.starts_at ? h('span.forum-card-time', null, t(isOver(forum) ? 'forum.heldAt' : 'forum.startsAt', { time: formatDateTime(forum.starts_at) })) : null),
    h('h1.page-title', { 'data-testid': 'forum-title' }, forum.title),
    forum.topic ? h('p.lead', null, h('span.topic-label', null, t('forum.topic')), ' ', forum.topic) : null,
    prog.now,
  );
}

/** The live discussion for one forum; returns its cleanup. */
function mountLive(section: HTMLElement, forum: Forum, questions: QuestionsPanel, onProfile: () => void, onAgenda: (id: number | null) => void): () => void {
  let client: ChatClient | null = null;
  let alive = true;
  let profile = loadProfile();
  let followSeq = -1;
  let retriedDevice = false;
  const acceptsComments = forum.state === 'live' || forum.state === 'collecting';

  const list = new CommentList();
  const box = composer(forum.id, async (text) => {
    if (!client) throw new ChatError('offline', 'not connected');
    const seq = await client.comment(text);
    if (client.lastHeld !== null) {
      replace(notice, h('p.notice.notice-info', { role: 'status', 'data-testid': 'comment-held' }, t('chat.held')));
      return;
    }
    if (notice.querySelector('[data-testid="comment-held"]')) resetNotice();
    if (list.has(seq)) list.scrollToBottom(false);
    else followSeq = seq;
  });
  const conn = h('p.conn', { role: 'status', 'data-testid': 'conn-state' });
  const viewers = h('span.viewers', { 'data-testid': 'viewers', hidden: true });
  const who = h('span.who', { 'data-testid': 'speaking-as' });
  const edit = h('button.link-button', { type: 'button', 'data-testid': 'profile-edit', 'aria-label': t('chat.editProfileLabel') }, t('chat.editProfile'));
  const notice = h('div.chat-notice', { 'data-testid': 'chat-notice' });
  const editSlot = h('div.edit-slot');
  const bottom = h('div.chat-bottom', null, editSlot, notice, acceptsComments ? box.el : null);
  const resetNotice = (): void =>
    replace(notice, acceptsComments ? null : h('p.notice.notice-info', null, t('chat.closed')));
  resetNotice();

  function showState(s: ConnState): void {
    conn.dataset.state = s;
    const label = h('span.conn-label', null, t(`chat.state.${s}` as MessageKey));
    const retry = s === 'offline' || s === 'reconnecting'
      ? h('button.link-button', { type: 'button', 'data-testid': 'reconnect', onclick: reconnect }, t('chat.reconnectNow'))
      : null;
    replace(conn, h('span.conn-dot', { 'aria-hidden': 'true' }), label, retry);
    // The count is only true while connected; a stale one would mislead.
    viewers.classList.toggle('stale', s !== 'connected');
    if (s === 'connected') box.connected();
  }

  function reconnect(): void {
    if (client) client.reconnectNow();
    else if (profile) void connect(profile);
  }

  function showWho(p: Profile): void {
    const place = [p.compound, p.building].filter(Boolean).join(' · ');
    replace(who, place ? t('chat.speakingAsPlace', { name: p.name, place }) : t('chat.speakingAs', { name: p.name }));
  }

  function identity(device: string, p: Profile): Identity {
    return { forum: forum.id, device, name: p.name, compound: p.compound, building: p.building };
  }

  async function connect(p: Profile): Promise<void> {
    showState('connecting');
    let device: string;
    try {
      device = await deviceToken();
    } catch (err) {
      if (!alive) return;
      replace(notice, errorState(err, () => void connect(p)));
      showState('offline');
      return;
    }
    if (!alive) return;
    // The name may have been given while the token was fetched (a guest's connect).
    if (profile) p = profile;
    resetNotice();
    if (client) {
      // Joined as a guest so far (reading only): the same connection rejoins with the name.
      showState(client.state);
      client.rejoin(identity(device, p));
      return;
    }
    client = new ChatClient(identity(device, p), {
      state: (s) => {
        showState(s);
        if (s === 'connected' && client) questions.joined(client);
      },
      history: (events) => list.setHistory(events),
      event: (ev) => {
        if (ev.ev === 'agenda_current') {
          const item = ev.item as { id?: unknown } | null | undefined;
          onAgenda(item && typeof item.id === 'number' ? item.id : null);
          return;
        }
        if (!questions.event(ev)) list.append(ev, ev.seq === followSeq);
      },
      viewers: (n) => {
        replace(viewers, t('chat.viewers', { count: n }));
        viewers.hidden = false;
      },
      limits: (l) => {
        if (typeof l.comment_max_chars === 'number' && l.comment_max_chars > 0) box.setMax(l.comment_max_chars);
      },
      refused: (err) => {
        client = null;
        if (err.code === 'forbidden' && !retriedDevice) {
          // The server does not know this device (its data was reset): get a new token once.
          retriedDevice = true;
          forgetDeviceToken();
          void connect(p);
          return;
        }
        box.setEnabled(false);
        const text = err.code === 'forum_closed' ? t('chat.closed') : chatErrorMessage(err, 0);
        replace(notice, h('p.notice.notice-error', { role: 'alert' }, t('chat.refused'), ' ', text));
      },
    });
  }

  /** Sends the phone number to the server when it changed (it is kept with the device). */
  function syncContact(before: Profile | null, after: Profile): void {
    const phone = after.phone ?? '';
    if (phone === (before?.phone ?? '')) return;
    saveContact(phone).then(
      () => replace(notice, h('p.notice.notice-info', { role: 'status', 'data-testid': 'contact-saved' }, t(phone ? 'chat.phoneSaved' : 'chat.phoneCleared'))),
      (err: unknown) => {
        if (!alive) return;
        // Not kept on the server: forget it here too, so that the next save retries.
        saveProfile({ ...after, phone: before?.phone ?? '' });
        if (profile) profile = { ...profile, phone: before?.phone ?? '' };
        replace(notice, h('p.notice.notice-error', { role: 'alert', 'data-testid': 'contact-error' }, t('chat.phoneNotSaved'), ' ', errorMessage(err)));
      },
    );
  }

  function showChat(p: Profile): void {
    showWho(p);
    edit.onclick = () => {
      edit.hidden = true;
      box.el.hidden = true;
      replace(editSlot, profileForm(profile ?? p, (np) => {
        const before = profile;
        saveProfile(np);
        profile = np;
        syncContact(before, np);
        closeEdit();
        showWho(np);
        void deviceToken().then((device) => client?.rejoin(identity(device, np)));
      }, closeEdit));
      editSlot.querySelector('input')?.focus();
    };
    section.classList.add('chat-panel');
    replace(
      section,
      h('h2.sr-only', { id: 'live-title' }, t('chat.title')),
      h('div.chat-bar', null, conn, viewers),
      h('div.chat-who', null, who, edit),
      list.el,
      bottom,
    );
    void connect(p);
  }

  function closeEdit(): void {
    replace(editSlot);
    edit.hidden = false;
    box.el.hidden = false;
    edit.focus();
  }

  if (profile) {
    showChat(profile);
  } else {
    const form = profileForm(null, (p) => {
      saveProfile(p);
      profile = p;
      questions.setNamed(true);
      showChat(p);
      syncContact(null, p);
      onProfile();
      section.querySelector<HTMLElement>('#chat-text')?.focus();
    });
    replace(section, form);
    // Before and after the forum, until a name is given, the page joins as a guest so
    // that the questions collected so far, the answers and the replay's chapters are
    // there to read and co-sign. Asking and commenting wait for the name (the form
    // above); saving it rejoins on the same connection. A live forum asks first.
    questions.setNamed(false);
    if (forum.state !== 'live') void connect({ name: t('chat.guestName'), compound: '', building: '' });
  }
  section.setAttribute('aria-labelledby', profile ? 'live-title' : 'profile-title');

  return () => {
    alive = false;
    client?.close();
    client = null;
  };
}

type TabName = 'comments' | 'questions' | 'mine';
const TABS: readonly TabName[] = ['comments', 'questions', 'mine'];

/** Comments / questions / my questions below the video (arrow keys, Home and End move between them, as ARIA tabs do). */
function tabBar(first: TabName, show: (which: TabName) => void): { el: HTMLElement; select(which: TabName, focus?: boolean): void } {
  const buttons = TABS.map((n, i) => h('button.tab', {
    type: 'button', role: 'tab', id: `tab-${n}`, 'aria-controls': n === 'comments' ? 'tab-panel-comments' : 'tab-panel-questions',
    'aria-selected': String(n === first), tabindex: n === first ? 0 : -1, 'data-testid': `tab-${n}`,
    onclick: () => select(i),
    onkeydown: (ev) => {
      const k = (ev as KeyboardEvent).key;
      const j = k === 'ArrowRight' ? (i + 1) % TABS.length : k === 'ArrowLeft' ? (i + TABS.length - 1) % TABS.length
        : k === 'Home' ? 0 : k === 'End' ? TABS.length - 1 : -1;
      if (j < 0) return;
      ev.preventDefault();
      select(j);
      buttons[j]!.focus();
    },
  }, t(`forum.tab.${n}`)));
  function select(i: number): void {
    buttons.forEach((b, j) => {
      b.setAttribute('aria-selected', String(i === j));
      b.tabIndex = i === j ? 0 : -1;
    });
    show(TABS[i]!);
  }
  return {
    el: h('div.tabs', { role: 'tablist', 'aria-label': t('forum.tabsLabel') }, buttons),
    select: (which, focus = false) => {
      const i = TABS.indexOf(which);
      select(i);
      if (focus) buttons[i]!.focus();
    },
  };
}

/** Jumps the recording in the video slot to `seconds`; false when nothing is playing. */
function seeker(slot: HTMLElement): (seconds: number) => boolean {
  return (seconds) => {
    const v = slot.querySelector('video');
    if (!v) return false;
    const go = (): void => {
      v.currentTime = seconds;
      void v.play().catch(() => undefined);
    };
    if (v.readyState >= 1) go();
    else v.addEventListener('loadedmetadata', go, { once: true });
    slot.dataset.seekTo = String(seconds);
    slot.scrollIntoView({ block: 'nearest' });
    return true;
  };
}

export default function forumPage({ root, params }: PageContext): () => void {
  const id = params.id ?? '';
  setTitle('');
  let alive = true;
  let stopLive: (() => void) | null = null;
  let stopVideo: (() => void) | null = null;
  let programTimer: number | undefined;
  function load(): void {
    replace(root, loadingState());
    getForum(id).then(
      (forum) => {
        if (!alive) return;
        setTitle(forum.title);
        const live = h('section.forum-live', { 'data-slot': 'live', 'data-testid': 'live', id: 'tab-panel-comments', role: 'tabpanel', 'aria-labelledby': 'tab-comments' });
        const canAsk = forum.state === 'live' || forum.state === 'collecting';
        const video = videoSlot(forum);
        const chapters = isOver(forum) ? chapterList(seeker(video)) : null;
        const qp = questionsPanel(forum.id, canAsk, chapters ? (set) => chapters.update(set) : undefined);
        const first: TabName = forum.state === 'live' ? 'comments' : 'questions';
        const tabs = tabBar(first, (which) => {
          live.hidden = which !== 'comments';
          qSection.hidden = which === 'comments';
          if (which !== 'comments') {
            qSection.setAttribute('aria-labelledby', `tab-${which}`);
            qp.view(which === 'mine' ? 'mine' : 'all');
          }
          if (which === 'mine' && loadProfile()) qp.refreshTickets();
        });
        const needName = h('p.notice.notice-info.need-name', { 'data-testid': 'q-need-name' }, t('q.needName'), ' ',
          h('button.link-button', { type: 'button', onclick: () => {
            tabs.select('comments');
            live.querySelector<HTMLElement>('#chat-name')?.focus();
          } }, t('q.needNameGo')));
        // One panel for "questions" and "my questions" (two views of the same lists).
        const qSection = h('section.forum-questions', { id: 'tab-panel-questions', role: 'tabpanel', 'aria-labelledby': 'tab-questions', hidden: first === 'comments', 'data-testid': 'questions-tab' },
          loadProfile() || !canAsk ? null : needName, qp.el);
        live.hidden = first !== 'comments';
        qp.view('all');
        const prog = programmeView(forum);
        const loadProgram = (): void => {
          getProgram(forum.id).then((p) => alive && prog.set(p), () => undefined);
        };
        loadProgram();
        // Until the server pushes agenda_current everywhere, a live forum re-reads it each minute.
        if (forum.state === 'live') programTimer = window.setInterval(() => document.visibilityState === 'visible' && loadProgram(), 60_000);
        replace(root, video, forumHead(forum, prog), prog.box, chapters?.el, tabs.el, live, qSection);
        stopVideo = mountPlayer(video, forum);
        stopLive = mountLive(live, forum, qp, () => needName.remove(), (id) => prog.setCurrent(id));
      },
      (err: unknown) => {
        if (!alive) return;
        if (err instanceof ApiError && err.status === 404) {
          setTitle(t('forum.notFoundTitle'));
          replace(root, h('h1.page-title', null, t('forum.notFoundTitle')), emptyState(t('forum.notFoundTitle'), t('forum.notFoundBody')),
            h('p', null, h('a.button.button-secondary', { href: '/' }, t('common.backHome'))));
        } else {
          replace(root, errorState(err, load, t('error.title'), errorMessage(err)));
        }
      },
    );
  }
  load();
  return () => {
    alive = false;
    if (programTimer !== undefined) window.clearInterval(programTimer);
    stopLive?.();
    stopVideo?.();
  };
}
