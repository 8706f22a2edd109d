#!/usr/bin/env node
// Takes the organizer pages' phone-size (360x640, 2x) zh-CN screenshots,
// docs/screenshots/org-*.png, from the real server in demo mode with the e2e harness
// (tests/e2e/lib). A moderator on the real relay enters some of the demo questions
// (offline_question) and the organizer turns a few into tickets, so that the board,
// the activity chart and the figures have data; the demo source streams a test pattern,
// so that the health panel is live. Run from the repo:
//   node web-client/scripts/screenshots-org.mjs --forumcast build/release/server/forumcast [--web-root /tmp/org-dist]
// Needs a current build of the client (npm run build, or --web-root) and of the server.
import fs from 'node:fs';
import path from 'node:path';
import { DESKTOP, PHONE, openBrowser } from '../../tests/e2e/lib/browser.mjs';
import { REPO_ROOT, startServer } from '../../tests/e2e/lib/server.mjs';
import { demoData } from '../../tests/e2e/lib/demo.mjs';
import { staffPeer } from '../../tests/e2e/lib/moderation_peer.mjs';

const outDir = path.join(REPO_ROOT, 'docs', 'screenshots');
fs.mkdirSync(outDir, { recursive: true });
const FORUM = 'demoforum4';

// SRT on its default ports, so that the stream page shows the forum's SRT URL.
const server = await startServer({ demo: true, extraArgs: ['--stream.demo_source', 'true', '--stream.srt_ports', '10000-10019'] });
const helper = await openBrowser({ viewport: DESKTOP });
const b = await openBrowser({ viewport: PHONE, deviceScaleFactor: 2 });
const shots = [];
async function shot(name, { full = false } = {}) {
  await b.page.evaluate(() => document.fonts.ready);
  const file = path.join(outDir, `org-${name}.png`);
  await b.page.screenshot({ path: file, animations: 'disabled', caret: 'hide', fullPage: full });
  shots.push(path.relative(REPO_ROOT, file));
}

try {
  await server.addUser('shots-mod', 'moderator', 'Shots-Moderator-2026!');
  await server.addUser('wanghongmei', 'organizer', 'Shots-Organizer-2026!');
  const peer = await staffPeer(helper.page, server.url, FORUM, { name: 'shots-mod', password: 'Shots-Moderator-2026!' });
  const data = demoData();
  const questions = [];
  for (const q of data.questions.slice(0, 8)) {
    const { question } = await peer.call('offline_question', { text: q.text, compound: q.compound ?? '', category: q.category ?? 'problem', name: q.name ?? '' });
    questions.push(question);
  }
  const depts = ['物业服务中心', '街道城管科', '社区居委会'];
  const tickets = [];
  for (let i = 0; i < 5; i++) {
    const due = i === 1 ? Date.now() - 2 * 86400000 : Date.now() + (i + 3) * 86400000;
    tickets.push((await peer.api('POST', '/api/v1/tickets', { question_id: questions[i].id, due_ms: due, assignees: [{ kind: 'department', name: depts[i % 3] }] })).ticket);
  }
  await peer.api('POST', `/api/v1/tickets/${tickets[2].id}/transition`, { to: 'in_progress', note: '已派人查看', public: true });
  await peer.api('POST', `/api/v1/tickets/${tickets[3].id}/transition`, { to: 'in_progress', note: '', public: false });
  await peer.api('POST', `/api/v1/tickets/${tickets[3].id}/transition`, { to: 'resolved', note: '已修好', public: true });

  const { page } = b;
  await page.goto(new URL('/login?next=%2Forg', server.url).href);
  await page.waitForSelector('html[data-ready="true"]');
  await page.fill('#login-name', 'wanghongmei');
  await page.fill('#login-password', 'Shots-Organizer-2026!');
  await page.click('[data-testid="login-submit"]');
  await page.waitForURL(/\/org$/);
  await page.locator('[data-testid="org-forum"]').first().waitFor();
  await shot('forums');
  await page.locator('[data-testid="create-form"]').scrollIntoViewIfNeeded();
  await shot('create');
  await page.locator('[data-testid="figures-across"]').scrollIntoViewIfNeeded();
  await page.locator('[data-testid="chart-across"]').scrollIntoViewIfNeeded();
  await shot('across');

  await page.goto(new URL(`/org/f/${FORUM}`, server.url).href);
  await page.locator('[data-testid="state-control"]').waitFor();
  await page.locator('[data-testid="agenda-editor"], [data-testid="agenda-readonly"]').first().waitFor();
  await shot('edit');
  await page.locator('[data-testid="agenda-editor"], [data-testid="agenda-readonly"]').first().scrollIntoViewIfNeeded();
  await shot('agenda');

  await page.goto(new URL(`/org/f/${FORUM}/stream`, server.url).href);
  await page.locator('[data-testid="stream-health"]').waitFor();
  await page.click('[data-testid="stream-key-show"]');
  await page.locator('[data-testid="stream-key"]').waitFor();
  await page.locator('[data-testid="stream-health-state"][data-state="live"]').waitFor({ timeout: 60000 });
  await shot('stream');
  await page.locator('[data-testid="stream-health"]').scrollIntoViewIfNeeded();
  await shot('health');

  await page.goto(new URL(`/org/f/${FORUM}/poster`, server.url).href);
  await page.waitForFunction(() => {
    const img = document.querySelector('[data-testid="poster-qr"]');
    return img && img.complete && img.naturalWidth > 0;
  });
  await page.locator('[data-testid="poster"]').scrollIntoViewIfNeeded();
  await shot('poster');

  await page.goto(new URL(`/org/f/${FORUM}/live`, server.url).href);
  await page.locator('[data-testid="chart-activity"]').waitFor();
  await page.locator('[data-testid="figures"]').waitFor();
  await page.locator('[data-testid="viewers-chart"]').scrollIntoViewIfNeeded();
  await shot('live');
  await page.locator('[data-testid="top-questions"]').scrollIntoViewIfNeeded();
  await shot('questions');
  await page.locator('[data-testid="figures"]').scrollIntoViewIfNeeded();
  await shot('figures');

  await page.goto(new URL('/org/tickets', server.url).href);
  await page.locator('[data-testid="ticket"]').first().waitFor();
  await page.locator('[data-testid="ticket-list"]').scrollIntoViewIfNeeded();
  await shot('tickets');
  await page.locator(`[data-testid="ticket"][data-id="${tickets[2].id}"] [data-testid="ticket-open"]`).click();
  await page.locator('[data-testid="ticket-detail"]').waitFor();
  await page.locator('[data-testid="ticket-detail"]').scrollIntoViewIfNeeded();
  await shot('ticket');
  await page.goto(new URL('/org/webhooks', server.url).href);
  await page.locator('[data-testid="hook-form"]').waitFor();
  await page.fill('[data-testid="hook-url"]', 'https://hotline.example.gov.cn/forumcast');
  await page.check('#hook-ev-ticket-created');
  await page.check('#hook-ev-ticket-resolved');
  await page.click('[data-testid="hook-submit"]');
  await page.locator('[data-testid="webhook"]').waitFor();
  await shot('webhooks');
  console.log(shots.join('\n'));
} finally {
  await b.close();
  await helper.close();
  await server.stop();
}
