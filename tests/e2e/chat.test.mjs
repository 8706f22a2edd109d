// E2E: the resident chat page (/f/<id>) on the real server (--demo) in Chromium, two
// residents in two browser profiles, at phone size, in zh-CN and in English:
//  - the first visit asks for a display name (checked in characters), then joins
//    (a stale device token is replaced once);
//  - a comment typed in one page appears in the other with its author and compound,
//    and once in the author's own page (from the event, not an optimistic copy);
//  - the viewer count reaches 2 on both pages;
//  - a reload keeps the remembered name and shows the history, each comment once;
//  - a page that loses its network shows "offline", and after it comes back it
//    resumes: the comments the other resident posted meanwhile appear exactly once;
//  - a rate-limited burst keeps the text in the box and shows the wait from the
//    catalogue (the server runs with a small comment bucket to make that quick);
//  - once the forum has ended, its history stays readable and the composer is gone.
// Run: node tests/e2e/chat.test.mjs --forumcast build/<dir>/server/forumcast
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { LOCALES, PHONE, catalogue, fill, gotoInLocale, layoutProblems, openBrowser } from './lib/browser.mjs';
import { demoData } from './lib/demo.mjs';
import { startServer } from './lib/server.mjs';

const BURST = 4; // comments per device before the bucket is empty
let server;
let forumUrl;
let forumId;
before(async () => {
  server = await startServer({
    demo: true,
    extraArgs: ['--chat.comment_burst', String(BURST), '--chat.comment_refill_ms', '60000'],
  });
  const res = await fetch(new URL('/api/v1/forums', server.url));
  const body = await res.json();
  const forums = Array.isArray(body) ? body : body.forums;
  const forum = forums.find((f) => f.title === demo.title);
  assert.ok(forum, `demo forum "${demo.title}" listed`);
  forumId = forum.id;
  forumUrl = new URL(`/f/${encodeURIComponent(forum.id)}`, server.url).href;
});
after(async () => {
  if (server) await server.stop();
});

const data = demoData();
const demo = data.forum;
const COMMENTS = data.comments;

const sel = {
  form: '[data-testid="profile-form"]',
  conn: '[data-testid="conn-state"]',
  viewers: '[data-testid="viewers"]',
  box: '[data-testid="composer-input"]',
  message: '[data-testid="composer-message"]',
  comment: '[data-testid="comment"]',
};

async function enterProfile(page, { name, compound = '', building = '' }) {
  await page.locator(sel.form).waitFor();
  await page.fill('#chat-name', name);
  await page.fill('#chat-compound', compound);
  await page.fill('#chat-building', building);
  await page.click('[data-testid="profile-save"]');
  await page.locator(`${sel.conn}[data-state="connected"]`).waitFor();
}

/** The comment items whose text is exactly `text`. */
function commentsWithText(page, text) {
  return page.locator(sel.comment).filter({ has: page.locator('[data-testid="comment-text"]', { hasText: text }) });
}

/** Waits until `text` is shown exactly once; returns that item. */
async function seeOnce(page, text) {
  await page.waitForFunction(
    (t) => [...document.querySelectorAll('[data-testid="comment-text"]')].filter((e) => e.textContent === t).length === 1,
    text,
  );
  return commentsWithText(page, text);
}

/** Types a comment and sends it with Enter; waits for the box to clear (accepted). */
async function post(page, text) {
  await page.fill(sel.box, text);
  await page.press(sel.box, 'Enter');
  await page.waitForFunction((s) => document.querySelector(s)?.value === '', sel.box);
}

/** Seqs of the shown comments, in document order. */
function shownSeqs(page) {
  return page.$$eval(sel.comment, (els) => els.map((e) => Number(e.getAttribute('data-seq'))));
}

function assertOrderedUnique(seqs, what) {
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] > seqs[i - 1], `${what}: seqs ascending and unique (${seqs.join(',')})`);
}

LOCALES.forEach((locale, round) => {
  test(`two residents chat live, reload, resume and hit the rate limit (${locale}, 360x640)`, async () => {
    const msg = catalogue(locale);
    const [c1, c2, c3, c4] = COMMENTS.slice(round * 4, round * 4 + 4);
    const alice = { name: locale === 'en' ? 'Wang Hongmei' : '王红梅', compound: data.compounds[0], building: '3号楼' };
    const bob = { name: locale === 'en' ? 'Li Jianguo' : '李建国', compound: data.compounds[3] };
    const a = await openBrowser({ viewport: PHONE });
    const b = await openBrowser({ viewport: PHONE });
    // A's WebSocket frames, to check that the reconnect was a resume (not a fresh join).
    const framesA = [];
    a.page.on('websocket', (ws) => {
      ws.on('framesent', (f) => framesA.push({ sent: true, msg: JSON.parse(String(f.payload)) }));
      ws.on('framereceived', (f) => framesA.push({ sent: false, msg: JSON.parse(String(f.payload)) }));
    });
    try {
      // First visit: the name form, with its checks (a 33-character name is refused).
      await gotoInLocale(a.page, forumUrl, locale);
      await a.page.locator(sel.form).waitFor();
      assert.deepEqual(await layoutProblems(a.page), [], 'name form at 360x640');
      await a.page.click('[data-testid="profile-save"]');
      await a.page.locator('[data-testid="profile-message"] [role="alert"]', { hasText: msg['chat.nameMissing'] }).waitFor();
      await a.page.fill('#chat-name', '春'.repeat(33));
      await a.page.click('[data-testid="profile-save"]');
      await a.page.locator('[data-testid="profile-message"] [role="alert"]', { hasText: fill(msg['chat.nameTooLong'], { max: 32 }) }).waitFor();
      // A device token the server does not know (say, its data was reset) is replaced once.
      await a.page.evaluate(() => localStorage.setItem('forumcast.device', 'stale-token-of-a-reset-server'));
      await enterProfile(a.page, alice);
      // Keyboard: after the form, focus is in the composer, ready to type.
      assert.equal(await a.page.evaluate(() => document.activeElement?.id), 'chat-text');
      const device = await a.page.evaluate(() => localStorage.getItem('forumcast.device'));
      assert.ok(device && device !== 'stale-token-of-a-reset-server', 'a new device token was issued');
      await gotoInLocale(b.page, forumUrl, locale);
      await enterProfile(b.page, bob);

      // Both see two viewers (presence goes out at most every 2 s: wait, do not sleep).
      const two = fill(msg['chat.viewers'], { count: 2 });
      await a.page.locator(sel.viewers, { hasText: two }).waitFor();
      await b.page.locator(sel.viewers, { hasText: two }).waitFor();
      assert.equal((await a.page.locator(sel.conn).textContent()).trim(), msg['chat.state.connected']);

      // A comment typed in one page appears in the other with its author, and once in its own.
      await post(a.page, c1);
      const inB = await seeOnce(b.page, c1);
      assert.equal(await inB.locator('[data-testid="comment-author"]').textContent(), alice.name);
      assert.equal(await inB.locator('[data-testid="comment-place"]').textContent(), `${alice.compound} · ${alice.building}`);
      await seeOnce(a.page, c1);
      assert.equal(await a.page.locator(sel.message).textContent(), '', 'no error after a successful send');
      assert.deepEqual(await layoutProblems(a.page), [], 'chat page at 360x640');

      // A reload keeps the name (no form) and the history, each comment once.
      await b.page.reload();
      await b.page.locator(`${sel.conn}[data-state="connected"]`).waitFor();
      assert.equal(await b.page.locator(sel.form).count(), 0, 'the name is remembered');
      assert.equal(
        await b.page.locator('[data-testid="speaking-as"]').textContent(),
        fill(msg['chat.speakingAsPlace'], { name: bob.name, place: bob.compound }),
      );
      await seeOnce(b.page, c1);
      assertOrderedUnique(await shownSeqs(b.page), 'history after reload');

      // A loses its network: it says so; B posts twice meanwhile; A comes back and
      // resumes with exactly the missed comments, in order, none twice.
      await a.context.setOffline(true);
      await a.page.locator(`${sel.conn}[data-state="offline"]`).waitFor();
      assert.equal((await a.page.locator(`${sel.conn} .conn-label`).textContent()).trim(), msg['chat.state.offline']);
      await post(b.page, c2);
      await post(b.page, c3);
      await seeOnce(b.page, c3);
      // While offline, a send keeps the text and says why.
      await a.page.fill(sel.box, c4);
      await a.page.press(sel.box, 'Enter');
      await a.page.locator(`${sel.message} [role="alert"]`, { hasText: msg['error.offline'] }).waitFor();
      assert.equal(await a.page.inputValue(sel.box), c4);
      await a.context.setOffline(false);
      await a.page.locator(`${sel.conn}[data-state="connected"]`).waitFor();
      // Back online, the "not connected" message goes; the text stays for the resident to send.
      await a.page.locator(`${sel.message} [role="alert"]`).waitFor({ state: 'detached' });
      assert.equal(await a.page.inputValue(sel.box), c4);
      await seeOnce(a.page, c2);
      await seeOnce(a.page, c3);
      await seeOnce(a.page, c1);
      const seqsA = await shownSeqs(a.page);
      assertOrderedUnique(seqsA, 'after resume');
      const seqOf = async (p, t) => Number(await commentsWithText(p, t).getAttribute('data-seq'));
      assert.ok((await seqOf(a.page, c1)) < (await seqOf(a.page, c2)) && (await seqOf(a.page, c2)) < (await seqOf(a.page, c3)));
      // On the wire: the last join resumed from the seq A had, and got exactly the two
      // missed comments back (recovered: true).
      const joins = framesA.filter((f) => f.sent && f.msg.op === 'join');
      const resume = joins[joins.length - 1].msg;
      assert.ok(joins.length >= 2 && resume.since, 'the reconnect joins with since');
      assert.equal(resume.since.seq, await seqOf(a.page, c1));
      const answer = framesA.find((f) => !f.sent && f.msg.rid === resume.rid)?.msg;
      assert.equal(answer?.ok, true);
      assert.equal(answer.recovered, true);
      assert.equal(answer.epoch, resume.since.epoch);
      assert.deepEqual(answer.events.filter((e) => e.ev === 'comment').map((e) => e.text), [c2, c3]);

      // The kept text can be sent now. Then a burst empties A's bucket: the rejected
      // comment stays in the box with the wait shown, and was not delivered to B.
      await a.page.click('[data-testid="composer-send"]');
      await a.page.waitForFunction((s) => document.querySelector(s)?.value === '', sel.box);
      await seeOnce(b.page, c4);
      const waitPattern = new RegExp(`^${msg['error.rate_limited_wait'].replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('\\{seconds\\}', '(\\d+)')}$`);
      let rejected = null;
      for (let i = 0; i <= BURST && !rejected; i++) {
        const text = `${demo.title.slice(0, 8)} #${round}-${i}`;
        await a.page.fill(sel.box, text);
        await a.page.press(sel.box, 'Enter');
        const outcome = await Promise.race([
          a.page.waitForFunction((s) => document.querySelector(s)?.value === '', sel.box).then(() => 'sent'),
          a.page.locator(`${sel.message} [role="alert"]`).waitFor().then(() => 'rejected'),
        ]);
        if (outcome === 'rejected') rejected = text;
      }
      assert.ok(rejected, `a burst of ${BURST + 1} comments is rate limited`);
      const alert = (await a.page.locator(`${sel.message} [role="alert"]`).textContent()).trim();
      const m = waitPattern.exec(alert);
      assert.ok(m, `"${alert}" is the catalogue's rate-limit message`);
      assert.ok(Number(m[1]) >= 1 && Number(m[1]) <= 60, `wait of ${m[1]} s is within the refill interval`);
      assert.equal(await a.page.inputValue(sel.box), rejected, 'the rejected text stays in the box');
      assert.equal(await commentsWithText(b.page, rejected).count(), 0);
      assert.deepEqual(await layoutProblems(a.page), [], 'chat page with an error at 360x640');

      // B changes its name with "edit": it rejoins on the same page and its next
      // comment carries the new name; nothing already shown is repeated.
      const renamed = { name: `${bob.name}2`, compound: data.compounds[4] };
      await b.page.click('[data-testid="profile-edit"]');
      await b.page.fill('#chat-name', renamed.name);
      await b.page.fill('#chat-compound', renamed.compound);
      await b.page.click('[data-testid="profile-save"]');
      await b.page.locator('[data-testid="speaking-as"]', { hasText: renamed.name }).waitFor();
      const c9 = `${c2} (${renamed.compound})`;
      await post(b.page, c9);
      const inA = await seeOnce(a.page, c9);
      assert.equal(await inA.locator('[data-testid="comment-author"]').textContent(), renamed.name);
      assertOrderedUnique(await shownSeqs(b.page), 'after a rename');
      await seeOnce(b.page, c1);

      assert.deepEqual(a.problems, [], 'page A: console errors, page errors or CSP violations');
      assert.deepEqual(b.problems, [], 'page B: console errors, page errors or CSP violations');
    } finally {
      await a.close();
      await b.close();
    }
  });
});

test('an ended forum keeps its history readable and takes no comments (zh-CN, en)', async () => {
  const r = await server.cli(['forum', 'set-state', forumId, 'ended']);
  assert.equal(r.code, 0, `forumcast forum set-state: ${r.stderr}${r.stdout}`);
  const b = await openBrowser({ viewport: PHONE });
  try {
    for (const locale of LOCALES) {
      const msg = catalogue(locale);
      await gotoInLocale(b.page, forumUrl, locale);
      // After the forum the page opens on the questions (the replay's chapters above);
      // the discussion is one tap away.
      await b.page.click('[data-testid="tab-comments"]');
      if (locale === LOCALES[0]) await enterProfile(b.page, { name: '赵老师' });
      await b.page.locator(`${sel.conn}[data-state="connected"]`).waitFor();
      await b.page.locator('[data-testid="forum-state"]', { hasText: msg['state.ended'] }).waitFor();
      await seeOnce(b.page, COMMENTS[0]); // what was said stays readable
      await b.page.locator('[data-testid="chat-notice"]', { hasText: msg['chat.closed'] }).waitFor();
      assert.equal(await b.page.locator(sel.box).count(), 0, 'no composer');
      assert.deepEqual(await layoutProblems(b.page), [], `ended forum at 360x640 (${locale})`);
    }
    assert.deepEqual(b.problems, []);
  } finally {
    await b.close();
  }
});
