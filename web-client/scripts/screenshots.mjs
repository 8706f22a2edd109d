#!/usr/bin/env node
// Takes the phone-size (360x640, 2x) zh-CN screenshots in docs/screenshots/ from the
// real server in demo mode, with the e2e harness (tests/e2e/lib). Run from the repo:
//   npm --prefix web-client run screenshots -- --forumcast build/release/server/forumcast
// Needs a current build of the client (npm run build) and of the server.
import fs from 'node:fs';
import path from 'node:path';
import { PHONE, catalogue, gotoInLocale, openBrowser } from '../../tests/e2e/lib/browser.mjs';
import { REPO_ROOT, startServer } from '../../tests/e2e/lib/server.mjs';

const outDir = path.join(REPO_ROOT, 'docs', 'screenshots');
fs.mkdirSync(outDir, { recursive: true });
const msg = catalogue('zh-CN');

const server = await startServer({ demo: true });
const b = await openBrowser({ viewport: PHONE, deviceScaleFactor: 2 });
const shots = [];
async function shot(name) {
  // Wait for web fonts/images (none external) and the end of any layout shift.
  await b.page.evaluate(() => document.fonts.ready);
  const file = path.join(outDir, `${name}.png`);
  await b.page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  shots.push(path.relative(REPO_ROOT, file));
}

try {
  const { page } = b;
  await gotoInLocale(page, server.url, 'zh-CN');
  await page.locator('[data-testid="forum-card"]').first().waitFor();
  await shot('landing-zh-CN');

  await page.locator('[data-testid="forum-card"] a').first().click();
  await page.locator('h1[data-testid="forum-title"]').waitFor();
  await shot('forum-zh-CN');

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
