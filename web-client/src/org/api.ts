// The organizer pages' HTTP client: one fetch wrapper for every staff API call they
// make, and one typed function per route (docs/http-api.md). A 401 from any of them
// (no session, or it expired while the page was open) sends the user to
// /login?next=<this page>&expired=1 (just /login?next= when the page's first session
// check finds nobody logged in), so nothing fails silently; every other failure
// becomes an ApiError with the server's code, as in src/api.ts.
// What it leaves to others: rendering (the org pages), the login page (res).
import { ApiError, type ForumState, type ForumSummary } from '../api';
import { navigate } from '../router';

export { ApiError };
export type { ForumState, ForumSummary };

let redirecting = false;

/** Where a 401 sends the user: the login page, coming back here afterwards. */
export function loginPath(expired: boolean): string {
  const here = location.pathname + location.search;
  return `/login?next=${encodeURIComponent(here)}${expired ? '&expired=1' : ''}`;
}

function sessionExpired(expired: boolean): void {
  if (redirecting) return;
  redirecting = true;
  navigate(loginPath(expired), { replace: true });
  // Once the login page is shown, a later 401 (after a new login) redirects again.
  setTimeout(() => {
    redirecting = false;
  }, 0);
}

export interface RawReply {
  res: Response;
  text: string;
}

/** fetch() with the staff rules: same-origin cookie, JSON body, 401 → login. */
export async function orgFetch(method: string, path: string, body?: unknown, firstCheck = false): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError('network', e instanceof Error ? e.message : String(e), 0);
  }
  if (!res.ok) {
    const text = await res.text().catch(() => '');
    let err: { code?: unknown; message?: unknown } | undefined;
    try {
      err = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    } catch {
      err = undefined;
    }
    if (res.status === 401) sessionExpired(!firstCheck);
    const fallback = res.status === 401 ? 'unauthorized' : res.status === 403 ? 'forbidden' : res.status === 404 ? 'not_found' : 'unknown';
    throw new ApiError(typeof err?.code === 'string' ? err.code : fallback, typeof err?.message === 'string' ? err.message : `HTTP ${res.status}`, res.status);
  }
  return res;
}

export async function orgJson<T>(method: string, path: string, body?: unknown, firstCheck = false): Promise<T> {
  const res = await orgFetch(method, path, body, firstCheck);
  const text = await res.text();
  try {
    return (text ? JSON.parse(text) : {}) as T;
  } catch {
    throw new ApiError('unknown', 'response is not JSON', res.status);
  }
}

const enc = encodeURIComponent;

// ---- session ---------------------------------------------------------------

export interface Me {
  name: string;
  role: 'organizer' | 'moderator' | 'panelist';
}

/** The logged-in staff member; a 401 redirects to the login page (not logged in: no "expired"). */
export function me(): Promise<Me> {
  return orgJson<Me>('GET', '/api/v1/me', undefined, true);
}

// ---- forums ----------------------------------------------------------------

export const FORUM_STATES: ForumState[] = ['draft', 'collecting', 'live', 'ended', 'archived'];

export interface Forum extends ForumSummary {
  urls?: { resident?: string; moderator?: string; hls?: string };
}

export function listForums(): Promise<ForumSummary[]> {
  return orgJson<{ forums: ForumSummary[] }>('GET', '/api/v1/forums').then((r) => r.forums);
}

export function getForum(id: string): Promise<Forum> {
  return orgJson<Forum>('GET', `/api/v1/forums/${enc(id)}`);
}

export function createForum(f: { title: string; topic: string; starts_at: string }): Promise<Forum> {
  return orgJson<Forum>('POST', '/api/v1/forums', f);
}

export function setForumState(id: string, state: ForumState): Promise<Forum> {
  return orgJson<Forum>('POST', `/api/v1/forums/${enc(id)}/state`, { state });
}

export function updateForum(id: string, f: { title: string; topic: string; starts_at: string }): Promise<Forum> {
  return orgJson<Forum>('PATCH', `/api/v1/forums/${enc(id)}`, f);
}

// ---- agenda and panel ------------------------------------------------------

export type PanelRole = 'secretary' | 'expert' | 'deputy' | 'resident_representative';
export const PANEL_ROLES: PanelRole[] = ['secretary', 'expert', 'deputy', 'resident_representative'];

export interface PanelMember {
  name: string;
  title: string;
  role: PanelRole;
}

export interface AgendaItem {
  id?: number;
  title: string;
  planned_minutes: number;
}

export interface Program {
  agenda: AgendaItem[];
  current_item_id: number | null;
  panel: PanelMember[];
}

export function getAgenda(id: string): Promise<{ agenda: AgendaItem[]; current_item_id: number | null }> {
  return orgJson<{ agenda: AgendaItem[]; current_item_id?: number | null }>('GET', `/api/v1/forums/${enc(id)}/agenda`).then((r) => ({
    agenda: r.agenda ?? [],
    current_item_id: r.current_item_id ?? null,
  }));
}

export function setAgenda(id: string, agenda: AgendaItem[]): Promise<{ agenda: AgendaItem[]; current_item_id: number | null }> {
  return orgJson<{ agenda: AgendaItem[]; current_item_id?: number | null }>('PUT', `/api/v1/forums/${enc(id)}/agenda`, { agenda }).then((r) => ({
    agenda: r.agenda ?? [],
    current_item_id: r.current_item_id ?? null,
  }));
}

export function setCurrentItem(id: string, itemId: number | null): Promise<unknown> {
  return orgJson<unknown>('POST', `/api/v1/forums/${enc(id)}/agenda/current`, { item_id: itemId });
}

export function getPanel(id: string): Promise<PanelMember[]> {
  return orgJson<{ panel: PanelMember[] }>('GET', `/api/v1/forums/${enc(id)}/panel`).then((r) => r.panel ?? []);
}

export function setPanel(id: string, panel: PanelMember[]): Promise<PanelMember[]> {
  return orgJson<{ panel: PanelMember[] }>('PUT', `/api/v1/forums/${enc(id)}/panel`, { panel }).then((r) => r.panel ?? []);
}

// ---- stream ----------------------------------------------------------------

export function streamKey(id: string): Promise<{ stream_key: string; rtmp_url: string; srt_url: string | null }> {
  return orgJson('GET', `/api/v1/forums/${enc(id)}/stream-key`);
}

export function rotateKey(id: string): Promise<{ stream_key: string }> {
  return orgJson('POST', `/api/v1/stream/${enc(id)}/rotate-key`, {});
}

export interface StreamHealth {
  state: string;
  remote?: string;
  video_codec?: string;
  audio_codec?: string;
  width?: number;
  height?: number;
  fps?: number;
  bitrate_bps?: number;
  keyframe_interval_s?: number;
  uptime_ms?: number;
  reconnects?: number;
  segments?: number;
  viewers?: number;
}

export function streamHealth(id: string): Promise<StreamHealth> {
  return orgJson<StreamHealth>('GET', `/api/v1/stream/${enc(id)}/health`);
}

export interface Recording {
  duration_s: number;
  segments: number;
  sessions: number;
  ended: boolean;
  bytes: number;
  download: string;
}

export function recording(id: string): Promise<Recording> {
  return orgJson<Recording>('GET', `/api/v1/stream/${enc(id)}/recording`);
}

// ---- transcript (the dashboard's data) ---------------------------------------

export const EXPORT_FORMATS = ['json', 'csv', 'xlsx', 'md', 'html', 'vtt'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function transcriptUrl(id: string, format: ExportFormat, lang: string): string {
  return `/api/v1/forums/${enc(id)}/transcript?format=${format}&lang=${enc(lang)}`;
}

export interface Figures {
  compound?: string;
  asked: number;
  approved: number;
  answered_live: number;
  ticketed: number;
  follow_ups: number;
  votes: number;
  tickets: number;
  resolved: number;
  ever_resolved: number;
  rated: number;
  ratings: number;
  median_resolve_ms: number | null;
  p90_resolve_ms: number | null;
  average_rating: number | null;
  share_rated: number | null;
}

export interface TQuestion {
  id: number;
  text: string;
  state: string;
  category: string | null;
  asker: { display_name?: string; compound?: string; building?: string };
  votes: number;
  created_ms: number;
  ticket_ids: number[];
  follow_ups?: TQuestion[];
}

export interface Transcript {
  forum: ForumSummary;
  panel: PanelMember[];
  agenda: AgendaItem[];
  questions: TQuestion[];
  comments: { id: number; at_ms: number }[];
  figures: { forum: Figures; by_compound: Figures[] };
}

/** GET /api/v1/forums/<id>/figures (follow-through); the same figures as the transcript's. */
export function figures(id: string): Promise<{ forum: Figures; by_compound: Figures[] }> {
  return orgJson<{ figures: { forum: Figures; by_compound: Figures[] } }>('GET', `/api/v1/forums/${enc(id)}/figures`).then((r) => r.figures);
}

export interface ForumFigures {
  forum_id: string;
  title: string;
  state: ForumState;
  figures: Figures;
}

/** GET /api/v1/figures?by=forum: every non-draft forum's figures and the total. */
export function allFigures(): Promise<{ total: Figures; by_forum: ForumFigures[] }> {
  return orgJson<{ figures: { forum: Figures }; by_forum?: ForumFigures[] }>('GET', '/api/v1/figures?by=forum').then((r) => ({
    total: r.figures.forum,
    by_forum: r.by_forum ?? [],
  }));
}

export function transcript(id: string): Promise<Transcript> {
  return orgJson<Transcript>('GET', transcriptUrl(id, 'json', 'zh-CN'));
}

// ---- tickets ---------------------------------------------------------------

export const TICKET_STATES = ['open', 'assigned', 'in_progress', 'resolved', 'closed', 'reopened'] as const;
export type TicketState = (typeof TICKET_STATES)[number];
export const CATEGORIES = ['problem', 'need', 'service'] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Assignee {
  kind: 'department' | 'worker';
  name: string;
}

export interface TicketHistory {
  action: string;
  from: string | null;
  to: string | null;
  actor: string;
  at_ms: number;
  note: string;
  public: boolean;
}

export interface Ticket {
  id: number;
  forum_id: string;
  question_id: number | null;
  title: string;
  description: string;
  category: Category;
  location: { compound: string; building: string };
  assignees: Assignee[];
  due_ms: number | null;
  state: TicketState;
  overdue: boolean;
  created_by: string;
  created_ms: number;
  history: TicketHistory[];
}

export interface TicketFilter {
  forum?: string;
  category?: string;
  compound?: string;
  assignee?: string;
  status?: string;
  overdue?: boolean;
}

export function listTickets(f: TicketFilter): Promise<Ticket[]> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    if (v === true) q.set(k, '1');
    else if (typeof v === 'string' && v) q.set(k, v);
  }
  const qs = q.toString();
  return orgJson<{ tickets: Ticket[] }>('GET', `/api/v1/tickets${qs ? `?${qs}` : ''}`).then((r) => r.tickets);
}

export function getTicket(id: number): Promise<Ticket> {
  return orgJson<{ ticket: Ticket }>('GET', `/api/v1/tickets/${id}`).then((r) => r.ticket);
}

export interface NewTicket {
  question_id: number;
  title?: string;
  category?: Category;
  assignees?: Assignee[];
  due_ms?: number;
  note?: string;
}

export function createTicket(t: NewTicket): Promise<Ticket> {
  return orgJson<{ ticket: Ticket }>('POST', '/api/v1/tickets', t).then((r) => r.ticket);
}

export function transitionTicket(id: number, to: TicketState, note: string, isPublic: boolean): Promise<Ticket> {
  return orgJson<{ ticket: Ticket }>('POST', `/api/v1/tickets/${id}/transition`, { to, note, public: isPublic }).then((r) => r.ticket);
}

export function assignTicket(id: number, assignees: Assignee[], note: string): Promise<Ticket> {
  return orgJson<{ ticket: Ticket }>('POST', `/api/v1/tickets/${id}/assign`, { assignees, note, public: false }).then((r) => r.ticket);
}

export function noteTicket(id: number, note: string, isPublic: boolean): Promise<Ticket> {
  return orgJson<{ ticket: Ticket }>('POST', `/api/v1/tickets/${id}/note`, { note, public: isPublic }).then((r) => r.ticket);
}

// ---- webhooks --------------------------------------------------------------

export const WEBHOOK_EVENTS = [
  'ticket.created', 'ticket.assigned', 'ticket.in_progress', 'ticket.resolved',
  'ticket.closed', 'ticket.reopened', 'ticket.note', 'ticket.rated',
] as const;

export interface Webhook {
  id: number;
  forum_id: string;
  url: string;
  events: string[];
  active: boolean;
  created_by: string;
  created_ms: number;
  /** Only in the answer to the registration. */
  secret?: string;
}

export function listWebhooks(): Promise<Webhook[]> {
  return orgJson<{ webhooks: Webhook[] }>('GET', '/api/v1/webhooks').then((r) => r.webhooks);
}

export function addWebhook(w: { url: string; forum_id: string; events: string[] }): Promise<Webhook> {
  return orgJson<{ webhook: Webhook }>('POST', '/api/v1/webhooks', w).then((r) => r.webhook);
}

export function setWebhookActive(id: number, active: boolean): Promise<unknown> {
  return orgJson<unknown>('POST', `/api/v1/webhooks/${id}/${active ? 'enable' : 'disable'}`, {});
}
