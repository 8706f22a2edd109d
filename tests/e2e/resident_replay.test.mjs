// E2E: after the forum, the replay with its chapters, on the REAL server with the demo
// video source (a libx264 test pattern over RTMP), in zh-CN at 360×640 and English at
// 1280×800 (one server): while the stream is live a moderator (staffPeer, real relay)
// puts two questions on air and marks them answered (the relay stamps stream_ms), an
// organizer ends the forum over HTTP; a resident opening /f/<id> without giving a name
// sees the replay, and the chapter list has exactly the answered questions in on-air
// order with their video times (m:ss of the first on-air stream_ms); tapping the second
// chapter seeks the recording there (currentTime within 1 s). No horizontal scroll;
// layout checks; no console errors.
// Run: node tests/e2e/resident_replay.test.mjs --forumcast build/<dir>/server/forumcast
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, PHONE, catalogue, fill, gotoInLocale, layoutProblems, openBrowser } from './lib/browser.mjs';
import { demoData } from './lib/demo.mjs';
import { startServer, waitForAsync } from './lib/server.mjs';
import { staffPeer } from './lib/moderation_peer.mjs';

const data = demoData();
const ORG = { name: 'qianshuji', password: 'Chunhui-org-2026!' };
let server;
let forumId;
let staffBrowser;
const chapters = []; // {id, text, ms}

const clock = (ms) => {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

before(async () => {
  server = await startServer({ demo: true, extraArgs: ['--stream.demo_source', 'true'] });
  const body = await (await fetch(new URL('/api/v1/forums', server.url))).json();
  forumId = (Array.isArray(body) ? body : body.forums).find((f) => f.title === data.forum.title).id;
  await server.addUser(ORG.name, 'organizer', ORG.password);
  staffBrowser = await openBrowser({ viewport: DESKTOP });
  const staff = await staffPeer(staffBrowser.page, server.url, forumId, ORG);
  const status = async () => (await fetch(new URL(`/api/v1/stream/${forumId}/status`, server.url))).json();
  await waitForAsync(async () => (await status()).live === true, { ms: 60000, what: 'the demo stream to be live' });
  for (const text of ['广场的地砖下雨天特别滑,能换成防滑的吗?', '小区里能不能多装几个充电桩?']) {
    const { question } = await staff.call('offline_question', { text, name: '周师傅', compound: '春晖苑一期' });
    const { question: onAir } = await staff.call('on_air', { id: question.id });
    const ms = onAir.on_air?.[0]?.start_stream_ms;
    assert.equal(typeof ms, 'number', 'on air while live: the relay stamps stream_ms');
    // Three seconds of video per answer (the stream's own clock), so that the chapters are apart.
    await waitForAsync(async () => {
      const h = await staff.api('GET', `/api/v1/stream/${forumId}/health`);
      return (h.stream_ms ?? h.health?.stream_ms ?? 0) >= ms + 3000;
    }, { ms: 30000, what: 'three seconds of stream after the question went on air' });
    await staff.call('answered', { id: question.id, summary: '已列入改造计划', panelist: '刘主任' });
    chapters.push({ id: question.id, text, ms });
  }
  await staff.api('POST', `/api/v1/forums/${forumId}/state`, { state: 'ended' });
  await waitForAsync(async () => (await status()).recording === true, { ms: 60000, what: 'the recording' });
});
after(async () => {
  if (staffBrowser) await staffBrowser.close();
  if (server) await server.stop();
});

for (const [locale, size, viewport] of [['zh-CN', '360x640', PHONE], ['en', '1280x800', DESKTOP]]) {
  test(`after the forum: replay chapters, tapping one seeks the video (${locale}, ${size})`, async () => {
    const msg = catalogue(locale);
    const b = await openBrowser({ viewport });
    try {
      const { page, problems } = b;
      await gotoInLocale(page, new URL(`/f/${forumId}`, server.url).href, locale);
      await page.locator('[data-testid="forum-state"][data-state="ended"]').waitFor();
      await page.locator('[data-testid="video-state"][data-state="replay"]').waitFor({ timeout: 30000 });
      const items = page.locator('[data-testid="chapters"] [data-testid="chapter"]');
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="chapters"] [data-testid="chapter"]').length === n, chapters.length);
      for (let i = 0; i < chapters.length; i++) {
        const c = chapters[i];
        assert.equal(Number(await items.nth(i).getAttribute('data-id')), c.id, 'chapters in on-air order');
        assert.equal(await items.nth(i).locator('.chapter-time').innerText(), clock(c.ms));
        assert.ok((await items.nth(i).innerText()).includes(c.text));
      }
      await page.waitForFunction(() => {
        const v = document.querySelector('video[data-testid="video"]');
        return v && v.readyState >= 1 && v.duration > 0;
      }, null, { timeout: 30000 });
      const target = chapters[1].ms / 1000;
      await items.nth(1).click();
      await page.locator('[data-testid="chapters-status"]', { hasText: fill(msg['replay.jumped'], { time: clock(chapters[1].ms) }) }).waitFor();
      await page.waitForFunction((s) => Math.abs(document.querySelector('video[data-testid="video"]').currentTime - s) < 1, target, { timeout: 15000 });
      const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
      assert.ok(sw <= iw, `scrollWidth ${sw} > innerWidth ${iw}`);
      assert.deepEqual(await layoutProblems(page), [], `replay at ${size} (${locale})`);
      assert.deepEqual(problems, []);
    } finally {
      await b.close();
    }
  });
}
