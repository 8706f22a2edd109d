// Stream health panel for staff pages (moderator console, organizer pages): shows
// what the server pushes every 2 s as the `stream_health` WebSocket event to the
// forum's moderators and organizers (docs/protocol.md): state, publisher address,
// codecs, resolution, frame rate, bitrate, keyframe interval, bytes in, uptime,
// reconnects and the HLS viewer estimate. At mount it reads the current health once
// from GET /api/v1/stream/<id>/health; after that the host page feeds the events of
// its own chat connection to update(). A report older than three intervals shows as
// stale. Strings: src/i18n/stream/*.json. No styles of its own beyond data-state /
// data-warn attributes the host page may style (.stream-health, dl/dt/dd).
//
//   const health = mountStreamHealth(el, forumId);        // cookie session
//   chat handlers: event/side event (ev) => health.update(ev);
//   on leave: health.destroy();
import { h, replace } from '../dom';
import { areaCatalogue } from '../i18n';
import en from '../i18n/stream/en.json';
import zh from '../i18n/stream/zh-CN.json';

const tr = areaCatalogue(zh, en);

/** The `health` object of the stream_health event and of GET /api/v1/stream/<id>/health. */
export interface StreamHealth {
  state: 'idle' | 'starting' | 'live' | string;
  remote: string;
  video_codec: string;
  audio_codec: string;
  width: number;
  height: number;
  fps: number;
  bitrate_bps: number;
  keyframe_interval_s: number;
  bytes_in: number;
  uptime_ms: number;
  reconnects: number;
  stream_ms: number;
  first_playlist_ms: number;
  segments: number;
  viewers: number;
}

export interface StreamHealthOptions {
  /** Bearer token (else the session cookie is used). */
  token?: string;
  /** A live report older than this shows as stale (default 6000 = 3 × 2 s). */
  staleAfterMs?: number;
}

export interface StreamHealthView {
  /** Feed any chat event; only {ev:"stream_health", forum:<this forum>} is used. */
  update(ev: unknown): void;
  /** The last health shown (null before the first). */
  current(): StreamHealth | null;
  /** Stops the stale timer and empties the element. */
  destroy(): void;
}

function kbps(bps: number): string {
  return bps >= 1_000_000 ? `${(bps / 1_000_000).toFixed(2)} Mbps` : `${Math.round(bps / 1000)} kbps`;
}

function bytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  return `${Math.round(n / 1024)} KiB`;
}

function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  return `${hh}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
}

function isHealthEvent(ev: unknown, forumId: string): ev is { health: StreamHealth } {
  if (!ev || typeof ev !== 'object') return false;
  const e = ev as Record<string, unknown>;
  return e.ev === 'stream_health' && e.forum === forumId && !!e.health && typeof e.health === 'object';
}

/** Mounts the panel into `el` (its children are replaced). */
export function mountStreamHealth(el: HTMLElement, forumId: string, opts: StreamHealthOptions = {}): StreamHealthView {
  const staleAfter = opts.staleAfterMs ?? 6000;
  let last: StreamHealth | null = null;
  let lastAt = 0;
  let alive = true;
  el.classList.add('stream-health');
  el.dataset.testid = 'stream-health';

  const row = (key: string, label: string, value: string, warn?: string) =>
    [h('dt', null, label), h('dd', { 'data-field': key, 'data-warn': warn ? 'true' : null, title: warn ?? null }, value, warn ? h('small', null, ` (${warn})`) : null)];

  const render = () => {
    if (!alive) return;
    const hl = last;
    const stale = !!hl && hl.state !== 'idle' && Date.now() - lastAt > staleAfter;
    const state = !hl ? 'idle' : stale ? 'stale' : hl.state;
    el.dataset.state = state;
    const stateKey = (['idle', 'starting', 'live', 'stale'].includes(state) ? state : 'idle') as 'idle' | 'starting' | 'live' | 'stale';
    const none = tr('streamx.health.none');
    const rows: HTMLElement[] = [];
    if (hl && hl.state !== 'idle') {
      const video = hl.video_codec ? `${hl.video_codec} ${hl.width}×${hl.height} @ ${hl.fps.toFixed(1)} fps` : none;
      const gop = hl.keyframe_interval_s > 0 ? tr('streamx.health.seconds', { n: hl.keyframe_interval_s.toFixed(1) }) : none;
      rows.push(
        ...row('remote', tr('streamx.health.publisher'), hl.remote || none),
        ...row('video', tr('streamx.health.video'), video),
        ...row('audio', tr('streamx.health.audio'), hl.audio_codec || none),
        ...row('bitrate', tr('streamx.health.bitrate'), kbps(hl.bitrate_bps)),
        ...row('keyframe', tr('streamx.health.keyframe'), gop, hl.keyframe_interval_s > 2.05 ? tr('streamx.health.keyframeWarn') : undefined),
        ...row('bytes_in', tr('streamx.health.bytesIn'), bytes(hl.bytes_in)),
        ...row('uptime', tr('streamx.health.uptime'), duration(hl.uptime_ms)),
        ...row('reconnects', tr('streamx.health.reconnects'), String(hl.reconnects)),
      );
    }
    if (hl) rows.push(...row('viewers', tr('streamx.health.viewers'), String(hl.viewers)));
    replace(
      el,
      h('h3.stream-health-title', null, tr('streamx.health.title'), ' ',
        h('span.stream-health-state', { 'data-testid': 'stream-health-state', 'data-state': state, role: 'status' }, tr(`streamx.health.state.${stateKey}`))),
      h('dl.stream-health-fields', null, rows),
    );
  };

  const show = (hl: StreamHealth) => {
    last = hl;
    lastAt = Date.now();
    render();
  };

  const timer = window.setInterval(render, Math.max(1000, Math.floor(staleAfter / 2)));
  render();

  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  fetch(`/api/v1/stream/${encodeURIComponent(forumId)}/health`, { credentials: 'same-origin', headers, cache: 'no-store' })
    .then(async (r) => {
      if (!alive) return;
      if (!r.ok) throw new Error(String(r.status));
      const hl = (await r.json()) as StreamHealth;
      if (alive && !last) show(hl); // a pushed event may have come first: it is newer
    })
    .catch(() => {
      if (alive && !last) el.append(h('p.stream-health-error', { role: 'alert' }, tr('streamx.health.loadFailed')));
    });

  return {
    update(ev: unknown) {
      if (alive && isHealthEvent(ev, forumId)) show(ev.health);
    },
    current: () => last,
    destroy() {
      alive = false;
      window.clearInterval(timer);
      replace(el);
    },
  };
}
