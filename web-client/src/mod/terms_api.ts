// HTTP calls of the console's blocked-term editor: GET/POST/DELETE on
// /api/v1/forums/<id>/terms and /api/v1/terms (docs/http-api.md "Blocked terms"),
// authenticated with the tab's staff token (Bearer, so no CSRF rule applies).
export type TermAction = 'hold' | 'mask' | 'reject' | 'timeout';
export const TERM_ACTIONS: readonly TermAction[] = ['hold', 'mask', 'reject', 'timeout'];

export interface BlockedTerm {
  term: string;
  action: TermAction;
  timeout_ms?: number;
}

export interface TermList {
  scope: string;
  terms: BlockedTerm[];
  count: number;
  changed?: boolean;
}

export class TermsError extends Error {
  constructor(readonly code: string, message: string, readonly status: number) {
    super(message);
    this.name = 'TermsError';
  }
}

/** '' = the global list. */
export function termsPath(forumId: string): string {
  return forumId ? `/api/v1/forums/${encodeURIComponent(forumId)}/terms` : '/api/v1/terms';
}

async function call(token: string, method: string, path: string, body?: unknown): Promise<TermList> {
  const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new TermsError('network', e instanceof Error ? e.message : String(e), 0);
  }
  const data = (await res.json().catch(() => null)) as (TermList & { error?: { code?: string; message?: string } }) | null;
  if (!res.ok || !data) throw new TermsError(data?.error?.code ?? 'unknown', data?.error?.message ?? `HTTP ${res.status}`, res.status);
  return data;
}

export function listTerms(token: string, forumId: string): Promise<TermList> {
  return call(token, 'GET', termsPath(forumId));
}

export function addTerm(token: string, forumId: string, t: BlockedTerm): Promise<TermList> {
  return call(token, 'POST', termsPath(forumId), { terms: [t] });
}

export function removeTerm(token: string, forumId: string, term: string): Promise<TermList> {
  return call(token, 'DELETE', `${termsPath(forumId)}?term=${encodeURIComponent(term)}`);
}
