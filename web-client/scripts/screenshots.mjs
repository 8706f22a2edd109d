#!/usr/bin/env node
// Takes the phone-size (360x640, 2x) zh-CN screenshots in docs/screenshots/ from the
// real server in demo mode, with the e2e harness (tests/e2e/lib). The chat shots use
// real comments from the demo data, posted over the WebSocket (forumcast.v1) by a few
// residents with their own device tokens. Run from the repo:
//   npm --prefix web-client run screenshots -- --forumcast build/release/server/forumcast
// Needs a current build of the client (npm run build) and of the server.
import fs from 'node:fs';
import path from 'node:path';
import { PHONE, catalogue, gotoInLocale, openBrowser } from '../../tests/e2e/lib/browser.mjs';
import { REPO_ROOT, startServer } from '../../tests/e2e/lib/server.mjs';
import { demoData } from '../../tests/e2e/lib/demo.mjs';

const outDir = path.join(REPO_ROOT, 'docs', 'screenshots');
fs.mkdirSync(outDir, { recursive: true });
const msg = catalogue('zh-CN');

// A small comment bucket (2, then one a minute) so that the rate-limit shot is quick.
const server = await startServer({ demo: true, extraArgs: ['--chat.comment_burst', '2', '--chat.comment_refill_ms', '60000'] });
const b = await openBrowser({ viewport: PHONE, deviceScaleFactor: 2 });
const shots = [];
async function shot(name) {
  // Wait for web fonts/images (none external) and the end of any layout shift.
  await b.page.evaluate(() => document.fonts.ready);
  const file = path.join(outDir, `${name}.png`);
  await b.page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
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

  if (b.problems.length) console.warn(`problems seen while taking screenshots:\n${b.problems.join('\n')}`);
  console.log(`wrote ${shots.join(', ')}`);
} finally {
  await b.close();
  await server.stop();
}
