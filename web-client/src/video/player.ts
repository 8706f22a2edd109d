// The forum's video in the resident page's video slot (data-slot="video") and on
// the replay page (/f/<id>/replay): HLS from forumcast (/hls/<id>/index.m3u8 live,
// /rec/<id>/index.m3u8 replay). hls.js (its light build: no subtitles, DRM or
// alternate audio; its own lazily loaded chunk, so the resident page's JS stays
// small) wherever Media Source Extensions exist, native HLS only without them.
// States, shown in the slot and as data-state for tests: waiting ("not live yet /
// starts at …", polling the playlist every few seconds), live, replay, ended (no
// recording). A stalled or failed stream goes back to waiting by itself; whether
// there is anything to play comes from /api/v1/stream/<id>/status (no 404s to log).
// What it leaves to others: the page around it (src/pages/forum.ts), the stream.
import { h, replace } from '../dom';
import { formatDateTime, t } from '../i18n';
import type { Forum } from '../api';

const POLL_MS = 3000;

type VideoState = 'waiting' | 'live' | 'replay' | 'ended';
interface HlsLike {
  readonly playingDate: Date | null;
  loadSource(url: string): void;
  attachMedia(v: HTMLMediaElement): void;
  on(ev: string, fn: (ev: string, data: { fatal?: boolean }) => void): void;
  destroy(): void;
}

// The server's public stream status (an API answer, so "not live" is a 200, not a
// 404 the browser would log).
async function available(forumId: string, replay: boolean): Promise<boolean> {
  try {
    const r = await fetch(`/api/v1/stream/${encodeURIComponent(forumId)}/status`, { cache: 'no-store' });
    if (!r.ok) return false;
    const s = (await r.json()) as { live?: boolean; recording?: boolean };
    return replay ? s.recording === true : s.live === true;
  } catch {
    return false;
  }
}

/** Mounts the player into `slot` (its children are replaced); returns its cleanup. */
export function mountPlayer(slot: HTMLElement, forum: Forum, mode: 'live' | 'replay' = 'live'): () => void {
  const over = forum.state === 'ended' || forum.state === 'archived';
  const replay = mode === 'replay' || over;
  const url = replay ? `/rec/${encodeURIComponent(forum.id)}/index.m3u8` : `/hls/${encodeURIComponent(forum.id)}/index.m3u8`;
  const video = h('video.video-player', {
    controls: '',
    playsinline: '',
    muted: '',
    preload: 'auto',
    'data-testid': 'video',
    'aria-label': t('video.label'),
  }) as HTMLVideoElement;
  video.muted = true; // autoplay is allowed muted; the viewer unmutes
  Object.assign(video.style, { display: 'block', width: '100%', aspectRatio: '16 / 9', background: '#000' });
  const status = h('p.video-status', { role: 'status', 'data-testid': 'video-state' });
  const links = h('p.video-links');
  let hls: HlsLike | null = null;
  let timer: number | undefined;
  let alive = true;

  const show = (state: VideoState) => {
    slot.dataset.state = state;
    status.dataset.state = state;
    if (state === 'waiting') {
      replace(slot, h('div.video-placeholder', null, h('span.video-icon', { 'aria-hidden': 'true' }, '▶'),
        h('span', null, forum.starts_at && !over ? t('video.startsAt', { time: formatDateTime(forum.starts_at) }) : t('video.notLive'))),
        status);
      status.textContent = t('video.waiting');
    } else if (state === 'ended') {
      replace(slot, h('div.video-placeholder', null, h('span', null, t('video.over'))), status);
      status.textContent = t('video.ended');
    } else {
      replace(slot, video, status, links);
      status.textContent = state === 'live' ? t('video.live') : t('video.replay');
      if (state === 'replay') {
        replace(links, h('a', { href: `/rec/${encodeURIComponent(forum.id)}/download.mp4`, download: '', 'data-testid': 'video-download' }, t('video.download')));
      } else {
        replace(links);
      }
    }
  };

  const stop = () => {
    hls?.destroy();
    hls = null;
    video.removeAttribute('src');
  };

  const attach = async () => {
    // hls.js wherever Media Source Extensions exist; native HLS only without them
    // (iOS Safari before 17.1). Recent Chromium also answers "maybe" for native HLS
    // but its player fails on MPEG-TS segments (DEMUXER_ERROR_COULD_NOT_PARSE,
    // Chromium 156), so canPlayType alone must not decide.
    const mse = 'MediaSource' in window || 'ManagedMediaSource' in window;
    const native = video.canPlayType('application/vnd.apple.mpegurl') !== '';
    if (!mse && native) {
      video.src = url;
    } else {
      const { default: Hls } = await import('hls.js/light');
      if (!alive) return;
      if (!Hls.isSupported()) {
        if (native) video.src = url;
        else status.textContent = t('video.unsupported');
        return;
      }
      const player = new Hls({ liveSyncDurationCount: 2, lowLatencyMode: false }) as unknown as HlsLike;
      hls = player;
      player.on(Hls.Events.ERROR, (_ev, data) => {
        if (data.fatal && alive) {
          stop();
          show('waiting');
          schedule();
        }
      });
      player.loadSource(url);
      player.attachMedia(video);
      // The wall time of the frame on screen (EXT-X-PROGRAM-DATE-TIME + offset), as
      // data-playing-date (ms): stream_ms = it − the stream's start; the glass-to-glass
      // bench reads it (bench/stream/glass_to_glass.mjs).
      video.addEventListener('timeupdate', () => {
        const d = hls === player ? player.playingDate : null;
        if (d) video.dataset.playingDate = String(d.getTime());
      });
    }
    video.play().catch(() => undefined); // autoplay may be refused: the controls remain
  };

  const probe = async () => {
    timer = undefined;
    if (!alive) return;
    if (await available(forum.id, replay)) {
      if (!alive) return;
      show(replay ? 'replay' : 'live');
      await attach();
      return;
    }
    if (!alive) return;
    if (replay) show(over ? 'ended' : 'waiting');
    if (!over) schedule();
  };
  const schedule = () => {
    if (timer === undefined && alive) timer = window.setTimeout(probe, POLL_MS);
  };

  video.addEventListener('ended', () => {
    if (!replay && alive) {
      stop();
      show('waiting');
      schedule();
    }
  });
  show('waiting');
  void probe();
  return () => {
    alive = false;
    if (timer !== undefined) window.clearTimeout(timer);
    stop();
  };
}
