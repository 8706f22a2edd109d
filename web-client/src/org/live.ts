// /org/f/<id>/live: the organizer's live dashboard. Stream health (polled every 2 s)
// and viewers over time (sampled from it while the page is open); comments and
// questions per minute (last 30 minutes, from the transcript, refreshed every 30 s);
// the exports (transcript in json/csv/xlsx/md/html/vtt as downloads); and the
// accountability figures (per forum and per compound) with charts and a table; the
// most co-signed questions, each with a link that makes a ticket from it.
import { h, replace } from '../dom';
import { formatTime, locale } from '../i18n';
import { errorState, loadingState } from '../components/states';
import type { PageContext } from '../router';
import { ApiError, EXPORT_FORMATS, figures, getForum, transcript, transcriptUrl, type Figures, type Transcript } from './api';
import { barGroups, columnChart, lineChart, type Point } from './charts';
import { errText, forumHeader, minutes, orgFrame, section, tr, trx } from './common';
import { pollHealth } from './stream';

const ACTIVITY_REFRESH_MS = 30000;
const ACTIVITY_MINUTES = 30;
const MAX_VIEWER_POINTS = 720; // 24 min at one sample per 2 s
const TOP_QUESTIONS = 10;

function perMinute(times: number[], now: number): { labels: string[]; counts: number[] } {
  const end = Math.floor(now / 60000) * 60000;
  const start = end - (ACTIVITY_MINUTES - 1) * 60000;
  const counts = new Array<number>(ACTIVITY_MINUTES).fill(0);
  for (const t of times) {
    if (t < start || t >= end + 60000) continue;
    counts[Math.floor((t - start) / 60000)]! += 1;
  }
  const labels = counts.map((_, i) => formatTime(start + i * 60000));
  return { labels, counts };
}

function allQuestionTimes(tx: Transcript): number[] {
  const out: number[] = [];
  for (const q of tx.questions ?? []) {
    out.push(q.created_ms);
    for (const f of q.follow_ups ?? []) out.push(f.created_ms);
  }
  return out;
}

function activity(tx: Transcript, container: HTMLElement): HTMLElement {
  const now = Date.now();
  const c = perMinute((tx.comments ?? []).map((x) => x.at_ms), now);
  const q = perMinute(allQuestionTimes(tx), now);
  const sumC = c.counts.reduce((a, b) => a + b, 0);
  const sumQ = q.counts.reduce((a, b) => a + b, 0);
  return h('div', null,
    h('p.org-legend', null,
      h('span.org-key.org-key-c', { 'aria-hidden': 'true' }), tr('live.comments'), ' ',
      h('span.org-key.org-key-q', { 'aria-hidden': 'true' }), tr('live.questions'),
    ),
    columnChart(c.labels, [
      { name: tr('live.comments'), cls: 'org-bar-c', values: c.counts },
      { name: tr('live.questions'), cls: 'org-bar-q', values: q.counts },
    ], tr('live.activityLabel', { minutes: ACTIVITY_MINUTES, comments: sumC, questions: sumQ }), 'chart-activity', container),
    h('p.muted', { 'data-testid': 'activity-summary' }, tr('live.activityLabel', { minutes: ACTIVITY_MINUTES, comments: sumC, questions: sumQ }),
      ' ', tr('live.totals', { comments: (tx.comments ?? []).length, questions: (tx.questions ?? []).length })),
  );
}

function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? '–' : `${Math.round(v * 100)}%`;
}

function figuresView(fig: { forum: Figures; by_compound: Figures[] }, container: HTMLElement): HTMLElement {
  const f = fig.forum;
  const tiles: Array<[string, string, string]> = [
    ['asked', tr('fig.asked'), String(f.asked)],
    ['approved', tr('fig.approved'), String(f.approved)],
    ['answered_live', tr('fig.answeredLive'), String(f.answered_live)],
    ['ticketed', tr('fig.ticketed'), String(f.ticketed)],
    ['tickets', tr('fig.tickets'), String(f.tickets)],
    ['resolved', tr('fig.resolved'), String(f.resolved)],
    ['median', tr('fig.median'), minutes(f.median_resolve_ms)],
    ['p90', tr('fig.p90'), minutes(f.p90_resolve_ms)],
    ['rating', tr('fig.rating'), f.average_rating === null || f.average_rating === undefined ? '–' : f.average_rating.toFixed(1)],
    ['share_rated', tr('fig.shareRated'), pct(f.share_rated)],
  ];
  const rows = fig.by_compound ?? [];
  const names = rows.map((r) => r.compound || tr('fig.noCompound'));
  return h('div', { 'data-testid': 'figures' },
    h('ul.org-tiles', null, tiles.map(([k, label, v]) => h('li.org-tile', { 'data-figure': k }, h('span.org-tile-v', null, v), h('span.org-tile-k', null, label)))),
    rows.length
      ? [
          h('h3.org-h3', null, tr('fig.byCompound')),
          h('p.org-legend', null,
            h('span.org-key.org-key-q', { 'aria-hidden': 'true' }), tr('fig.asked'), ' ',
            h('span.org-key.org-key-a', { 'aria-hidden': 'true' }), tr('fig.answeredLive'), ' ',
            h('span.org-key.org-key-t', { 'aria-hidden': 'true' }), tr('fig.tickets'), ' ',
            h('span.org-key.org-key-r', { 'aria-hidden': 'true' }), tr('fig.resolved'),
          ),
          barGroups(names, [
            { name: tr('fig.asked'), cls: 'org-bar-q', values: rows.map((r) => r.asked) },
            { name: tr('fig.answeredLive'), cls: 'org-bar-a', values: rows.map((r) => r.answered_live) },
            { name: tr('fig.tickets'), cls: 'org-bar-t', values: rows.map((r) => r.tickets) },
            { name: tr('fig.resolved'), cls: 'org-bar-r', values: rows.map((r) => r.resolved) },
          ], tr('fig.chartLabel'), 'chart-figures', container),
          h('div.org-scroll', null,
            h('table.org-table.org-figtable', { 'data-testid': 'figures-table' },
              h('thead', null, h('tr', null,
                [tr('fig.compound'), tr('fig.asked'), tr('fig.approved'), tr('fig.answeredLive'), tr('fig.ticketed'), tr('fig.tickets'), tr('fig.resolved'), tr('fig.median'), tr('fig.rating'), tr('fig.shareRated')]
                  .map((x) => h('th', { scope: 'col' }, x)))),
              h('tbody', null, [f, ...rows].map((r, i) => h('tr', null,
                h('th', { scope: 'row' }, i === 0 ? tr('fig.all') : r.compound || tr('fig.noCompound')),
                h('td', null, String(r.asked)), h('td', null, String(r.approved)), h('td', null, String(r.answered_live)),
                h('td', null, String(r.ticketed)), h('td', null, String(r.tickets)), h('td', null, String(r.resolved)),
                h('td', null, minutes(r.median_resolve_ms)),
                h('td', null, r.average_rating === null || r.average_rating === undefined ? '–' : r.average_rating.toFixed(1)),
                h('td', null, pct(r.share_rated)),
              ))),
            ),
          ),
        ]
      : null,
  );
}

/** The most co-signed questions, each with a link that makes a ticket from it. */
function questionsView(id: string, tx: Transcript): HTMLElement {
  const qs = [...(tx.questions ?? [])].sort((a, b) => b.votes - a.votes || a.id - b.id).slice(0, TOP_QUESTIONS);
  if (qs.length === 0) return h('p.muted', null, tr('live.noQuestions'));
  const base = `/org/tickets?forum=${encodeURIComponent(id)}&new=1`;
  return h('ol.org-questions', { 'data-testid': 'top-questions' }, qs.map((q) =>
    h('li.org-question', { 'data-id': q.id },
      h('p.org-question-text', null, q.text),
      h('p.org-question-meta', null,
        [tr('live.votes', { n: q.votes }), trx(`qstate.${q.state}`), q.asker?.compound].filter(Boolean).join(' · '),
        ' ',
        q.ticket_ids?.length
          ? h('a.button.button-secondary.org-small', { href: `/org/tickets?forum=${encodeURIComponent(id)}` }, tr('live.hasTicket', { n: q.ticket_ids.length }))
          : h('a.button.button-secondary.org-small', { href: `${base}&question=${q.id}`, 'data-testid': 'make-ticket' }, tr('live.makeTicket')),
      ),
    )));
}

function exportsView(id: string): HTMLElement {
  const lang = locale();
  return h('div', null,
    h('p.muted', null, tr('export.help')),
    h('ul.org-exports', { 'data-testid': 'exports' }, EXPORT_FORMATS.map((f) =>
      h('li', null, h('a.button.button-secondary.org-export', { href: transcriptUrl(id, f, lang), download: '', 'data-format': f, 'data-testid': `export-${f}` },
        h('span.org-export-f', null, f.toUpperCase()), h('span.org-export-d', null, trx(`export.${f}`)))),
    )),
  );
}

export default function livePage({ root, params }: PageContext) {
  const id = params.id ?? '';
  return orgFrame(root, { title: tr('live.pageTitle'), section: 'forums', wide: true }, ({ body, alive }) => {
    const stops: Array<() => void> = [];
    function load(): void {
      replace(body, loadingState());
      getForum(id).then(
        (forum) => {
          if (!alive()) return;
          const health = h('div', null, loadingState());
          const viewers = h('div', { 'data-testid': 'viewers-chart' });
          const act = h('div', { 'data-testid': 'activity' }, loadingState());
          const figs = h('div', null, loadingState());
          const top = h('div', null, loadingState());
          const points: Point[] = [];
          const drawViewers = () =>
            replace(viewers, lineChart(points, tr('live.viewersLabel', { n: points.length ? points[points.length - 1]!.v : 0 }), formatTime, viewers),
              h('p.muted', null, tr('live.viewersNote')));
          drawViewers();
          replace(
            body,
            forumHeader(forum, 'live'),
            h('div.org-columns', null,
              section(tr('stream.health'), health),
              section(tr('live.viewers'), viewers),
            ),
            section(tr('live.activity'), act),
            section(tr('live.topQuestions'), top),
            section(tr('export.title'), exportsView(id)),
            section(tr('fig.title'), figs),
          );
          stops.push(pollHealth(id, health, (hl) => {
            points.push({ t: Date.now(), v: hl.viewers ?? 0 });
            if (points.length > MAX_VIEWER_POINTS) points.shift();
            drawViewers();
          }));
          let timer: ReturnType<typeof setTimeout> | undefined;
          let stopped = false;
          const refresh = () => {
            transcript(id).then(
              (tx) => {
                if (stopped) return;
                replace(act, activity(tx, act));
                replace(top, questionsView(id, tx));
                // The figures route when the server has it, else the transcript's (the same numbers).
                figures(id).then(
                  (fig) => !stopped && replace(figs, figuresView(fig, figs)),
                  (err: unknown) => {
                    if (stopped) return;
                    if (err instanceof ApiError && err.status === 404 && tx.figures) replace(figs, figuresView(tx.figures, figs));
                    else replace(figs, h('p.notice.notice-error', { role: 'alert' }, errText(err)));
                  },
                );
              },
              (err: unknown) => {
                if (stopped) return;
                replace(act, h('p.notice.notice-error', { role: 'alert' }, errText(err)));
                replace(top, h('p.notice.notice-error', { role: 'alert' }, errText(err)));
                replace(figs, h('p.notice.notice-error', { role: 'alert' }, errText(err)));
              },
            ).finally(() => {
              if (!stopped) timer = setTimeout(refresh, ACTIVITY_REFRESH_MS);
            });
          };
          refresh();
          stops.push(() => {
            stopped = true;
            clearTimeout(timer);
          });
        },
        (err: unknown) => alive() && replace(body, errorState(err, load)),
      );
    }
    load();
    return () => stops.forEach((s) => s());
  });
}
