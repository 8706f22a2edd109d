// The live comment list: a scrolling role="log" of comments (author, compound and
// building, time, text — all as text nodes). It sticks to the bottom only when the
// reader is already there; a reader who scrolled up keeps their place and gets a
// "N new comments ↓" pill instead. History replaces the list; new events append.
// What it leaves to others: which events arrive (src/chat/client.ts).
import { h, replace } from '../dom';
import { formatTime, t, type MessageKey } from '../i18n';
import type { ChatEvent, CommentEvent } from './client';

const NEAR_BOTTOM_PX = 32;
const MAX_SHOWN = 500; // older items leave the DOM so a long forum stays light

export class CommentList {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly pill: HTMLButtonElement;
  private unseen = 0;
  private stuck = true; // the reader is at the bottom (kept there when the list resizes)
  private bottomTop = 0; // scrollTop when last seen at the bottom

  constructor() {
    this.list = h('ol.comment-list', { 'data-testid': 'comment-list' });
    this.empty = h('p.comment-empty', { 'data-testid': 'comment-empty' }, t('chat.empty'));
    this.pill = h('button.new-pill', {
      type: 'button',
      hidden: true,
      'data-testid': 'new-comments',
      onclick: () => this.scrollToBottom(true),
    }) as HTMLButtonElement;
    const scroller = h(
      'div.comment-scroller',
      { role: 'log', 'aria-label': t('chat.listLabel'), tabindex: '0', 'data-testid': 'comment-log' },
      this.empty,
      this.list,
    );
    scroller.addEventListener('scroll', () => {
      this.stuck = this.atBottom();
      if (this.stuck) {
        this.bottomTop = scroller.scrollTop;
        this.clearPill();
      }
    }, { passive: true });
    // The composer growing or the keyboard opening shrinks the list: a reader at the
    // bottom stays at the bottom.
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(() => {
        if (this.stuck) this.pin();
      }).observe(scroller);
    }
    this.el = h('div.comment-area', null, scroller, this.pill);
  }

  private get scroller(): HTMLElement {
    return this.el.firstElementChild as HTMLElement;
  }

  private atBottom(): boolean {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight <= NEAR_BOTTOM_PX;
  }

  /** Replaces the list with a fresh history and shows its end. */
  setHistory(events: ChatEvent[]): void {
    replace(this.list, events.filter(isComment).map(item));
    for (const ev of events) this.hide(ev);
    this.trim();
    this.empty.hidden = this.list.childElementCount > 0;
    this.clearPill();
    this.scrollToBottom(false);
  }

  /** Appends one event; keeps the reader's place unless they were at the bottom. */
  append(ev: ChatEvent, follow = false): void {
    if (this.hide(ev) || !isComment(ev)) return;
    // At the bottom now, or was and has not scrolled up since (the list may have
    // shrunk under a growing composer before its resize was seen). A scroll up shows
    // in scrollTop at once, before its scroll event arrives.
    const s = this.scroller;
    const stick = follow || this.atBottom() || (this.stuck && s.scrollTop >= this.bottomTop - NEAR_BOTTOM_PX);
    this.list.appendChild(item(ev));
    this.trim();
    this.empty.hidden = true;
    if (stick) {
      this.pin();
    } else {
      this.unseen++;
      replace(this.pill, t('chat.newComments', { count: this.unseen }));
      this.pill.hidden = false;
    }
  }

  /** A moderator hid (or unhid) a comment: true when `ev` was such an event. */
  private hide(ev: ChatEvent): boolean {
    if (ev.ev !== 'comment_hidden' && ev.ev !== 'comment_unhidden') return false;
    const li = typeof ev.target === 'number' ? this.list.querySelector<HTMLElement>(`[data-seq="${ev.target}"]`) : null;
    if (li) li.hidden = ev.ev === 'comment_hidden';
    return true;
  }

  has(seq: number): boolean {
    return this.list.querySelector(`[data-seq="${seq}"]`) !== null;
  }

  scrollToBottom(smooth: boolean): void {
    const s = this.scroller;
    const reduce = matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (smooth && !reduce) s.scrollTo({ top: s.scrollHeight, behavior: 'smooth' }); // the scroll event records the end
    else this.pin();
    this.stuck = true;
    this.clearPill();
  }

  private pin(): void {
    const s = this.scroller;
    s.scrollTop = s.scrollHeight;
    this.stuck = true;
    this.bottomTop = s.scrollTop;
  }

  private clearPill(): void {
    this.unseen = 0;
    this.pill.hidden = true;
  }

  private trim(): void {
    while (this.list.childElementCount > MAX_SHOWN) this.list.firstElementChild?.remove();
  }
}

function isComment(ev: ChatEvent): ev is CommentEvent {
  return ev.ev === 'comment' && typeof ev.text === 'string';
}

const STAFF = new Set(['moderator', 'organizer', 'panelist']);

function item(ev: CommentEvent): HTMLElement {
  const place = [ev.compound, ev.building].filter((s) => typeof s === 'string' && s).join(' · ');
  const staff = typeof ev.role === 'string' && STAFF.has(ev.role);
  return h(
    `li.comment${staff ? '.comment-staff' : ''}`,
    { 'data-seq': ev.seq, 'data-testid': 'comment' },
    h(
      'p.comment-meta',
      null,
      h('span.comment-author', { 'data-testid': 'comment-author' }, typeof ev.name === 'string' ? ev.name : ''),
      staff ? h('span.badge.badge-role', null, t(`role.${ev.role}` as MessageKey)) : null,
      place ? h('span.comment-place', { 'data-testid': 'comment-place' }, place) : null,
      typeof ev.at === 'number' ? h('time.comment-time', { datetime: new Date(ev.at).toISOString() }, formatTime(ev.at)) : null,
    ),
    h('p.comment-text', { 'data-testid': 'comment-text' }, ev.text),
  );
}
