// The HTTP API client: one typed function per /api/v1 route the pages use (see
// docs/http-api.md). Every failure becomes an ApiError with a code, so pages can show
// a catalogued message: server errors keep the server's code ({"error":{"code",...}}),
// an unreachable server is code "network", anything unexpected is "unknown".
// What it leaves to others: the WebSocket (chat), and all rendering.

export type ForumState = 'draft' | 'collecting' | 'live' | 'ended' | 'archived';

export interface ForumSummary {
  id: string;
  title: string;
  topic: string;
  starts_at: string | number;
  state: ForumState;
}

export type Forum = ForumSummary & Record<string, unknown>;

export type Role = 'organizer' | 'moderator' | 'panelist';

export interface Session {
  role: Role;
  name: string;
  expires_at?: string | number;
}

export interface LoginReply extends Session {
  /** For the WebSocket join as staff; the HttpOnly cookie covers HTTP requests. */
  token: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let unauthorized: ((path: string) => void) | null = null;

/**
 * Called when a staff request (cookie session) is answered 401 — the session expired
 * or was revoked. main.ts sends the user to /login?next=… with a message, so that a
 * staff page never fails silently. Not called for /login, /me and resident calls.
 */
export function onUnauthorized(fn: (path: string) => void): void {
  unauthorized = fn;
}

async function request<T>(method: string, path: string, body?: unknown, bearer?: string): Promise<T> {
  let res: Response;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError('network', e instanceof Error ? e.message : String(e), 0);
  }
  const text = await res.text().catch(() => '');
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const fallback = res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : res.status === 404 ? 'not_found' : 'unknown';
    const code = typeof err?.code === 'string' ? err.code : fallback;
    const message = typeof err?.message === 'string' ? err.message : `HTTP ${res.status}`;
    if (res.status === 401 && !bearer && unauthorized && !/^\/api\/v1\/(login|me)$/.test(path)) unauthorized(path);
    throw new ApiError(code, message, res.status);
  }
  if (data === undefined && text) throw new ApiError('unknown', 'response is not JSON', res.status);
  return data as T;
}

export function listForums(): Promise<ForumSummary[]> {
  return request<ForumSummary[] | { forums: ForumSummary[] }>('GET', '/api/v1/forums').then((r) =>
    Array.isArray(r) ? r : r.forums,
  );
}

export function getForum(id: string): Promise<Forum> {
  return request<Forum>('GET', `/api/v1/forums/${encodeURIComponent(id)}`);
}

const SESSION_KEY = 'forumcast.session';

/** Logs in; keeps the token for the WebSocket join in sessionStorage (this tab only). */
export async function login(name: string, password: string): Promise<LoginReply> {
  const reply = await request<LoginReply>('POST', '/api/v1/login', { name, password });
  try {
    sessionStorage.setItem(SESSION_KEY, reply.token);
  } catch {
    // no storage: staff consoles send the user back to the login
  }
  return reply;
}

/** The session token for a staff WebSocket join (null: log in again in this tab). */
export function sessionToken(): string | null {
  try {
    return sessionStorage.getItem(SESSION_KEY);
  } catch {
    return null;
  }
}

export function logout(): Promise<void> {
  try {
    sessionStorage.removeItem(SESSION_KEY);
  } catch {
    // nothing kept
  }
  return request<unknown>('POST', '/api/v1/logout', {}).then(() => undefined);
}

/** The logged-in staff member, or null when not logged in (401). */
export async function me(): Promise<Session | null> {
  try {
    return await request<Session>('GET', '/api/v1/me');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

const DEVICE_KEY = 'forumcast.device';

/**
 * The resident's device token: issued by the server on first use and kept in
 * localStorage, so questions, votes and bans follow the device (used by the chat page).
 */
let issuing: Promise<string> | null = null;

export function deviceToken(): Promise<string> {
  try {
    const kept = localStorage.getItem(DEVICE_KEY);
    if (kept) return Promise.resolve(kept);
  } catch {
    // No storage: a fresh token per page view.
  }
  // Callers at the same moment (the chat join and the contact save) share one token.
  issuing ??= issueDeviceToken().finally(() => (issuing = null));
  return issuing;
}

async function issueDeviceToken(): Promise<string> {
  const { device_token } = await request<{ device_token: string }>('POST', '/api/v1/device', {});
  try {
    localStorage.setItem(DEVICE_KEY, device_token);
  } catch {
    // Not kept; still usable for this page view.
  }
  return device_token;
}

/** Forgets a device token the server no longer knows (a reset server); the next call gets a new one. */
export function forgetDeviceToken(): void {
  try {
    localStorage.removeItem(DEVICE_KEY);
  } catch {
    // nothing kept
  }
}

/** A call as the resident's device (Authorization: Bearer <device token>); a stale token is replaced once. */
async function asDevice<T>(method: string, path: string, body?: unknown): Promise<T> {
  try {
    return await request<T>(method, path, body, await deviceToken());
  } catch (e) {
    if (!(e instanceof ApiError) || (e.status !== 401 && e.status !== 403)) throw e;
    forgetDeviceToken();
    return request<T>(method, path, body, await deviceToken());
  }
}

/** Keeps (or with "" clears) the resident's phone number for follow-up (POST /api/v1/device/contact). */
export function saveContact(phone: string): Promise<void> {
  return asDevice<unknown>('POST', '/api/v1/device/contact', { phone }).then(() => undefined);
}

export interface TicketProgress {
  at_ms: number;
  state: string;
  note: string;
}

export interface MyTicket {
  id: number;
  forum_id: string;
  question_id: number;
  title: string;
  category: string;
  state: string;
  created_ms: number;
  resolved_ms?: number | null;
  progress: TicketProgress[];
  my_rating?: { stars: number; confirmed: boolean; comment?: string } | null;
  can_rate: boolean;
}

/** Tickets made from this device's questions (and those it co-signed). */
export function myTickets(): Promise<MyTicket[]> {
  return asDevice<{ tickets?: MyTicket[] }>('GET', '/api/v1/my/tickets').then((r) => (Array.isArray(r.tickets) ? r.tickets : []));
}

export interface Rating {
  stars: number;
  confirmed: boolean;
  comment: string;
}

export function rateTicket(id: number, rating: Rating): Promise<MyTicket | null> {
  return asDevice<{ ticket?: MyTicket } & Partial<MyTicket>>('POST', `/api/v1/tickets/${id}/rate`, rating).then((r) =>
    r.ticket ?? (typeof r.id === 'number' ? (r as MyTicket) : null),
  );
}

export interface Program {
  agenda: { id: number; title: string; planned_minutes?: number; current?: boolean }[];
  panel: { name: string; title?: string; role?: string }[];
  current_agenda_item: number | null;
}

/** The forum's agenda and panel (GET /api/v1/forums/<id>/program); null when it has none or the route is missing. */
export async function getProgram(id: string): Promise<Program | null> {
  try {
    const r = await request<Partial<Program>>('GET', `/api/v1/forums/${encodeURIComponent(id)}/program`);
    return {
      agenda: Array.isArray(r.agenda) ? r.agenda.filter((a) => a && typeof a.title === 'string') : [],
      panel: Array.isArray(r.panel) ? r.panel.filter((p) => p && typeof p.name === 'string') : [],
      current_agenda_item: typeof r.current_agenda_item === 'number' ? r.current_agenda_item : null,
    };
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
    throw e;
  }
}
