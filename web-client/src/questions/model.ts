// Questions as the pages hold them: a map by id kept from the `questions` reply and the
// `question` / `question_removed` / `votes` events (docs/moderation.md "Protocol").
// Every event carries the whole record, so applying one twice changes nothing; a record
// older than the one held (updated_ms) is ignored. Sorting and the status text are here so
// that the resident page, the console, the presenter and the overlay agree.
// What it leaves to others: the connection (src/chat/client.ts) and all rendering.
import { hasMessage, t, type MessageKey } from '../i18n';
import type { ChatEvent } from '../chat/client';

export type QuestionState = 'pending' | 'approved' | 'rejected' | 'merged' | 'on_air' | 'answered';

export interface Answer {
  summary: string;
  panelist?: string;
  wall_ms?: number;
}

export interface Question {
  id: number;
  parent_id?: number | null;
  source?: string;
  display_name?: string;
  compound?: string;
  building?: string;
  text: string;
  original_text?: string;
  category?: string;
  tags?: string[];
  state: QuestionState;
  votes?: number;
  merged_into?: number | null;
  reject_reason?: string;
  reject_text?: string;
  answers?: Answer[];
  created_ms?: number;
  updated_ms?: number;
  flags?: string[];
  matches?: { term: string; action?: string }[];
  [field: string]: unknown;
}

export const CATEGORIES = ['problem', 'need', 'service'] as const;
export const PUBLIC_STATES: ReadonlySet<string> = new Set(['approved', 'on_air', 'answered']);

export class QuestionSet {
  readonly byId = new Map<number, Question>();
  onAir: number | null = null;
  /** Ids this device voted for (the server answers `voted`; kept per forum in localStorage). */
  voted: Set<number>;

  constructor(private readonly votedKey: string | null = null) {
    this.voted = new Set(votedKey ? readIds(votedKey) : []);
  }

  /** The `questions` reply: replaces everything. */
  load(reply: Record<string, unknown>): void {
    this.byId.clear();
    for (const q of (Array.isArray(reply.questions) ? reply.questions : []) as Question[]) {
      if (typeof q?.id === 'number') this.byId.set(q.id, q);
    }
    this.onAir = typeof reply.on_air === 'number' ? reply.on_air : null;
    this.fixOnAir();
  }

  /** One record (an op's reply or an event). */
  put(q: Question): void {
    const old = this.byId.get(q.id);
    if (old && typeof old.updated_ms === 'number' && typeof q.updated_ms === 'number' && q.updated_ms < old.updated_ms) return;
    this.byId.set(q.id, { ...old, ...q });
    this.fixOnAir();
  }

  /** Applies an event; true when it was about questions. */
  apply(ev: ChatEvent): boolean {
    if (ev.ev === 'question' && ev.question && typeof ev.question === 'object') {
      this.put(ev.question as Question);
      return true;
    }
    if (ev.ev === 'question_removed' && typeof ev.id === 'number') {
      const q = this.byId.get(ev.id);
      if (q) {
        q.state = (typeof ev.state === 'string' ? ev.state : 'pending') as QuestionState;
        if (typeof ev.merged_into === 'number') q.merged_into = ev.merged_into;
      }
      this.fixOnAir();
      return true;
    }
    if (ev.ev === 'votes' && typeof ev.id === 'number') {
      const q = this.byId.get(ev.id);
      if (q && typeof ev.votes === 'number') q.votes = ev.votes;
      return true;
    }
    return false;
  }

  setVoted(id: number, voted: boolean): void {
    if (voted) this.voted.add(id);
    else this.voted.delete(id);
    if (this.votedKey) writeIds(this.votedKey, [...this.voted]);
  }

  private fixOnAir(): void {
    this.onAir = null;
    for (const q of this.byId.values()) if (q.state === 'on_air' && !q.parent_id) this.onAir = q.id;
  }

  /** Top-level approved questions, most votes first, then oldest, then lowest id. */
  approved(): Question[] {
    return [...this.byId.values()]
      .filter((q) => !q.parent_id && q.state === 'approved')
      .sort((a, b) => (b.votes ?? 0) - (a.votes ?? 0) || (a.created_ms ?? 0) - (b.created_ms ?? 0) || a.id - b.id);
  }

  answered(): Question[] {
    return [...this.byId.values()].filter((q) => !q.parent_id && q.state === 'answered').sort((a, b) => (b.updated_ms ?? 0) - (a.updated_ms ?? 0));
  }

  pending(newestFirst: boolean): Question[] {
    const list = [...this.byId.values()].filter((q) => q.state === 'pending');
    return list.sort((a, b) => (newestFirst ? -1 : 1) * ((a.created_ms ?? 0) - (b.created_ms ?? 0) || a.id - b.id));
  }

  followUps(parent: number): Question[] {
    return [...this.byId.values()].filter((q) => q.parent_id === parent && PUBLIC_STATES.has(q.state)).sort((a, b) => a.id - b.id);
  }

  get(id: number | null | undefined): Question | undefined {
    return typeof id === 'number' ? this.byId.get(id) : undefined;
  }
}

export function lastAnswer(q: Question): Answer | undefined {
  return q.answers && q.answers.length ? q.answers[q.answers.length - 1] : undefined;
}

export function categoryName(c: string | undefined): string {
  return c && (CATEGORIES as readonly string[]).includes(c) ? t(`q.cat.${c}` as MessageKey) : '';
}

export function reasonName(r: string | undefined): string {
  if (!r) return '';
  const key = `q.reason.${r}`;
  return hasMessage(key) ? t(key) : r;
}

/** The asker's line: name · compound · building. */
export function askerLine(q: Question): string {
  return [q.display_name, q.compound, q.building].filter(Boolean).join(' · ');
}

/** "Pending", "Rejected: off topic", "Merged into #12", … */
export function statusText(q: Question): string {
  switch (q.state) {
    case 'rejected': {
      const why = [reasonName(q.reject_reason), q.reject_text].filter(Boolean).join(' — ');
      return why ? t('q.state.rejectedWhy', { reason: why }) : t('q.state.rejected');
    }
    case 'merged':
      return t('q.state.mergedInto', { id: q.merged_into ?? '?' });
    default:
      return t(`q.state.${q.state}` as MessageKey);
  }
}

function readIds(key: string): number[] {
  try {
    const v = JSON.parse(localStorage.getItem(key) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
  } catch {
    return [];
  }
}

function writeIds(key: string, ids: number[]): void {
  try {
    localStorage.setItem(key, JSON.stringify(ids.slice(-500)));
  } catch {
    // no storage: votes still count on the server
  }
}
