// E2E: the organizer's live dashboard /org/f/<id>/live with a real stream: the server
// runs with its demo source (test pattern over RTMP into the demo forum). The stream
// health panel turns "live" with a 1 s keyframe interval; a resident watching the
// forum page shows up in the viewer count and the viewers chart; two questions and
// three comments made just now appear in the per-minute activity chart's summary;
// "make a ticket" on a top question opens the board's form with it chosen; the
// figures count the questions, on the forum's dashboard and across forums on /org; the
// stream page offers the recording's MP4.
// English at 1280×800.
// Run: FORUMCAST_E2E_WEB_ROOT=/tmp/org-dist node tests/e2e/org_live.test.mjs --forumcast build/<dir>/server/forumcast
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DESKTOP, fill, gotoInLocale, openBrowser } from './lib/browser.mjs';
import { REPO_ROOT, startServer } from './lib/server.mjs';
import { staffPeer } from './lib/moderation_peer.mjs';

const org = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'web-client', 'src', 'i18n', 'org', 'en.json'), 'utf8'));
const FORUM = 'demoforum4';

let server;
before(async () => {
  server = await startServer({ demo: true, extraArgs: ['--stream.demo_source', 'true'] });
});
after(async () => {
  if (server) await server.stop();
});

/** Joins the forum as a resident from `page` (same origin) and posts `texts` as comments. */
function comment(page, texts) {
  return page.evaluate(async ({ forum, texts }) => {
    const res = await fetch('/api/v1/device', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const { device_token: device } = await res.json();
    const ws = new WebSocket(`ws://${location.host}/ws`, 'forumcast.v1');
    let rid = 0;
    const waiting = new Map();
    ws.onmessage = (m) => {
      for (const o of [JSON.parse(m.data)].flat()) if ('rid' in o && waiting.has(o.rid)) waiting.get(o.rid)(o);
    };
    await new Promise((ok, fail) => {
      ws.onopen = ok;
      ws.onerror = fail;
    });
    const call = (msg) => new Promise((ok, fail) => {
      const id = ++rid;
      waiting.set(id, (o) => (o.ok ? ok(o) : fail(new Error(JSON.stringify(o.error)))));
      ws.send(JSON.stringify({ ...msg, rid: id }));
    });
    await call({ op: 'join', forum, device, name: 'Resident' });
    for (const text of texts) await call({ op: 'comment', text });
    ws.close();
  }, { forum: FORUM, texts });
}

test('live dashboard: stream health, viewers, activity per minute, figures (en, 1280x800)', async () => {
  await server.addUser('live-mod', 'moderator', 'Live-Moderator-2026!');
  await server.addUser('live-org', 'organizer', 'Live-Organizer-2026!');
  const helper = await openBrowser({ viewport: DESKTOP });
  const resident = await openBrowser({ viewport: DESKTOP });
  const b = await openBrowser({ viewport: DESKTOP });
  try {
    const peer = await staffPeer(helper.page, server.url, FORUM, { name: 'live-mod', password: 'Live-Moderator-2026!' });
    await peer.call('offline_question', { text: 'When will the lift be repaired?', compound: 'Spring Garden', category: 'problem' });
    await peer.call('offline_question', { text: 'Can we have more benches?', compound: 'Osmanthus', category: 'need' });
    await comment(helper.page, ['First!', 'The sound is fine here.', 'Thanks for streaming.']);

    // A resident watches the forum (the HLS player counts as a viewer).
    await resident.page.goto(new URL(`/f/${FORUM}`, server.url).href);

    const { page } = b;
    await gotoInLocale(page, new URL(`/login?next=${encodeURIComponent(`/org/f/${FORUM}/live`)}`, server.url).href, 'en');
    await page.fill('#login-name', 'live-org');
    await page.fill('#login-password', 'Live-Organizer-2026!');
    await page.click('[data-testid="login-submit"]');
    await page.waitForURL((u) => u.pathname === `/org/f/${FORUM}/live`);

    // Stream health: live, 1 s keyframes from the demo encoder (deadline: encoder start-up).
    await page.locator('[data-testid="stream-health-state"][data-state="live"]').waitFor({ timeout: 60000 });
    await page.waitForFunction(() => /^1\.0/.test(document.querySelector('[data-field="keyframe"]')?.textContent ?? ''), null, { timeout: 30000 });

    // Viewers: the resident's player is counted; the chart's label says the current count.
    await page.waitForFunction(() => Number(document.querySelector('[data-field="viewers"]')?.textContent) >= 1, null, { timeout: 60000 });
    await page.waitForFunction(() => {
      const label = document.querySelector('[data-testid="chart-viewers"]')?.getAttribute('aria-label') ?? '';
      return /[1-9]\d*$/.test(label);
    });
    assert.ok((await page.locator('[data-testid="chart-viewers"] path.org-line').count()) === 1);

    // Activity: what was posted above, in the last 30 minutes.
    const summary = fill(org['live.activityLabel'], { minutes: 30, comments: 3, questions: 2 });
    await page.locator('[data-testid="activity-summary"]', { hasText: summary }).waitFor();
    assert.ok((await page.locator('[data-testid="chart-activity"] rect.org-bar-q').count()) >= 1);
    assert.ok((await page.locator('[data-testid="chart-activity"] rect.org-bar-c').count()) >= 1);

    // Figures: two questions asked, one per compound row.
    const asked = page.locator('[data-testid="figures"] [data-figure="asked"] .org-tile-v');
    await asked.waitFor();
    assert.equal(((await asked.textContent()) ?? '').trim(), '2');
    await page.locator('[data-testid="chart-figures"]').waitFor();

    // The most co-signed questions: "make a ticket" opens the board's form with it chosen.
    const first = page.locator('[data-testid="top-questions"] li').first();
    const qid = await first.getAttribute('data-id');
    await first.locator('[data-testid="make-ticket"]').click();
    await page.waitForURL((u) => u.pathname === '/org/tickets' && u.searchParams.get('question') === qid);
    await page.waitForFunction((qid) => document.querySelector('[data-testid="nt-question"]')?.value === qid, qid);
    await page.click('[data-testid="nt-submit"]');
    const detail = page.locator('[data-testid="ticket-detail"]');
    await detail.waitFor();
    const ticket = await page.evaluate(async (id) => (await (await fetch(`/api/v1/tickets/${id}`)).json()).ticket, await detail.getAttribute('data-id'));
    assert.equal(String(ticket.question_id), qid);

    // The stream page shows the recording with its MP4 download once segments exist.
    await page.waitForFunction(async (forum) => {
      const r = await fetch(`/api/v1/stream/${forum}/recording`);
      return r.ok && (await r.json()).segments > 0;
    }, FORUM, { timeout: 60000, polling: 500 });
    await page.goto(new URL(`/org/f/${FORUM}/stream`, server.url).href);
    const dl = page.locator('[data-testid="recording-download"]');
    await dl.waitFor();
    assert.equal(await dl.getAttribute('href'), `/rec/${FORUM}/download.mp4`);

    // Across forums (the organizer's home): the demo forum's row counts the same two.
    await page.click('[data-testid="nav-forums"]');
    const row = page.locator('[data-testid="figures-across"] tr[data-forum="demoforum4"] td').first();
    await row.waitFor();
    assert.equal(((await row.textContent()) ?? '').trim(), '2');
    await page.locator('[data-testid="chart-across"]').waitFor();
    assert.deepEqual(b.problems, [], 'console errors, page errors or CSP violations');
  } finally {
    await b.close();
    await resident.close();
    await helper.close();
  }
});
