// /org/f/<id>/stream: what the studio needs to stream into a forum. The RTMP server URL
// (rtmp://HOST:1935/live, port from the key route) and the SRT URL (the forum's own
// port, from the key route too), the stream key hidden until "show"
// (GET /api/v1/forums/<id>/stream-key), copy buttons, "rotate key"
// with a confirmation (POST /api/v1/stream/<id>/rotate-key), recommended OBS settings
// (docs/obs.md) and the stream's health (the stream team's panel, polled every 2 s).
import { h, replace } from '../dom';
import { errorState, loadingState } from '../components/states';
import type { PageContext } from '../router';
import { getForum, recording, rotateKey, streamHealth, streamKey, type StreamHealth } from './api';
import { mountStreamHealth } from '../staff/stream_health';
import { copyText, errText, forumHeader, notice, orgFrame, section, tr } from './common';

const HEALTH_POLL_MS = 2000;

/** rtmp://host:port/live from the key route's full publish URL (or this page's host). */
function rtmpServer(rtmpUrl: string | undefined): { server: string; host: string } {
  const m = rtmpUrl ? /^rtmp:\/\/([^/]+)\/live\b/.exec(rtmpUrl) : null;
  const hostPort = m?.[1] ?? `${location.hostname}:1935`;
  return { server: `rtmp://${hostPort}/live`, host: hostPort.replace(/:\d+$/, '') };
}

function copyRow(label: string, value: string, testid: string, secret = false): HTMLElement {
  const id = `copy-${testid}`;
  const input = h('input.input.org-mono', { id, readonly: true, value, type: secret ? 'password' : 'text', 'data-testid': testid, spellcheck: 'false' }) as HTMLInputElement;
  const msg = h('span.org-copied', { role: 'status', 'aria-live': 'polite' });
  const copy = h('button.button.button-secondary.org-small', {
    type: 'button',
    'data-testid': `${testid}-copy`,
    'aria-label': tr('stream.copyWhat', { what: label }),
    onclick: () => {
      void copyText(input.value).then((ok) => {
        if (!ok) {
          input.type = 'text';
          input.select();
        }
        replace(msg, ok ? tr('stream.copied') : tr('stream.copyManually'));
      });
    },
  }, tr('stream.copy'));
  return h('div.field.org-copy', null, h('label.label', { for: id }, label), h('div.org-row.org-nowrap', null, input, copy), msg);
}

function keyCard(forumId: string): HTMLElement {
  const wrap = h('div', { 'data-testid': 'stream-key-card' });
  const msg = notice();
  let key: string | null = null;
  let srtUrl: string | null = null;
  let server = rtmpServer(undefined);
  function drawHidden(): void {
    replace(
      wrap,
      copyRow(tr('stream.rtmpServer'), server.server, 'rtmp-server'),
      h('div.field', null,
        h('p.label', null, tr('stream.key')),
        h('p.org-secret', { 'data-testid': 'stream-key-hidden' }, '••••••••••••'),
        h('button.button.button-primary', {
          type: 'button',
          'data-testid': 'stream-key-show',
          onclick: () => {
            streamKey(forumId).then(
              (r) => {
                key = r.stream_key;
                srtUrl = r.srt_url;
                server = rtmpServer(r.rtmp_url);
                drawShown();
              },
              (err: unknown) => msg.fail(err),
            );
          },
        }, tr('stream.show')),
        h('p.field-hint', null, tr('stream.srtHidden')),
      ),
      msg.el,
    );
  }
  function drawShown(): void {
    const k = key ?? '';
    replace(
      wrap,
      copyRow(tr('stream.rtmpServer'), server.server, 'rtmp-server'),
      copyRow(tr('stream.key'), k, 'stream-key'),
      ...(srtUrl
        ? [copyRow(tr('stream.srtUrl'), srtUrl, 'srt-url'), h('p.field-hint', null, tr('stream.srtNote'))]
        : [h('p.field-hint', { 'data-testid': 'srt-off' }, tr('stream.srtOff'))]),
      h('div.org-row', null,
        h('button.button.button-secondary', { type: 'button', 'data-testid': 'stream-key-hide', onclick: () => { key = null; drawHidden(); } }, tr('stream.hide')),
        h('button.button.button-secondary.org-danger', { type: 'button', 'data-testid': 'rotate-key', onclick: askRotate }, tr('stream.rotate')),
      ),
      msg.el,
    );
  }
  function askRotate(): void {
    const yes = h('button.button.button-primary.org-danger-fill', { type: 'button', 'data-testid': 'rotate-confirm' }, tr('stream.rotateYes')) as HTMLButtonElement;
    yes.addEventListener('click', () => {
      yes.disabled = true;
      rotateKey(forumId).then(
        (r) => {
          key = r.stream_key;
          if (srtUrl) srtUrl = srtUrl.replace(/passphrase=[^&]*/, `passphrase=${r.stream_key}`);
          drawShown();
          msg.ok(tr('stream.rotated'));
        },
        (err: unknown) => {
          drawShown();
          msg.fail(err);
        },
      );
    });
    replace(
      wrap,
      h('div.org-confirm', { role: 'alertdialog', 'aria-labelledby': 'rotate-q', 'data-testid': 'rotate-confirm-box', onkeydown: (ev: Event) => (ev as KeyboardEvent).key === 'Escape' && drawShown() },
        h('p', { id: 'rotate-q' }, tr('stream.rotateQuestion')),
        h('p.muted', null, tr('stream.rotateExplain')),
        h('div.org-row', null, yes, h('button.button.button-secondary', { type: 'button', onclick: drawShown }, tr('common.cancel'))),
      ),
    );
    yes.focus();
  }
  drawHidden();
  return wrap;
}

function obsCard(): HTMLElement {
  const rows: Array<[string, string]> = [
    [tr('obs.service'), tr('obs.serviceValue')],
    [tr('obs.encoder'), tr('obs.encoderValue')],
    [tr('obs.rate'), 'CBR'],
    [tr('obs.bitrate'), tr('obs.bitrateValue')],
    [tr('obs.keyframe'), tr('obs.keyframeValue')],
    [tr('obs.preset'), 'veryfast'],
    [tr('obs.profile'), 'main / high'],
    [tr('obs.audio'), 'AAC 128 kbps, 48 kHz'],
    [tr('obs.video'), tr('obs.videoValue')],
  ];
  return h('div', null,
    h('table.org-table', { 'data-testid': 'obs-settings' },
      h('caption.sr-only', null, tr('obs.title')),
      h('tbody', null, rows.map(([k, v]) => h('tr', null, h('th', { scope: 'row' }, k), h('td', null, v)))),
    ),
    h('p.field-hint', null, tr('obs.keyframeWhy')),
  );
}

/**
 * The stream team's health panel (src/staff/stream_health.ts) in `el`, fed by polling
 * GET /api/v1/stream/<id>/health every 2 s (these pages keep no WebSocket); a failed
 * poll shows its error under the panel. Returns the stop function.
 */
export function pollHealth(forumId: string, el: HTMLElement, onSample?: (hl: StreamHealth) => void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const panel = h('div.org-health-panel');
  const err = h('div', { 'aria-live': 'polite' });
  replace(el, panel, err);
  const view = mountStreamHealth(panel, forumId);
  const tick = () => {
    streamHealth(forumId).then(
      (hl) => {
        if (stopped) return;
        replace(err);
        view.update({ ev: 'stream_health', forum: forumId, health: hl });
        onSample?.(hl);
      },
      (e: unknown) => !stopped && replace(err, h('p.notice.notice-error', { role: 'alert' }, errText(e))),
    ).finally(() => {
      if (!stopped) timer = setTimeout(tick, HEALTH_POLL_MS);
    });
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
    view.destroy();
  };
}

/** The recording so far: length, size, and the MP4 download once there is one. */
function recordingCard(forumId: string, el: HTMLElement): void {
  recording(forumId).then(
    (r) => {
      if (r.segments === 0) {
        replace(el, h('p.muted', { 'data-testid': 'recording' }, tr('rec.none')));
        return;
      }
      const mins = Math.floor(r.duration_s / 60);
      replace(el,
        h('p', { 'data-testid': 'recording' }, tr('rec.summary', { minutes: mins, seconds: Math.round(r.duration_s % 60), mb: (r.bytes / 1048576).toFixed(1), sessions: r.sessions })),
        h('a.button.button-secondary', { href: r.download, download: '', 'data-testid': 'recording-download' }, tr('rec.download')),
        h('p.field-hint', null, tr(r.ended ? 'rec.ended' : 'rec.growing')),
      );
    },
    (err: unknown) => replace(el, h('p.notice.notice-error', { role: 'alert' }, errText(err))),
  );
}

export default function streamPage({ root, params }: PageContext) {
  const id = params.id ?? '';
  return orgFrame(root, { title: tr('stream.pageTitle'), section: 'forums', wide: true }, ({ body, alive }) => {
    let stop: (() => void) | null = null;
    function load(): void {
      replace(body, loadingState());
      getForum(id).then(
        (forum) => {
          if (!alive()) return;
          const health = h('div', { 'aria-live': 'off' }, loadingState());
          const rec = h('div', null, loadingState());
          replace(
            body,
            forumHeader(forum, 'stream'),
            h('div.org-columns', null,
              section(tr('stream.connection'), h('p.muted', null, tr('stream.intro')), keyCard(id)),
              section(tr('stream.health'), health),
            ),
            section(tr('obs.title'), obsCard()),
            section(tr('rec.title'), rec),
          );
          recordingCard(id, rec);
          stop = pollHealth(id, health);
        },
        (err: unknown) => alive() && replace(body, errorState(err, load)),
      );
    }
    load();
    return () => stop?.();
  });
}
