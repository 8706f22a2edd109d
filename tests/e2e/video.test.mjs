// E2E: the resident page plays the demo forum's live video. `forumcast serve --demo`
// with the demo source on (libx264 test pattern pushed over RTMP to the server's own
// front); Chromium opens /f/<id>, the player finds the stream live (the public
// status API), loads hls.js or plays natively, and the <video>'s currentTime
// advances (hls.js: Chromium's own HLS player cannot parse TS segments). Also: no
// console errors, and the replay page plays the recording and offers its MP4 download.
// Run: node tests/e2e/video.test.mjs --forumcast build/<dir>/server/forumcast
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, openBrowser } from './lib/browser.mjs';
import { demoForum } from './lib/demo.mjs';
import { startServer } from './lib/server.mjs';

// The harness turns the demo encoder off by default; this test opts in (the last
// `--stream.demo_source` wins, and startServer then adds none of its own).
let server;
let forumId;
before(async () => {
  server = await startServer({ demo: true, extraArgs: ['--stream.demo_source', 'true'] });
  const res = await fetch(new URL('/api/v1/forums', server.url));
  const body = await res.json();
  const forums = Array.isArray(body) ? body : body.forums;
  const forum = forums.find((f) => f.title === demo.title);
  assert.ok(forum, `demo forum "${demo.title}" listed`);
  forumId = forum.id;
});
after(async () => {
  if (server) await server.stop();
});

const demo = demoForum();

test('the resident page plays the live demo video', async () => {
  const b = await openBrowser({ viewport: DESKTOP });
  try {
    const { page, problems } = b;
    await page.goto(new URL(`/f/${forumId}`, server.url).href);
    await page.locator('[data-testid="video-state"][data-state="live"]').waitFor({ timeout: 30000 });
    const video = page.locator('video[data-testid="video"]');
    await video.waitFor();
    // Playing: currentTime moves on by more than a second.
    const t0 = await page.waitForFunction(() => {
      const v = document.querySelector('video[data-testid="video"]');
      return v && v.currentTime > 0 ? v.currentTime : null;
    }, null, { timeout: 30000 });
    const start = await t0.jsonValue();
    await page.waitForFunction((s) => document.querySelector('video[data-testid="video"]').currentTime > s + 1, start, { timeout: 30000 });
    const size = await page.evaluate(() => {
      const v = document.querySelector('video[data-testid="video"]');
      return [v.videoWidth, v.videoHeight];
    });
    assert.deepEqual(size, [640, 360], 'the demo source is 640x360');
    assert.deepEqual(problems, []);
  } finally {
    await b.close();
  }
});

test('the replay page offers the recording and its download', async () => {
  const b = await openBrowser({ viewport: DESKTOP });
  try {
    const { page, problems } = b;
    await page.goto(new URL(`/f/${forumId}/replay`, server.url).href);
    await page.locator('[data-testid="video-state"][data-state="replay"]').waitFor({ timeout: 30000 });
    const href = await page.locator('[data-testid="video-download"]').getAttribute('href');
    assert.equal(href, `/rec/${forumId}/download.mp4`);
    // The download is a real MP4 (an ftyp box first).
    const mp4 = await fetch(new URL(href, server.url));
    assert.equal(mp4.status, 200);
    assert.equal(mp4.headers.get('content-type'), 'video/mp4');
    const head = Buffer.from(await mp4.arrayBuffer()).subarray(4, 8).toString('latin1');
    assert.equal(head, 'ftyp');
    await page.waitForFunction(() => {
      const v = document.querySelector('video[data-testid="video"]');
      return v && v.readyState >= 2 && v.duration > 0;
    }, null, { timeout: 30000 });
    assert.deepEqual(problems, []);
  } finally {
    await b.close();
  }
});
