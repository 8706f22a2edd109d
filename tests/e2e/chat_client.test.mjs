// E2E: the resident page's protocol client against a scripted forumcast.v1 peer
// (Playwright's routeWebSocket stands in for /ws; pages, API and device tokens come
// from the real server). It covers what a live server rarely shows on cue:
//  - history with a noop, the join's limits (the composer counts to that maximum);
//  - events coalesced into one array frame, a presence inside it, duplicates dropped;
//  - a gap in seq: the client resumes with `since` and shows the missing events once;
//  - a too-long text is refused in the page; a rate-limited comment keeps its text and
//    shows the wait rounded up to seconds; an accepted one clears the box and shows once;
//  - a reader who scrolled up keeps their place and gets a "new comments" pill;
//  - a socket that died without a close is found by the client's ping (page clock
//    fast-forwarded) and resumed; a slow-reader cut (4008) resumes without a wait;
//  - a closed socket is reconnected; `recovered: false` replaces the list with the
//    fresh history of the new epoch.
// Run: node tests/e2e/chat_client.test.mjs --forumcast build/<dir>/server/forumcast
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { LOCALES, PHONE, catalogue, fill, gotoInLocale, layoutProblems, openBrowser } from './lib/browser.mjs';
import { demoData } from './lib/demo.mjs';
import { startServer, waitFor } from './lib/server.mjs';

let server;
let forumId;
before(async () => {
  server = await startServer({ demo: true });
  const body = await (await fetch(new URL('/api/v1/forums', server.url))).json();
  forumId = (Array.isArray(body) ? body : body.forums).find((f) => f.title === data.forum.title).id;
});
after(async () => {
  if (server) await server.stop();
});

const data = demoData();
const texts = data.comments;
const comment = (forum, seq, text, name = '陈阿姨') => ({ ev: 'comment', forum, seq, at: Date.UTC(2026, 11, 5, 6, seq), role: 'resident', name, compound: data.compounds[1], text });

/** A scripted /ws: records what the page sends and answers from queues. */
function fakeServer(page) {
  const peer = { sockets: [], sent: [], joins: [], comments: [], pings: [], answerPings: true, onJoin: [], onComment: [] };
  return page
    .routeWebSocket(/\/ws$/, (ws) => {
      peer.sockets.push(ws);
      ws.onMessage((raw) => {
        const m = JSON.parse(String(raw));
        if (m.op === 'ping') {
          peer.pings.push(m);
          if (peer.answerPings) ws.send(JSON.stringify({ rid: m.rid, ok: true }));
          return;
        }
        peer.sent.push(m);
        const queue = m.op === 'join' ? peer.onJoin : m.op === 'comment' ? peer.onComment : null;
        if (m.op === 'join') peer.joins.push(m);
        if (m.op === 'comment') peer.comments.push(m);
        const answer = queue?.shift();
        if (answer) for (const frame of [answer(m)].flat()) ws.send(JSON.stringify(frame));
      });
    })
    .then(() => peer);
}

const shownTexts = (page) => page.$$eval('[data-testid="comment-text"]', (els) => els.map((e) => e.textContent));

async function waitForTexts(page, expected) {
  await page.waitForFunction(
    (want) => JSON.stringify([...document.querySelectorAll('[data-testid="comment-text"]')].map((e) => e.textContent)) === JSON.stringify(want),
    expected,
  ).catch(async (e) => {
    throw new Error(`${e.message}\nshown: ${JSON.stringify(await shownTexts(page))}\nexpected: ${JSON.stringify(expected)}`);
  });
}

for (const locale of LOCALES) {
  test(`the chat client dedupes, fills gaps, resumes and replaces history (${locale})`, async () => {
    const msg = catalogue(locale);
    const b = await openBrowser({ viewport: PHONE });
    try {
      const { page } = b;
      const peer = await fakeServer(page);
      const F = forumId;
      const [t1, t3, t4, t5, t6, t7, t8, n1, n2] = texts;
      peer.onJoin.push((m) => ({
        rid: m.rid, ok: true, forum: F, epoch: 'E1', seq: 3, viewers: 5, role: 'resident',
        limits: { comment_max_chars: 20 },
        events: [comment(F, 1, t1), { ev: 'noop', forum: F, seq: 2 }, comment(F, 3, t3)],
      }));
      await gotoInLocale(page, new URL(`/f/${F}`, server.url).href, locale);
      await page.fill('#chat-name', '王红梅');
      await page.click('[data-testid="profile-save"]');
      await page.locator('[data-testid="conn-state"][data-state="connected"]').waitFor();
      await waitForTexts(page, [t1, t3]);
      assert.equal(await page.textContent('[data-testid="viewers"]'), fill(msg['chat.viewers'], { count: 5 }));
      assert.equal(await page.textContent('[data-testid="composer-counter"]'), fill(msg['chat.counter'], { count: 0, max: 20 }));
      const first = peer.joins[0];
      assert.equal(first.forum, F);
      assert.equal(first.name, '王红梅');
      assert.match(first.device, /^\S+$/);
      assert.equal(first.since, undefined, 'a first join asks for history, not a resume');

      // One frame with two comments and a presence; then duplicates of both.
      const ws1 = peer.sockets[0];
      ws1.send(JSON.stringify([comment(F, 4, t4), { ev: 'presence', forum: F, seq: 4, viewers: 7 }, comment(F, 5, t5)]));
      ws1.send(JSON.stringify(comment(F, 5, t5)));
      ws1.send(JSON.stringify([comment(F, 4, t4), comment(F, 3, t3)]));
      await waitForTexts(page, [t1, t3, t4, t5]);
      await page.locator('[data-testid="viewers"]', { hasText: fill(msg['chat.viewers'], { count: 7 }) }).waitFor();

      // A gap (6 missing): the client resumes from 5 and shows 6 and 7 once.
      peer.onJoin.push((m) => ({
        rid: m.rid, ok: true, forum: F, epoch: 'E1', seq: 7, viewers: 7, role: 'resident', recovered: true,
        events: [comment(F, 6, t6), comment(F, 7, t7)],
      }));
      ws1.send(JSON.stringify(comment(F, 7, t7)));
      await waitFor(() => peer.joins.length === 2, { what: 'a resume after the gap' });
      assert.deepEqual(peer.joins[1].since, { epoch: 'E1', seq: 5 });
      await waitForTexts(page, [t1, t3, t4, t5, t6, t7]);
      await page.locator('[data-testid="conn-state"][data-state="connected"]').waitFor();
      const ws2 = peer.sockets[1];

      // Too long for the join's limit: refused in the page, nothing sent.
      const box = '[data-testid="composer-input"]';
      const alert = '[data-testid="composer-message"] [role="alert"]';
      await page.fill(box, '春'.repeat(21));
      assert.equal(await page.textContent('[data-testid="composer-counter"]'), fill(msg['chat.counter'], { count: 21, max: 20 }));
      await page.press(box, 'Enter');
      await page.locator(alert, { hasText: fill(msg['error.too_large'], { max: 20 }) }).waitFor();
      assert.equal(peer.comments.length, 0);

      // Rate limited: the text stays, the wait is shown in whole seconds (2.5 s -> 3).
      peer.onComment.push((m) => ({ rid: m.rid, ok: false, error: { code: 'rate_limited', message: 'slow down', retry_after_ms: 2500 } }));
      await page.fill(box, t8);
      await page.press(box, 'Enter');
      await page.locator(alert, { hasText: fill(msg['error.rate_limited_wait'], { seconds: 3 }) }).waitFor();
      assert.equal(await page.inputValue(box), t8);
      assert.ok(await page.isDisabled('[data-testid="composer-send"]'), 'send waits out retry_after_ms');
      assert.deepEqual(await layoutProblems(page), [], 'rate-limit message at 360x640');

      // Accepted (once the button is enabled again): the event, then the reply (either
      // order is allowed); the box clears and the comment shows once.
      peer.onComment.push((m) => [comment(F, 8, m.text, '王红梅'), { rid: m.rid, ok: true, seq: 8 }]);
      await page.click('[data-testid="composer-send"]'); // waits until enabled
      await page.waitForFunction((s) => document.querySelector(s).value === '', box);
      await waitForTexts(page, [t1, t3, t4, t5, t6, t7, t8]);
      assert.equal(await page.locator(alert).count(), 0, 'the error is gone after a successful send');

      // Many comments: a reader at the bottom follows them; one who scrolled up keeps
      // their place and gets the "new comments" pill, which takes them down.
      const log = '[data-testid="comment-log"]';
      const pill = '[data-testid="new-comments"]';
      const atBottom = (sel) => document.querySelector(sel).scrollHeight - document.querySelector(sel).scrollTop - document.querySelector(sel).clientHeight < 4;
      const filler = Array.from({ length: 20 }, (_, i) => comment(F, 9 + i, `${texts[i % texts.length]} #${9 + i}`, '小周'));
      ws2.send(JSON.stringify(filler));
      await page.locator('[data-seq="28"]').waitFor();
      await page.waitForFunction(atBottom, log);
      assert.ok(await page.$eval(log, (e) => e.scrollHeight > e.clientHeight * 2), 'the list overflows');
      await page.$eval(log, (e) => { e.scrollTop = 0; });
      await page.waitForFunction((s) => document.querySelector(s).scrollTop === 0, log);
      ws2.send(JSON.stringify(comment(F, 29, `${t1} #29`)));
      ws2.send(JSON.stringify(comment(F, 30, `${t3} #30`)));
      await page.locator(pill, { hasText: fill(msg['chat.newComments'], { count: 2 }) }).waitFor();
      await page.locator('[data-seq="30"]').waitFor({ state: 'attached' });
      assert.equal(await page.$eval(log, (e) => e.scrollTop), 0, 'nothing moved under the reader');
      assert.deepEqual(await layoutProblems(page), [], 'pill at 360x640');
      await page.click(pill);
      await page.waitForFunction(atBottom, log);
      await page.locator(pill).waitFor({ state: 'hidden' });

      // The server drops the socket; the client reconnects, the stream is gone
      // (recovered: false, new epoch): the list is replaced by the fresh history.
      peer.onJoin.push((m) => ({
        rid: m.rid, ok: true, forum: F, epoch: 'E2', seq: 2, viewers: 1, role: 'resident', recovered: false,
        events: [comment(F, 1, n1), comment(F, 2, n2)],
      }));
      await ws2.close({ code: 1001, reason: 'going away' });
      await waitFor(() => peer.joins.length === 3, { what: 'a rejoin after the close' });
      assert.deepEqual(peer.joins[2].since, { epoch: 'E1', seq: 30 });
      await waitForTexts(page, [n1, n2]);
      await page.locator('[data-testid="conn-state"][data-state="connected"]').waitFor();
      // ... and the new stream continues from its own seq.
      peer.sockets[2].send(JSON.stringify(comment(F, 3, t3)));
      await waitForTexts(page, [n1, n2, t3]);

      assert.deepEqual(b.problems, [], 'console errors, page errors or CSP violations');
    } finally {
      await b.close();
    }
  });
}

test('a silently dead connection is found by the ping; a 4008 cut resumes at once (zh-CN)', async () => {
  const msg = catalogue('zh-CN');
  const b = await openBrowser({ viewport: PHONE });
  try {
    const { page } = b;
    await page.clock.install(); // the page's timers run only when the test moves the clock
    const peer = await fakeServer(page);
    const F = forumId;
    const [t1, t2] = texts;
    peer.onJoin.push((m) => ({ rid: m.rid, ok: true, forum: F, epoch: 'E1', seq: 1, viewers: 3, role: 'resident', events: [comment(F, 1, t1)] }));
    await gotoInLocale(page, new URL(`/f/${F}`, server.url).href, 'zh-CN');
    await page.fill('#chat-name', '王红梅');
    await page.click('[data-testid="profile-save"]');
    await page.locator('[data-testid="conn-state"][data-state="connected"]').waitFor();
    await waitForTexts(page, [t1]);

    // A live connection answers the ping and stays.
    await page.clock.runFor(25000);
    await waitFor(() => peer.pings.length === 1, { what: 'the first ping' });
    assert.equal(peer.sockets.length, 1);

    // Then the peer goes silent: the next ping times out and the client resumes.
    peer.answerPings = false;
    await page.clock.runFor(25000);
    await waitFor(() => peer.pings.length === 2, { what: 'the second ping' });
    await page.clock.runFor(10000);
    await page.locator('[data-testid="conn-state"][data-state="reconnecting"]').waitFor();
    assert.equal(await page.textContent('[data-testid="conn-state"] .conn-label'), msg['chat.state.reconnecting']);
    peer.answerPings = true;
    peer.onJoin.push((m) => ({ rid: m.rid, ok: true, forum: F, epoch: 'E1', seq: 2, viewers: 3, role: 'resident', recovered: true, events: [comment(F, 2, t2)] }));
    await page.clock.runFor(1000); // the first retry waits 250-500 ms
    await waitFor(() => peer.joins.length === 2, { what: 'a resume after the silent drop' });
    assert.deepEqual(peer.joins[1].since, { epoch: 'E1', seq: 1 });
    await waitForTexts(page, [t1, t2]);
    await page.locator('[data-testid="conn-state"][data-state="connected"]').waitFor();

    // Cut as a slow reader (4008): it resumes at once, without waiting for a timer
    // (the page clock does not move here).
    peer.onJoin.push((m) => ({ rid: m.rid, ok: true, forum: F, epoch: 'E1', seq: 2, viewers: 3, role: 'resident', recovered: true, events: [] }));
    await peer.sockets[1].close({ code: 4008, reason: 'too slow' });
    await waitFor(() => peer.joins.length === 3, { what: 'an immediate resume after 4008' });
    assert.deepEqual(peer.joins[2].since, { epoch: 'E1', seq: 2 });
    await page.locator('[data-testid="conn-state"][data-state="connected"]').waitFor();
    await waitForTexts(page, [t1, t2]);
    assert.deepEqual(b.problems, []);
  } finally {
    await b.close();
  }
});
