// The forumcast.v1 protocol client (docs/protocol.md): one WebSocket to /ws with the
// subprotocol "forumcast.v1", requests matched to replies by rid (each with a deadline),
// events as single objects or arrays, and a join that carries the resident's identity.
// It keeps the connection up by itself: after a drop it reconnects with exponential
// backoff and full jitter (capped), and resumes with `since: {epoch, seq}`, so the
// page receives every stream event exactly once and in order (events are deduplicated
// by seq; a gap triggers a resume). `recovered: false` hands the page a fresh history
// that replaces what it shows. Presence (the viewer count) is a snapshot outside the
// stream and never advances the seq.
// What it leaves to others: all rendering (src/pages/forum.ts, src/chat/*_view.ts),
// the device token (src/api.ts), and message text (error codes only).

export type ConnState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'stopped';

export interface ChatEvent {
  ev: string;
  forum: string;
  seq: number;
  [field: string]: unknown;
}

export interface CommentEvent extends ChatEvent {
  ev: 'comment';
  at?: number;
  role?: string;
  name: string;
  compound?: string;
  building?: string;
  text: string;
  stream_ms?: number;
}

/** A resident joins with a device token and a name; staff with a session token. */
export interface Identity {
  forum: string;
  device?: string;
  session?: string;
  name?: string;
  compound?: string;
  building?: string;
}

// Moderation events (docs/moderation.md "Protocol") from outside the forum's public
// stream: the staff subscriber list has its own numbering and events for one device are
// not in the stream, so their seq says nothing about the stream's. They are: the
// staff-only events, a question in the staff form (it has the `original_text` key,
// which the resident form never has), and a question in a non-public state (which only
// staff and its asker's device are told about). They carry whole records, so they are
// delivered as they come and never advance the stream's seq nor cause a resume.
const STAFF_EVENTS = new Set(['held_comment', 'held_resolved', 'ban', 'ban_lifted', 'terms']);
const PUBLIC_QUESTION = new Set(['approved', 'on_air', 'answered']);

export function isSideEvent(ev: ChatEvent): boolean {
  // The relay marks the staff list's events with "stream":"staff"; events for one
  // device come without a seq.
  if (ev.stream === 'staff' || typeof ev.seq !== 'number') return ev.ev !== 'presence';
  if (STAFF_EVENTS.has(ev.ev)) return true;
  if (ev.ev !== 'question' || !ev.question || typeof ev.question !== 'object') return false;
  const q = ev.question as Record<string, unknown>;
  return 'original_text' in q || !PUBLIC_QUESTION.has(String(q.state));
}

/** A failed request: a server error code, or "timeout" / "offline" from the client. */
export class ChatError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ChatError';
  }
}

export interface ChatHandlers {
  /** The connection state changed (the page shows it). */
  state(state: ConnState): void;
  /** A fresh history: replace everything shown with these events (ascending seq). */
  history(events: ChatEvent[]): void;
  /** One new stream event, in seq order, never twice. */
  event(ev: ChatEvent): void;
  viewers(count: number): void;
  /** The join was refused for good (forbidden, not_found, forum_closed): no retry. */
  refused(err: ChatError): void;
  /** The join reply's limits, when the server sends them. */
  limits?(limits: { comment_max_chars?: number }): void;
}

export interface ChatOptions {
  url?: string;
  requestTimeoutMs?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Failed attempts in a row after which the state reads "offline" (still retrying). */
  offlineAfter?: number;
}

export const SUBPROTOCOL = 'forumcast.v1';
const CLOSE_SLOW_READER = 4008;
const RESYNC_AFTER_HIDDEN_MS = 30000;
// The browser cannot see the server's WebSocket pings, so a socket that died without a
// close (a phone switching networks) would look alive: a `ping` op with the request
// deadline finds out, and the client resumes on a new connection.
const PING_EVERY_MS = 25000;
const FATAL_JOIN = new Set(['forbidden', 'not_found', 'forum_closed', 'bad_request', 'too_large', 'invalid_utf8']);

interface Pending {
  resolve(reply: Record<string, unknown>): void;
  reject(err: ChatError): void;
  timer: ReturnType<typeof setTimeout>;
}

/** Reconnect delay for the n-th attempt (0-based): full jitter over an exponential cap. */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

function wsUrl(): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}

export class ChatClient {
  private ws: WebSocket | null = null;
  private nextRid = 1;
  private pending = new Map<number, Pending>();
  private epoch: string | null = null;
  private seq = 0;
  private joined = false;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setTimeout> | null = null;
  private current: ConnState = 'connecting';
  private stopped = false;
  private readonly opts: Required<ChatOptions>;
  private readonly onOnline = (): void => this.reconnectNow();
  private readonly onOffline = (): void => this.drop('offline');
  private hiddenAt = 0;
  // A phone that slept may hold a socket that died silently: after a long absence,
  // resume on a fresh connection (cheap: only the missed events come back).
  private readonly onVisibility = (): void => {
    if (document.visibilityState === 'hidden') {
      this.hiddenAt = Date.now();
    } else if (this.hiddenAt && Date.now() - this.hiddenAt > RESYNC_AFTER_HIDDEN_MS) {
      this.hiddenAt = 0;
      this.teardown(new ChatError('offline', 'resync'));
      this.reconnectNow();
    }
  };

  constructor(
    private identity: Identity,
    private readonly on: ChatHandlers,
    options: ChatOptions = {},
  ) {
    this.opts = {
      url: options.url ?? wsUrl(),
      requestTimeoutMs: options.requestTimeoutMs ?? 10000,
      backoffBaseMs: options.backoffBaseMs ?? 500,
      backoffCapMs: options.backoffCapMs ?? 15000,
      offlineAfter: options.offlineAfter ?? 4,
    };
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    document.addEventListener('visibilitychange', this.onVisibility);
    this.open();
  }

  get state(): ConnState {
    return this.current;
  }

  /** Posts a comment; resolves with its seq once the server has stored it (0 when it
   * was held for a moderator, then `held` is its number in the moderators' queue). */
  async comment(text: string): Promise<number> {
    const reply = await this.request({ op: 'comment', text });
    this.lastHeld = typeof reply.held === 'number' ? reply.held : null;
    return typeof reply.seq === 'number' ? reply.seq : 0;
  }

  /** The last comment was held for a moderator (its number), or null. */
  lastHeld: number | null = null;

  /** Any other operation (the moderation ops): resolves with the reply, rejects with ChatError. */
  call(op: string, fields: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.request({ ...fields, op });
  }

  /** Joins again with a new name/compound/building, resuming where the list is. */
  rejoin(identity: Identity): void {
    this.identity = identity;
    // Open (joined, or a join in flight: the later join wins on the server and here);
    // still connecting: the join sent on open reads the new identity.
    if (this.ws?.readyState === WebSocket.OPEN) this.join();
    else this.reconnectNow();
  }

  /** Skips the backoff wait (the "reconnect now" button, the browser going online). */
  reconnectNow(): void {
    if (this.stopped || this.ws) return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.open();
  }

  /** Closes for good (the page is left). */
  close(): void {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    document.removeEventListener('visibilitychange', this.onVisibility);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.teardown(new ChatError('offline', 'closed'));
    this.setState('stopped');
  }

  private setState(s: ConnState): void {
    if (s === this.current) return;
    this.current = s;
    this.on.state(s);
  }

  private open(): void {
    if (this.stopped) return;
    if (!navigator.onLine) {
      this.setState('offline');
      return; // the "online" event reconnects
    }
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.opts.url, SUBPROTOCOL);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => this.join();
    ws.onmessage = (m) => this.receive(m.data);
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.teardown(new ChatError('offline', 'connection closed'));
      // 4008: the server cut a slow reader; resuming at once loses nothing (a second
      // cut in a row waits like any other failure).
      if (ev.code === CLOSE_SLOW_READER && this.attempt === 0) {
        this.attempt++;
        this.setState('reconnecting');
        this.open();
      } else {
        this.scheduleRetry();
      }
    };
  }

  /** Closes the socket after a network loss or a gap, and starts over with `since`. */
  private drop(reason: 'offline' | 'gap'): void {
    if (this.stopped) return;
    this.teardown(new ChatError('offline', reason));
    if (reason === 'offline' && !navigator.onLine) this.setState('offline');
    else this.scheduleRetry();
  }

  private teardown(err: ChatError): void {
    const ws = this.ws;
    this.ws = null;
    this.joined = false;
    if (this.pingTimer) clearTimeout(this.pingTimer);
    this.pingTimer = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      try {
        ws.close(1000);
      } catch {
        // already closing
      }
    }
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    const delay = backoffDelay(this.attempt, this.opts.backoffBaseMs, this.opts.backoffCapMs);
    this.attempt++;
    this.setState(this.attempt > this.opts.offlineAfter || !navigator.onLine ? 'offline' : 'reconnecting');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }

  private join(): void {
    const { forum, device, session, name, compound, building } = this.identity;
    const msg: Record<string, unknown> = session ? { op: 'join', forum, session } : { op: 'join', forum, device, name };
    if (compound) msg.compound = compound;
    if (building) msg.building = building;
    if (this.epoch !== null) msg.since = { epoch: this.epoch, seq: this.seq };
    const ws = this.ws;
    this.request(msg).then(
      (reply) => {
        if (this.ws !== ws) return;
        this.joined = true;
        this.attempt = 0;
        const events = Array.isArray(reply.events) ? (reply.events as ChatEvent[]) : [];
        const resumed = reply.recovered === true && reply.epoch === this.epoch;
        this.epoch = typeof reply.epoch === 'string' ? reply.epoch : '';
        if (typeof reply.viewers === 'number') this.on.viewers(reply.viewers);
        const limits = reply.limits as { comment_max_chars?: number } | undefined;
        if (limits && this.on.limits) this.on.limits(limits);
        if (resumed) {
          for (const ev of events) this.accept(ev);
        } else {
          const stream = events.filter((e) => e.ev !== 'presence');
          this.seq = typeof reply.seq === 'number' ? reply.seq : (stream[stream.length - 1]?.seq ?? 0);
          this.on.history(stream.filter((e) => e.ev !== 'noop'));
        }
        this.setState('connected');
        this.schedulePing();
      },
      (err: ChatError) => {
        if (this.ws !== ws) return;
        if (FATAL_JOIN.has(err.code)) {
          this.close(); // for good: no retry, no listeners left behind
          this.on.refused(err);
        } else {
          this.drop('gap'); // timeout or internal: try again later
        }
      },
    );
  }

  private schedulePing(): void {
    if (this.pingTimer) clearTimeout(this.pingTimer);
    const ws = this.ws;
    this.pingTimer = setTimeout(() => {
      this.pingTimer = null;
      this.request({ op: 'ping' }).then(
        () => this.ws === ws && this.schedulePing(),
        (err: ChatError) => {
          if (this.ws === ws && err.code === 'timeout') this.drop('gap');
        },
      );
    }, PING_EVERY_MS);
  }

  private request(msg: Record<string, unknown>): Promise<Record<string, unknown>> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN || (msg.op !== 'join' && !this.joined)) {
      return Promise.reject(new ChatError('offline', 'not connected'));
    }
    const rid = this.nextRid++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(rid);
        reject(new ChatError('timeout', 'no reply'));
      }, this.opts.requestTimeoutMs);
      this.pending.set(rid, { resolve, reject, timer });
      ws.send(JSON.stringify({ ...msg, rid }));
    });
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    const items = Array.isArray(msg) ? msg : [msg];
    for (const item of items) {
      if (!item || typeof item !== 'object') continue;
      const obj = item as Record<string, unknown>;
      if ('rid' in obj && 'ok' in obj) this.reply(obj);
      else if (typeof obj.ev === 'string') this.accept(obj as ChatEvent);
      if (!this.ws) return; // a gap closed the socket: the rest of the frame is replayed later
    }
  }

  private reply(obj: Record<string, unknown>): void {
    const p = typeof obj.rid === 'number' ? this.pending.get(obj.rid) : undefined;
    if (!p) return;
    this.pending.delete(obj.rid as number);
    clearTimeout(p.timer);
    if (obj.ok === true) {
      p.resolve(obj);
    } else {
      const e = (obj.error ?? {}) as { code?: unknown; message?: unknown; retry_after_ms?: unknown };
      p.reject(
        new ChatError(
          typeof e.code === 'string' ? e.code : 'unknown',
          typeof e.message === 'string' ? e.message : '',
          typeof e.retry_after_ms === 'number' ? e.retry_after_ms : undefined,
        ),
      );
    }
  }

  private accept(ev: ChatEvent): void {
    if (ev.ev === 'presence') {
      if (typeof ev.viewers === 'number') this.on.viewers(ev.viewers);
      return;
    }
    if (!this.joined) return;
    if (isSideEvent(ev)) {
      this.on.event(ev);
      return;
    }
    if (typeof ev.seq !== 'number') return;
    if (ev.seq <= this.seq) return; // already shown
    if (ev.seq > this.seq + 1) {
      this.drop('gap'); // missed something: resume from the last seq we have
      return;
    }
    this.seq = ev.seq;
    if (ev.ev !== 'noop') this.on.event(ev);
  }
}
