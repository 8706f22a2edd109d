// A scripted forumcast.v1 forum with the question operations of docs/moderation.md
// "Protocol", for e2e tests of the moderation pages while the real relay does not
// route those ops yet. One ScriptedForum serves every browser context of a test
// (Playwright's routeWebSocket runs its handler in this Node process), so a question
// asked in the resident's browser reaches the moderator's, the presenter's and the
// overlay's. It follows the documented audiences: staff connections get every change
// (on a second numbering, like the server's staff subscriber list), everyone gets the
// resident form of public questions on the room's stream (with seq), the asker's
// device gets changes of its non-public question (no seq).
// It leaves to the real server everything else (pages, API, login, device tokens).
// Also staffPeer(): a moderator/organizer on the REAL relay (login, /ws join as staff,
// any op; HTTP API calls with the bearer token), for the resident tests.

const PUBLIC = new Set(['approved', 'on_air', 'answered']);

export class ScriptedForum {
  constructor(forumId) {
    this.forum = forumId;
    this.seq = 0;
    this.staffSeq = 0;
    this.nextId = 101;
    this.questions = new Map();
    this.voters = new Map(); // id -> Set(device)
    this.conns = new Set();
    this.settings = { questions_premoderated: true, intake_open: true, max_question_chars: 500, comments_premoderated: false, chat_delay_ms: 0, slow_mode_ms: 0, reject_reasons: ['off_topic', 'duplicate', 'inappropriate', 'personal_info', 'unclear', 'other'] };
    this.received = []; // every request, for assertions
    this.holdTerms = []; // a resident comment containing one of these is held
    this.held = new Map();
    this.nextHeld = 1;
  }

  /** Adds questions as they would be after some moderation (screenshots): returns them. */
  seed(items) {
    const now = Date.now();
    return items.map((x, i) => {
      const q = {
        id: this.nextId++, parent_id: null, source: 'resident', asker: x.asker ?? `seed-${i}`, display_name: x.name ?? '', compound: x.compound ?? '',
        building: x.building ?? '', text: x.text, category: x.category ?? null, state: x.state ?? 'pending', votes: x.votes ?? 0, merged_into: x.merged_into ?? null,
        answers: x.answers ?? [], reject_reason: x.reject_reason ?? '', reject_text: '', created_ms: now - (items.length - i) * 60000, updated_ms: now, ...(x.extra ?? {}),
      };
      q.wasPublic = PUBLIC.has(q.state);
      q.baseVotes = q.votes;
      this.questions.set(q.id, q);
      return q;
    });
  }

  /** A resident's comment on the room's stream (returns its seq). */
  comment(name, compound, text) {
    const ev = { ev: 'comment', forum: this.forum, seq: ++this.seq, at: Date.now(), role: 'resident', name, compound, text };
    for (const c of this.conns) if (c.role) this.send(c, ev);
    return ev.seq;
  }

  /** Routes /ws of a page or a context to this forum. */
  attach(target) {
    return target.routeWebSocket(/\/ws$/, (ws) => {
      const conn = { ws, role: null, device: null, name: '', compound: '', building: '' };
      this.conns.add(conn);
      ws.onClose(() => this.conns.delete(conn));
      ws.onMessage((raw) => this.onMessage(conn, JSON.parse(String(raw))));
    });
  }

  send(conn, obj) {
    try {
      conn.ws.send(JSON.stringify(obj));
    } catch {
      this.conns.delete(conn);
    }
  }

  // The server's record without the device hash; the staff form always has the
  // `original_text` key (null until an edit), the resident form never.
  wire(q, staff) {
    const { asker, wasPublic, baseVotes, ...rest } = q;
    if (staff) rest.original_text = rest.original_text ?? null;
    else delete rest.original_text;
    return rest;
  }

  publish(op, q) {
    const staffEv = { ev: 'question', forum: this.forum, seq: ++this.staffSeq, stream: 'staff', op, question: this.wire(q, true) };
    for (const c of this.conns) if (c.role && c.role !== 'resident') this.send(c, staffEv);
    if (PUBLIC.has(q.state)) {
      const ev = { ev: 'question', forum: this.forum, seq: ++this.seq, op, question: this.wire(q, false) };
      for (const c of this.conns) if (c.role) this.send(c, ev);
    } else {
      if (q.wasPublic) {
        const ev = { ev: 'question_removed', forum: this.forum, seq: ++this.seq, id: q.id, state: q.state, merged_into: q.merged_into ?? undefined };
        for (const c of this.conns) if (c.role) this.send(c, ev);
      }
      for (const c of this.conns) if (c.role === 'resident' && c.device === q.asker) this.send(c, { ev: 'question', forum: this.forum, op, question: this.wire(q, false) });
    }
    q.wasPublic = PUBLIC.has(q.state);
  }

  onMessage(conn, m) {
    const ok = (extra = {}) => this.send(conn, { rid: m.rid, ok: true, ...extra });
    const fail = (code) => this.send(conn, { rid: m.rid, ok: false, error: { code, message: code } });
    if (m.op === 'ping') return ok();
    this.received.push({ role: conn.role, ...m });
    if (m.op === 'join') {
      conn.role = m.session ? 'moderator' : 'resident';
      Object.assign(conn, { device: m.device ?? null, name: m.name ?? '', compound: m.compound ?? '', building: m.building ?? '' });
      return ok({ forum: this.forum, epoch: 'scripted', seq: this.seq, viewers: this.conns.size, role: conn.role, events: [] });
    }
    if (!conn.role) return fail('not_joined');
    const staff = conn.role !== 'resident';
    const q = typeof m.id === 'number' ? this.questions.get(m.id) : undefined;
    const now = Date.now();
    const change = (op, patch) => {
      if (!q) return fail('not_found');
      Object.assign(q, patch, { updated_ms: Math.max(now, q.updated_ms + 1) });
      ok({ question: this.wire(q, staff) });
      this.publish(op, q);
    };
    const needStaff = () => {
      if (!staff) fail('forbidden');
      return staff;
    };
    switch (m.op) {
      case 'questions': {
        const list = [...this.questions.values()].filter((x) => staff || PUBLIC.has(x.state) || x.asker === conn.device);
        const onAir = [...this.questions.values()].find((x) => x.state === 'on_air' && !x.parent_id);
        return ok({ questions: list.map((x) => this.wire(x, staff)), approved_order: [], on_air: onAir ? onAir.id : null });
      }
      case 'settings':
        return ok({ settings: this.settings });
      case 'held_comments':
        return staff ? ok({ held: [] }) : fail('forbidden');
      case 'ask':
      case 'follow_up': {
        if (staff) return fail('forbidden');
        const text = String(m.text ?? '').trim();
        if (!text) return fail('text_empty');
        if ([...text].length > this.settings.max_question_chars) return fail('too_long');
        const nq = {
          id: this.nextId++, parent_id: m.op === 'follow_up' ? m.parent : null, source: 'resident', asker: conn.device,
          display_name: conn.name, compound: conn.compound, building: conn.building, text, category: m.category ?? null,
          state: this.settings.questions_premoderated ? 'pending' : 'approved', votes: 0, merged_into: null, answers: [],
          reject_reason: '', reject_text: '', created_ms: now, updated_ms: now,
        };
        this.questions.set(nq.id, nq);
        ok({ question: this.wire(nq, false) });
        this.publish(m.op, nq);
        return;
      }
      case 'vote':
      case 'unvote': {
        if (staff) return fail('forbidden');
        if (!q) return fail('not_found');
        if (q.state !== 'approved' && q.state !== 'on_air') return fail('not_votable');
        const set = this.voters.get(q.id) ?? new Set();
        this.voters.set(q.id, set);
        if (m.op === 'vote' && set.has(conn.device)) return fail('already_voted');
        if (m.op === 'unvote' && !set.has(conn.device)) return fail('not_voted');
        if (m.op === 'vote') set.add(conn.device);
        else set.delete(conn.device);
        q.votes = (q.baseVotes ?? 0) + set.size;
        ok({ id: q.id, votes: q.votes, voted: m.op === 'vote' });
        const ev = { ev: 'votes', forum: this.forum, seq: ++this.seq, id: q.id, votes: q.votes };
        for (const c of this.conns) if (c.role) this.send(c, ev);
        return;
      }
      case 'approve':
        if (!needStaff()) return;
        if (q && q.state !== 'pending') return fail('illegal_transition');
        return change('approve', { state: 'approved' });
      case 'reject':
        if (!needStaff()) return;
        return change('reject', { state: 'rejected', reject_reason: m.reason, reject_text: m.text ?? '' });
      case 'on_air':
        if (!needStaff()) return;
        if ([...this.questions.values()].some((x) => x.state === 'on_air' && x !== q)) return fail('already_on_air');
        return change('put_on_air', { state: 'on_air' });
      case 'answered':
        if (!needStaff()) return;
        if (q && q.state !== 'on_air') return fail('illegal_transition');
        return change('mark_answered', { state: 'answered', answers: [...(q?.answers ?? []), { summary: m.summary, panelist: m.panelist, at_ms: now }] });
      case 'edit':
        if (!needStaff()) return;
        return change('edit', { text: String(m.text), original_text: q?.original_text ?? q?.text });
      case 'categorise':
        if (!needStaff()) return;
        return change('categorise', { category: m.category || null });
      case 'merge': {
        if (!needStaff()) return;
        const into = this.questions.get(m.into);
        if (!into || into === q) return fail('invalid_merge');
        return change('merge', { state: 'merged', merged_into: into.id });
      }
      case 'comment': {
        const text = String(m.text ?? '');
        const term = this.holdTerms.find((x) => text.includes(x));
        if (staff || !term) return ok({ seq: this.comment(conn.name, conn.compound, text) });
        const held = { id: this.nextHeld++, name: conn.name, compound: conn.compound, building: conn.building, text, reason: 'filter', matches: [{ term, action: 'hold' }], at: now };
        this.held.set(held.id, held);
        ok({ held: held.id });
        for (const c of this.conns) if (c.role && c.role !== 'resident') this.send(c, { ev: 'held_comment', forum: this.forum, seq: ++this.staffSeq, stream: 'staff', comment: held });
        return;
      }
      case 'approve_comment':
      case 'reject_comment': {
        if (!needStaff()) return;
        const held = this.held.get(m.id);
        if (!held) return fail('not_found');
        this.held.delete(m.id);
        ok();
        for (const c of this.conns) if (c.role && c.role !== 'resident') this.send(c, { ev: 'held_resolved', forum: this.forum, seq: ++this.staffSeq, stream: 'staff', id: m.id, approved: m.op === 'approve_comment' });
        if (m.op === 'approve_comment') this.comment(held.name, held.compound, held.text);
        return;
      }
      case 'hide_comment':
      case 'unhide_comment': {
        if (!needStaff()) return;
        ok();
        const ev = { ev: m.op === 'hide_comment' ? 'comment_hidden' : 'comment_unhidden', forum: this.forum, seq: ++this.seq, target: m.seq };
        for (const c of this.conns) if (c.role) this.send(c, ev);
        return;
      }
      case 'timeout':
      case 'ban':
        if (!needStaff()) return;
        return ok({ ban: { id: 1, kind: m.op, reason: m.reason ?? '', actor: 'moderator', created_ms: now, expires_ms: m.duration_ms ? now + m.duration_ms : null, by_ip: false, remove_comments: false } });
      case 'set_settings':
        if (!needStaff()) return;
        Object.assign(this.settings, m.settings);
        ok({ settings: this.settings });
        for (const c of this.conns) if (c.role) this.send(c, { ev: 'settings', forum: this.forum, seq: ++this.seq, settings: this.settings });
        return;
      case 'back_to_queue':
        if (!needStaff()) return;
        return change('back_to_queue', { state: q?.state === 'on_air' ? 'approved' : 'pending' });
      default:
        return fail('unknown_op');
    }
  }
}

/**
 * A staff member on the REAL server, for resident tests: logs in over HTTP (bearer
 * token for the API calls made from Node) and joins the forum's /ws as staff from a
 * browser page (Chromium's WebSocket; the page is /healthz on the server, so the
 * socket is same-origin). `call(op, fields)` sends any op of docs/moderation.md
 * "Protocol" and resolves with the reply (rejects on ok:false, with the code);
 * `api(method, path, body)` calls the HTTP API as this account (tickets, forum state).
 */
export async function staffPeer(page, baseUrl, forumId, { name, password }) {
  const res = await fetch(new URL('/api/v1/login', baseUrl), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }),
  });
  const login = await res.json();
  if (!res.ok) throw new Error(`staff login failed: ${JSON.stringify(login)}`);
  const token = login.token;
  await page.goto(new URL('/healthz', baseUrl).href);
  await page.evaluate(({ forum, token }) => new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${location.host}/ws`, 'forumcast.v1');
    const peer = { ws, rid: 1, pending: new Map(), events: [] };
    window.__staffPeer = peer;
    ws.onmessage = (m) => {
      const data = JSON.parse(m.data);
      for (const x of Array.isArray(data) ? data : [data]) {
        const done = typeof x.rid === 'number' ? peer.pending.get(x.rid) : undefined;
        if (done) {
          peer.pending.delete(x.rid);
          done(x);
        } else peer.events.push(x);
      }
    };
    ws.onerror = () => reject(new Error('staff socket error'));
    ws.onopen = () => {
      peer.pending.set(0, (r) => (r.ok ? resolve() : reject(new Error(`staff join refused: ${JSON.stringify(r.error)}`))));
      ws.send(JSON.stringify({ op: 'join', rid: 0, forum, session: token }));
    };
  }), { forum: forumId, token });

  async function call(op, fields = {}) {
    const reply = await page.evaluate(({ op, fields }) => new Promise((resolve, reject) => {
      const peer = window.__staffPeer;
      const rid = ++peer.rid;
      const timer = setTimeout(() => reject(new Error(`no reply to ${op} within 10 s`)), 10000);
      peer.pending.set(rid, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      peer.ws.send(JSON.stringify({ op, rid, ...fields }));
    }), { op, fields });
    if (!reply.ok) {
      const err = new Error(`${op} refused: ${reply.error?.code} ${reply.error?.message ?? ''}`);
      err.code = reply.error?.code;
      throw err;
    }
    return reply;
  }

  async function api(method, path, body) {
    const r = await fetch(new URL(path, baseUrl), {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    const json = text ? JSON.parse(text) : null;
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return json;
  }

  return { token, call, api };
}
