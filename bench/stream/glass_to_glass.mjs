#!/usr/bin/env node
// bench/stream/glass_to_glass.mjs: glass-to-glass delay of the live video as a
// resident sees it in Chromium. Starts `forumcast serve --demo` with the demo source
// on (testsrc2 640x360@25 with the wall clock burned in, libx264 zerolatency, 1 s
// GOP, pushed over RTMP to forumcast's own front), opens the resident page
// /f/<demo forum> in headless Chromium (the real player: hls.js, 1 s TS segments)
// and samples, twice a second, now − the wall time of the frame on screen. That
// frame time is the segment's EXT-X-PROGRAM-DATE-TIME (the wall clock when its
// first frame reached the server) plus the offset into it, as hls.js computes it
// (`playingDate`, exposed by the player as <video data-playing-date>). So the
// figure is server-arrival -> on screen; the demo encoder's own latency before the
// server (x264 zerolatency, ~1 frame) is not in it. A screenshot with the burned-in
// clock and the wall time it was taken at is saved for a by-eye cross-check.
//
// Usage: node bench/stream/glass_to_glass.mjs --forumcast build/<dir>/server/forumcast
//          [--web-root <dist>] [--seconds 30] [--screenshot /tmp/g2g.png]
// Loopback only; the server and the browser are stopped when it ends.
import fs from 'node:fs';
import { DESKTOP, openBrowser } from '../../tests/e2e/lib/browser.mjs';
import { option, startServer } from '../../tests/e2e/lib/server.mjs';

const seconds = Number(option('seconds', '30'));
const shot = option('screenshot', '');

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, min: s[0], median: q(0.5), p90: q(0.9), max: s[s.length - 1] };
}

const server = await startServer({ demo: true, extraArgs: ['--stream.demo_source', 'true'] });
let b;
try {
  const forums = await (await fetch(new URL('/api/v1/forums', server.url))).json();
  const list = Array.isArray(forums) ? forums : forums.forums;
  const forum = list.find((f) => f.state === 'live');
  if (!forum) throw new Error('no live demo forum');
  b = await openBrowser({ viewport: DESKTOP });
  const { page } = b;
  const t0 = Date.now();
  await page.goto(new URL(`/f/${forum.id}`, server.url).href);
  await page.waitForFunction(() => {
    const v = document.querySelector('video[data-testid="video"]');
    return v && v.currentTime > 0 && v.dataset.playingDate;
  }, null, { timeout: 60000, polling: 100 });
  const firstFrame = Date.now() - t0;
  const samples = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    // Sampled in the page: both clocks are the same machine's.
    const d = await page.evaluate(() => {
      const v = document.querySelector('video[data-testid="video"]');
      // playingDate is refreshed on timeupdate (~4 Hz): add the media time since.
      return v && !v.paused ? Date.now() - Number(v.dataset.playingDate) : null;
    });
    if (d !== null) samples.push(d);
    await page.waitForTimeout(500); // sampling period of a measurement, not a synchronisation
  }
  let shotNote = '';
  if (shot) {
    const taken = new Date();
    await page.locator('video[data-testid="video"]').screenshot({ path: shot });
    shotNote = `screenshot ${shot} taken at ${taken.toISOString()} (compare with the clock burned into the frame)`;
  }
  const st = stats(samples);
  const stalls = await page.evaluate(() => {
    const v = document.querySelector('video[data-testid="video"]');
    const q = v.getVideoPlaybackQuality ? v.getVideoPlaybackQuality() : null;
    return q ? { dropped: q.droppedVideoFrames, total: q.totalVideoFrames } : null;
  });
  console.log(`glass-to-glass (server arrival -> Chromium screen), demo 640x360@25, 1 s segments, hls.js liveSyncDurationCount 2, ${seconds} s, ${new Date().toISOString()}`);
  console.log(`page load -> first frame: ${firstFrame} ms`);
  console.log(`delay ms: n=${st.n} min=${st.min} median=${st.median} p90=${st.p90} max=${st.max}`);
  if (stalls) console.log(`frames: ${stalls.total} shown, ${stalls.dropped} dropped`);
  if (shotNote) console.log(shotNote);
  if (b.problems.length) console.log('page problems:', b.problems);
} finally {
  if (b) await b.close();
  await server.stop();
}
