#!/usr/bin/env node
// Screenshots of the question pages in docs/screenshots/: the resident's questions tab
// (phone, 360x640 at 2x, zh-CN) and the moderator console, presenter screen and overlay
// (laptop, 1280x800). Pages, login and API come from the real server (--demo); /ws goes
// to the scripted forum of the e2e tests (tests/e2e/lib/moderation_peer.mjs), seeded
// with the demo questions in several states, until the relay routes the moderation ops.
// Run from the repo:
//   npm --prefix web-client run screenshots:questions -- --forumcast build/release/server/forumcast
import fs from 'node:fs';
import path from 'node:path';
import { DESKTOP, PHONE, openBrowser } from '../../tests/e2e/lib/browser.mjs';
import { REPO_ROOT, startServer } from '../../tests/e2e/lib/server.mjs';
import { demoData } from '../../tests/e2e/lib/demo.mjs';
import { ScriptedForum } from '../../tests/e2e/lib/moderation_peer.mjs';

const outDir = path.join(REPO_ROOT, 'docs', 'screenshots');
fs.mkdirSync(outDir, { recursive: true });
const data = demoData();
const server = await startServer({ demo: true });
const shots = [];
const browsers = [];
async function shot(page, name, fullPage = false) {
  await page.evaluate(() => document.fonts.ready);
  const file = path.join(outDir, `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide', fullPage });
  shots.push(path.relative(REPO_ROOT, file));
}

try {
  const body = await (await fetch(new URL('/api/v1/forums', server.url))).json();
  const forumId = (Array.isArray(body) ? body : body.forums).find((f) => f.title === data.forum.title).id;
  await server.addUser('wangxiaomei', 'moderator', 'Chunhui-mod-2026!');
  const forum = new ScriptedForum(forumId);
  const Q = data.questions;
  const [y1, y2] = data.compounds;
  const names = ['陈阿姨', '小周', '刘师傅', '赵老师', '孙大爷', '李姐', '吴先生', '郑阿姨'];
  const answered = { summary: '长椅会增加到二十张,沿着新种的香樟树排开,明年三月前装好。', panelist: '街道办 刘主任' };
  forum.seed([
    { ...Q[2], name: names[2], compound: Q[2].compound, state: 'answered', answers: [answered], votes: 31 },
    { ...Q[3], name: names[3], compound: Q[3].compound, state: 'on_air', votes: 24 },
    { ...Q[4], name: names[4], compound: Q[4].compound, state: 'approved', votes: 17 },
    { ...Q[5], name: names[5], compound: Q[5].compound, state: 'approved', votes: 9 },
    { ...Q[6], name: names[6], compound: Q[6].compound, state: 'approved', votes: 3 },
  ]);
  const device = { asker: null };

  // The resident (phone): asks one question (still pending) and has one approved.
  const r = await openBrowser({ viewport: PHONE, deviceScaleFactor: 2 });
  browsers.push(r);
  await forum.attach(r.context);
  await r.page.goto(new URL(`/f/${forumId}`, server.url).href);
  await r.page.waitForSelector('html[data-ready="true"]');
  await r.page.fill('#chat-name', '王红梅');
  await r.page.fill('#chat-compound', y1);
  await r.page.fill('#chat-building', '3号楼');
  await r.page.click('[data-testid="profile-save"]');
  await r.page.locator('[data-testid="conn-state"][data-state="connected"]').waitFor();
  await r.page.click('[data-testid="tab-questions"]');
  await r.page.fill('[data-testid="ask-text"]', Q[0].text);
  await r.page.click('.chip[data-category="need"]');
  await r.page.click('[data-testid="ask-submit"]');
  await r.page.locator('[data-testid="q-mine"] [data-testid="q-status"]').waitFor();
  device.asker = [...forum.questions.values()].at(-1).asker;
  await r.page.fill('[data-testid="ask-text"]', '');
  await r.page.locator('[data-testid="q-approved"] [data-testid="q-vote"]').first().click();
  await r.page.locator('[data-testid="q-vote"][aria-pressed="true"]').first().waitFor();
  await r.page.locator('[data-testid="ask-text"]').blur();
  await r.page.evaluate(() => window.scrollTo(0, document.querySelector('[data-testid="tab-questions"]').getBoundingClientRect().top + window.scrollY - 8));
  await shot(r.page, 'questions-zh-CN');
  await r.page.evaluate(() => window.scrollTo(0, document.querySelector('[data-testid="q-onair"]').getBoundingClientRect().top + window.scrollY - 8));
  await shot(r.page, 'questions-list-zh-CN');

  // More residents ask: the moderator's queue has a few pending questions.
  forum.seed([
    { ...Q[1], name: names[1], compound: Q[1].compound ?? y2, state: 'pending' },
    { ...Q[7], name: names[7], compound: Q[7].compound ?? y2, state: 'pending' },
  ]);

  const m = await openBrowser({ viewport: DESKTOP });
  browsers.push(m);
  await forum.attach(m.context);
  await m.page.goto(new URL(`/login?next=/mod/${forumId}`, server.url).href);
  await m.page.fill('#login-name', 'wangxiaomei');
  await m.page.fill('#login-password', 'Chunhui-mod-2026!');
  await m.page.click('[data-testid="login-submit"]');
  await m.page.locator('[data-testid="conn-state"][data-state="connected"]').waitFor();
  await m.page.locator('[data-testid="mod-pending"] [data-testid="mod-row"]').first().waitFor();
  await m.page.keyboard.press('j');
  await m.page.keyboard.press('j');
  // A new question arrives while the moderator reads: the "1 new" button appears.
  forum.seed([]);
  const late = forum.seed([{ ...Q[8], name: '钱阿姨', compound: Q[8].compound ?? y1, state: 'pending' }])[0];
  forum.publish('ask', late);
  await m.page.locator('[data-testid="mod-new"]').waitFor();
  await shot(m.page, 'mod-console-zh-CN');

  await m.page.goto(new URL(`/present/${forumId}`, server.url).href);
  await m.page.locator('[data-testid="present-onair"] .present-text').waitFor();
  await shot(m.page, 'present-zh-CN');

  const o = await openBrowser({ viewport: { width: 1280, height: 720 } });
  browsers.push(o);
  await forum.attach(o.context);
  await o.page.goto(new URL(`/overlay/${forumId}`, server.url).href);
  await o.page.locator('[data-testid="overlay-text"]').waitFor();
  // OBS composites the transparent page over the video; show it over a dark frame.
  await o.page.evaluate(() => (document.body.style.background = '#3a4a5a'));
  await shot(o.page, 'overlay-zh-CN');

  for (const b of browsers) if (b.problems.length) console.warn(`problems seen:\n${b.problems.join('\n')}`);
  console.log(`wrote ${shots.join(', ')}`);
} finally {
  for (const b of browsers) await b.close();
  await server.stop();
}
