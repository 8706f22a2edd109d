// E2E harness: Debian's Chromium driven by playwright-core (from web-client's
// node_modules; no browser download). Each call opens a fresh profile in a temp
// --user-data-dir, a phone-sized viewport by default, and records console errors,
// page errors and CSP violations so that a test can assert there were none.
// Also: the message catalogues, so tests expect exactly the strings users see.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from './server.mjs';

const require = createRequire(path.join(REPO_ROOT, 'web-client', 'package.json'));
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  throw new Error(`playwright-core is not installed in web-client/node_modules (run scripts/setup.sh or \`npm ci\` in web-client): ${e.message}`);
}

export const CHROMIUM = process.env.FORUMCAST_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const PHONE = { width: 360, height: 640 };
export const DESKTOP = { width: 1280, height: 800 };
export const LOCALES = ['zh-CN', 'en'];

/** The message catalogue of a locale, as the web client ships it. */
export function catalogue(locale) {
  const file = path.join(REPO_ROOT, 'web-client', 'src', 'i18n', `${locale}.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Fills {placeholders} the way the client's t() does. */
export function fill(template, params = {}) {
  return template.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}

/**
 * Opens Chromium with a fresh profile. Returns { context, page, problems, close() };
 * `problems` collects console errors (CSP violations among them), uncaught page errors,
 * server errors (5xx) and missing files (4xx outside /api/).
 */
export async function openBrowser({ viewport = PHONE, timezoneId = 'Asia/Shanghai', deviceScaleFactor = 1 } = {}) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forumcast-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    timezoneId,
    deviceScaleFactor,
    timeout: 30000,
  });
  context.setDefaultTimeout(10000);
  const problems = [];
  const watch = (page) => {
    page.on('console', (msg) => {
      // The browser logs every 4xx/5xx as "Failed to load resource"; API answers such
      // as 401 and 404 are expected, so responses are judged below instead.
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
        problems.push(`console: ${msg.text()}`);
      }
    });
    page.on('response', (res) => {
      const url = new URL(res.url());
      const api = url.pathname.startsWith('/api/');
      if (res.status() >= 500 || (!api && res.status() >= 400)) {
        problems.push(`HTTP ${res.status()} for ${url.pathname}`);
      }
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens `url` in the given locale: zh-CN is the default; for another locale the test
 * taps the language switch, which the client remembers in localStorage.
 */
export async function gotoInLocale(page, url, locale) {
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]');
  const current = await page.getAttribute('html', 'lang');
  if (current !== locale) {
    await page.click('[data-testid="lang-switch"]');
    await page.waitForSelector(`html[lang="${locale}"]`);
  }
}

/** True when the page can scroll sideways (what a phone user would notice first). */
export function hasHorizontalScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}
