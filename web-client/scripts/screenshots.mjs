#!/usr/bin/env node
// Takes the phone-size (360x640, 2x) zh-CN screenshots in docs/screenshots/ from the
// real server in demo mode (with the demo video source, so the live page plays it),
// with the e2e harness (tests/e2e/lib). The chat shots use real comments from the demo
// data, posted over the WebSocket (forumcast.v1) by a few residents with their own
// device tokens. The resident shots (resident-*.png: before the forum, questions, my
// questions with a ticket to rate, the replay's chapters; a few also in English) use a
// staff member on the real relay (tests/e2e/lib/moderation_peer.mjs staffPeer) to
// approve, put on air, answer, and make and resolve a ticket. Run from the repo:
//   npm --prefix web-client run screenshots -- --forumcast build/release/server/forumcast
// Needs a current build of the client (npm run build) and of the server.
import fs from 'node:fs';
import path from 'node:path';
import { DESKTOP, PHONE, catalogue, gotoInLocale, openBrowser } from '../../tests/e2e/lib/browser.mjs';
import { REPO_ROOT, startServer, waitForAsync } from '../../tests/e2e/lib/server.mjs';
import { staffPeer } from '../../tests/e2e/lib/moderation_peer.mjs';
import { demoData } from '../../tests/e2e/lib/demo.mjs';

const outDir = path.join(REPO_ROOT, 'docs', 'screenshots');
fs.mkdirSync(outDir, { recursive: true });
const msg = catalogue('zh-CN');

// A small comment bucket (2, then one a minute) so that the rate-limit shot is quick.
const server = await startServer({ demo: true, extraArgs: ['--chat.comment_burst', '2', '--chat.comment_refill_ms', '60000', '--stream.demo_source', 'true'] });
const b = await openBrowser({ viewport: PHONE, deviceScaleFactor: 2 });
const staffBrowser = await openBrowser({ viewport: DESKTOP });
const shots = [];
async function shot(name, page = b.page, fullPage = false) {
  // Wait for web fonts/images (none external) and the end of any layout shift.
  await page.evaluate(() => document.fonts.ready);
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide', fullPage });
  shots.push(path.relative(REPO_ROOT, file));
}

/**
 * Joins `forumId` as a resident (a fresh device token) in the page's origin and posts
 * `texts` one after another, each acknowledged before the next.
 */
function postAs(page, forumId, who, texts) {
  return page.evaluate(async ({ forumId, who, texts }) => {
    const res = await fetch('/api/v1/device', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    const { device_token: device } = await res.json();
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`, 'forumcast.v1');
    let rid = 0;
    const waiting = new Map();
    ws.onmessage = (m) => {
      for (const o of [JSON.parse(m.data)].flat()) {
        if ('rid' in o && waiting.has(o.rid)) waiting.get(o.rid)(o);
      }
    };
    await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
    const call = (msg) => new Promise((ok, fail) => {
      const id = ++rid;
      waiting.set(id, (o) => (o.ok ? ok(o) : fail(new Error(JSON.stringify(o.error)))));
      ws.send(JSON.stringify({ ...msg, rid: id }));
    });
    await call({ op: 'join', forum: forumId, device, ...who });
    for (const text of texts) await call({ op: 'comment', text });
    ws.close();
  }, { forumId, who, texts });
}

try {
  const { page } = b;
  const data = demoData();
  await gotoInLocale(page, server.url, 'zh-CN');
  await page.locator('[data-testid="forum-card"]').first().waitFor();
  await shot('landing-zh-CN');

  await page.locator('[data-testid="forum-card"] a').first().click();
  await page.locator('h1[data-testid="forum-title"]').waitFor();
  await page.locator('[data-testid="profile-form"]').waitFor();
  await shot('forum-zh-CN');

  // The resident chat: a few residents have commented; this one joins and reads.
  const forumId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
  const [c0, c1, c2, c3, c4, c5, c6, c7] = data.comments;
  const [y1, y2, , gx, wd] = data.compounds;
  await postAs(page, forumId, { name: '陈阿姨', compound: y1, building: '5号楼' }, [c0, c7]);
  await postAs(page, forumId, { name: '小周', compound: gx }, [c1, c3]);
  await postAs(page, forumId, { name: '刘师傅', compound: y2, building: '12号楼' }, [c5]);
  await postAs(page, forumId, { name: 'Mia', compound: wd }, [c4, c6]);
  await page.fill('#chat-name', '王红梅');
  await page.fill('#chat-compound', y1);
  await page.fill('#chat-building', '3号楼');
  await page.click('[data-testid="profile-save"]');
  await page.locator('[data-testid="conn-state"][data-state="connected"]').waitFor();
  await page.locator('[data-testid="comment"]', { hasText: c6 }).waitFor();
  await page.locator('[data-testid="composer-input"]').blur();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('forum-live-zh-CN');
  await page.locator('[data-testid="composer"]').scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollTo(0, document.querySelector('[data-slot="live"]').getBoundingClientRect().top + window.scrollY - 8));
  await shot('chat-zh-CN');

  // Two more comments from this resident, then a third over the rate: it stays in the
  // box with the reason.
  const box = '[data-testid="composer-input"]';
  for (const text of [c2, data.comments[8]]) {
    await page.fill(box, text);
    await page.press(box, 'Enter');
    await page.waitForFunction((s) => document.querySelector(s).value === '', box);
    await page.locator('[data-testid="comment"]', { hasText: text }).waitFor();
  }
  await page.fill(box, data.questions[0].text);
  await page.press(box, 'Enter');
  await page.locator('[data-testid="composer-message"] [role="alert"]').waitFor();
  await page.locator('[data-testid="composer-input"]').blur();
  await shot('chat-error-zh-CN');

  await page.goto(new URL('/login', server.url).href);
  await page.locator('[data-testid="login-form"]').waitFor();
  await shot('login-zh-CN');

  await page.fill('#login-name', 'wanghongmei');
  await page.fill('#login-password', 'wrong-password');
  await page.click('[data-testid="login-submit"]');
  await page.locator('[data-testid="login-message"] [role="alert"]', { hasText: msg['error.bad_credentials'] }).waitFor();
  await page.locator('#login-password').blur();
  await shot('login-error-zh-CN');

  await residentShots(forumId, data);

  if (b.problems.length) console.warn(`problems seen while taking screenshots:\n${b.problems.join('\n')}`);
  console.log(`wrote ${shots.join(', ')}`);
} finally {
  await b.close();
  await staffBrowser.close();
  await server.stop();
}

/** Scrolls so that `selector` is at the top of the viewport (below nothing). */
async function scrollTo(page, selector) {
  await page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (el) window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 8);
  }, selector);
}

/** A resident with a name in a fresh browser (zh-CN or en). */
async function resident(locale, forumId, who) {
  const r = await openBrowser({ viewport: PHONE, deviceScaleFactor: 2 });
  await gotoInLocale(r.page, new URL(`/f/${forumId}`, server.url).href, locale);
  await r.page.evaluate((p) => localStorage.setItem('forumcast.profile', JSON.stringify(p)), who);
  await r.page.reload();
  await r.page.locator('[data-testid="conn-state"][data-state="connected"]').waitFor();
  return r;
}

async function residentShots(forumId, data) {
  const ORG = { name: 'zhaoshuji', password: 'Chunhui-org-2026!' };
  await server.addUser(ORG.name, 'organizer', ORG.password);
  const staff = await staffPeer(staffBrowser.page, server.url, forumId, ORG);
  const Q = data.questions;
  const asked = [];
  for (const [i, q] of Q.slice(1, 6).entries()) {
    const { question } = await staff.call('offline_question', { text: q.text, name: ['陈阿姨', '小周', '刘师傅', '赵老师', '孙大爷'][i], compound: q.compound ?? data.compounds[i % 3] });
    asked.push(question);
  }
  // Votes from a few devices (co-signers) so that the list is sorted by something.
  for (const [n, q] of [[5, asked[2]], [3, asked[3]], [2, asked[4]]]) {
    for (let k = 0; k < n; k++) {
      await b.page.evaluate(async ({ forum, id }) => {
        const { device_token: device } = await (await fetch('/api/v1/device', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json();
        const ws = new WebSocket(`ws://${location.host}/ws`, 'forumcast.v1');
        await new Promise((ok) => (ws.onopen = ok));
        const call = (m) => new Promise((ok) => {
          ws.onmessage = (e) => { for (const o of [JSON.parse(e.data)].flat()) if (o.rid === m.rid) ok(o); };
          ws.send(JSON.stringify(m));
        });
        await call({ op: 'join', rid: 1, forum, device, name: '邻居' });
        await call({ op: 'vote', rid: 2, id });
        ws.close();
      }, { forum: forumId, id: q.id });
    }
  }
  // Before the forum (collecting): what a first-time visitor sees, questions to co-sign.
  const before = await staff.api('POST', `/api/v1/forums/${forumId}/state`, { state: 'collecting' }).then(() => true, (e) => (console.warn(`collecting: ${e.message}`), false));
  if (before) {
    const g = await openBrowser({ viewport: PHONE, deviceScaleFactor: 2 });
    try {
      await gotoInLocale(g.page, new URL(`/f/${forumId}`, server.url).href, 'zh-CN');
      await g.page.locator('[data-testid="q-approved"] [data-testid="q-item"]').first().waitFor();
      await shot('resident-before-zh-CN', g.page);
      await scrollTo(g.page, '[data-testid="tab-questions"]');
      await shot('resident-before-questions-zh-CN', g.page);
    } finally {
      await g.close();
    }
    await staff.api('POST', `/api/v1/forums/${forumId}/state`, { state: 'live' });
  }
  const streamMs = async () => {
    const h = await staff.api('GET', `/api/v1/stream/${forumId}/health`).catch(() => ({}));
    return h.stream_ms ?? h.health?.stream_ms ?? 0;
  };
  const afterSeconds = async (n) => {
    const from = await streamMs();
    await waitForAsync(async () => (await streamMs()) >= from + n * 1000, { ms: n * 1000 + 20000, what: `${n} s of stream` });
  };
  await staff.call('on_air', { id: asked[0].id });
  await afterSeconds(4);
  await staff.call('answered', { id: asked[0].id, summary: '长椅会增加到二十张,沿着新种的香樟树排开,明年三月前装好。', panelist: '街道办 刘主任' });
  await afterSeconds(2);
  await staff.call('on_air', { id: asked[1].id });

  const shotsFor = [['zh-CN', { name: '王红梅', compound: data.compounds[0], building: '3号楼', phone: '' }], ['en', { name: 'Mia', compound: data.compounds[3] ?? data.compounds[0], building: '', phone: '' }]];
  for (const [locale, who] of shotsFor) {
    const m = catalogue(locale);
    const r = await resident(locale, forumId, who);
    try {
      const p = r.page;
      // Questions: ask one (waits for a moderator), the on-air one pinned, the rest by votes.
      await p.click('[data-testid="tab-questions"]');
      const text = locale === 'en' ? 'Could the bus stop by the east gate get a shelter before winter?' : Q[0].text;
      await p.fill('#ask-text', text);
      await p.click('[data-category="need"]');
      await p.click('[data-testid="ask-submit"]');
      const mine = p.locator('[data-testid="q-mine"] [data-testid="q-item"]', { hasText: text });
      await mine.locator('[data-testid="q-status"]', { hasText: m['q.state.pending'] }).waitFor();
      const id = Number(await mine.getAttribute('data-id'));
      await staff.call('approve', { id });
      await mine.locator('[data-testid="q-status"]', { hasText: m['q.state.approved'] }).waitFor();
      await p.locator('#ask-text').blur();
      await scrollTo(p, '[data-testid="tab-questions"]');
      await shot(`resident-questions-${locale}`, p);
      await scrollTo(p, '[data-testid="q-approved"]');
      await shot(`resident-cosign-${locale}`, p);

      // A ticket from the question, resolved with public notes: my questions.
      const { ticket } = await staff.api('POST', '/api/v1/tickets', { question_id: id, assignees: [{ kind: 'department', name: '物业服务中心' }] });
      await staff.api('POST', `/api/v1/tickets/${ticket.id}/transition`, { to: 'in_progress', note: locale === 'en' ? '已联系公交公司,现场勘查中' : '已和施工方确认,长椅已下单', public: true });
      await staff.api('POST', `/api/v1/tickets/${ticket.id}/transition`, { to: 'resolved', note: locale === 'en' ? '候车亭已安装完成' : '广场新增长椅二十张,已安装完成', public: true });
      await p.click('[data-testid="tab-mine"]');
      const card = p.locator(`[data-testid="ticket"][data-id="${ticket.id}"]`);
      await card.locator('[data-testid="rate-form"]').waitFor({ timeout: 10000 }).catch(() => undefined);
      await p.evaluate(() => window.scrollTo(0, 0));
      await shot(`resident-mine-${locale}`, p, true); // the whole page: my questions, the ticket, its notes, the form
      if (await card.locator('[data-testid="rate-form"]').count()) {
        await card.locator(`[data-testid="rate-${ticket.id}-confirmed-yes"]`).click();
        await card.locator(`[data-testid="rate-${ticket.id}-stars-5"]`).click();
        await card.locator('[data-testid="rate-comment"]').fill(locale === 'en' ? 'Quick and tidy, thank you.' : '装得很快,谢谢!');
        await card.locator('[data-testid="rate-comment"]').blur();
        await scrollTo(p, `[data-testid="ticket"][data-id="${ticket.id}"]`);
        await shot(`resident-rate-${locale}`, p);
      }
      if (r.problems.length) console.warn(`problems (${locale}):\n${r.problems.join('\n')}`);
    } finally {
      await r.close();
    }
  }

  // After the forum: the replay with its chapters (a first-time visitor, no name).
  await staff.call('answered', { id: asked[1].id, summary: '东门的地砖已列入下月的维修计划。', panelist: '物业 王经理' });
  await staff.api('POST', `/api/v1/forums/${forumId}/state`, { state: 'ended' });
  await waitForAsync(async () => (await (await fetch(new URL(`/api/v1/stream/${forumId}/status`, server.url))).json()).recording === true, { ms: 60000, what: 'the recording' });
  const v = await openBrowser({ viewport: PHONE, deviceScaleFactor: 2 });
  try {
    await gotoInLocale(v.page, new URL(`/f/${forumId}`, server.url).href, 'zh-CN');
    await v.page.locator('[data-testid="video-state"][data-state="replay"]').waitFor({ timeout: 30000 });
    await v.page.locator('[data-testid="chapters"] [data-testid="chapter"]').first().waitFor();
    await v.page.waitForFunction(() => document.querySelector('video')?.readyState >= 2);
    await shot('resident-replay-zh-CN', v.page);
    await scrollTo(v.page, '[data-testid="chapters-section"]');
    await shot('resident-chapters-zh-CN', v.page);
  } finally {
    await v.close();
  }
}
