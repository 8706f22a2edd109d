// Replay chapters (章节) under the resident page's video once the forum is over: one
// per answered question, in the order they went on air, each a button "12:34 #7 text"
// that jumps the recording to where the question went on air (its first on-air range's
// stream_ms, else its answer's). Built from the question records the page already
// holds (the `questions` reply over /ws: docs/moderation.md), so it needs no route of
// its own. Seeking is the caller's: `seek(seconds)` returns false when no recording
// is playing yet, and the list then says so.
// What it leaves to others: the player (src/video/player.ts), the records
// (src/questions/model.ts).
import { h, replace } from '../dom';
import { t } from '../i18n';
import { lastAnswer, type Question, type QuestionSet } from '../questions/model';

export interface Chapter {
  id: number;
  ms: number | null;
  text: string;
  panelist?: string;
}

function startMs(q: Question): number | null {
  const ranges = Array.isArray(q.on_air) ? (q.on_air as { start_stream_ms?: number | null }[]) : [];
  for (const r of ranges) if (typeof r?.start_stream_ms === 'number') return r.start_stream_ms;
  const a = lastAnswer(q) as { stream_ms?: number | null } | undefined;
  return typeof a?.stream_ms === 'number' ? a.stream_ms : null;
}

/** Answered top-level questions as chapters: timed ones by time, then untimed by id. */
export function chaptersOf(set: QuestionSet): Chapter[] {
  return set.answered().map((q) => ({ id: q.id, ms: startMs(q), text: q.text, panelist: lastAnswer(q)?.panelist }))
    .sort((a, b) => (a.ms ?? Infinity) - (b.ms ?? Infinity) || a.id - b.id);
}

/** "1:02:03" / "12:34". */
export function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

export function chapterList(seek: (seconds: number) => boolean): { el: HTMLElement; update(set: QuestionSet): void } {
  const list = h('ol.chapters', { 'data-testid': 'chapters' });
  const status = h('p.muted.chapters-status', { role: 'status', 'data-testid': 'chapters-status' });
  const el = h('section.chapters-section.card', { 'aria-labelledby': 'chapters-title', 'data-testid': 'chapters-section' },
    h('h2.section-title', { id: 'chapters-title' }, t('replay.chapters')),
    h('p.muted', null, t('replay.chaptersIntro')), list, status);
  let last = '';
  return {
    el,
    update(set) {
      const chapters = chaptersOf(set);
      const key = JSON.stringify(chapters);
      if (key === last) return;
      last = key;
      replace(list, chapters.length ? chapters.map((c) => h('li', null, c.ms === null
        ? h('p.chapter.chapter-untimed', { 'data-testid': 'chapter', 'data-id': c.id },
          h('span.chapter-time', null, t('replay.noTime')), h('span.chapter-text', null, `#${c.id} `, c.text))
        : h('button.chapter', {
          type: 'button', 'data-testid': 'chapter', 'data-id': c.id, 'data-ms': c.ms,
          'aria-label': t('replay.jumpTo', { time: clock(c.ms), text: c.text }),
          onclick: () => replace(status, seek(c.ms! / 1000) ? t('replay.jumped', { time: clock(c.ms!) }) : t('replay.notReady')),
        }, h('span.chapter-time', null, clock(c.ms)), h('span.chapter-text', null, `#${c.id} `, c.text),
        c.panelist ? h('span.chapter-by', null, t('q.answerBy', { name: c.panelist })) : null)))
        : h('li.muted', { 'data-testid': 'chapters-empty' }, t('replay.noChapters')));
    },
  };
}
