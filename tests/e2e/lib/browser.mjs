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
  // Deadlines, not delays: generous because CI runs the sanitizer build of the server
  // next to other tests on two cores (a login hashes with Argon2id under ASan).
  context.setDefaultTimeout(20000);
  context.setDefaultNavigationTimeout(30000);
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

/**
 * Visible links, buttons and inputs smaller than `min` CSS pixels in either dimension
 * (WCAG 2.5.5's 44 px). Returns descriptions of the offenders; [] when all are fine.
 */
export function smallTapTargets(page, min = 44) {
  return page.evaluate((min) => {
    const out = [];
    for (const el of document.querySelectorAll('a[href], button, input, select, textarea')) {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden') continue;
      if (r.bottom < 0 || r.right < 0 || r.top > innerHeight * 4) continue; // off-screen (skip link)
      if (r.width < min || r.height < min) {
        out.push(`${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('name') || '').trim()}" ${Math.round(r.width)}x${Math.round(r.height)}`);
      }
    }
    return out;
  }, min);
}

/**
 * Text whose contrast against its effective background is below WCAG AA (4.5:1, or
 * 3:1 for large text: >= 24 px, or >= 18.67 px bold). Returns descriptions; [] if none.
 */
export function lowContrastText(page) {
  return page.evaluate(() => {
    const parse = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const lum = ({ r, g, b }) => {
      const f = (v) => {
        v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const blend = (fg, bg) => ({
      r: fg.r * fg.a + bg.r * (1 - fg.a),
      g: fg.g * fg.a + bg.g * (1 - fg.a),
      b: fg.b * fg.a + bg.b * (1 - fg.a),
      a: 1,
    });
    const background = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0) {
          layers.push(c);
          if (c.a >= 1) break;
        }
      }
      let bg = { r: 255, g: 255, b: 255, a: 1 };
      for (const c of layers.reverse()) bg = blend(c, bg);
      return bg;
    };
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || seen.has(el) || !n.textContent.trim()) continue;
      seen.add(el);
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || r.bottom < 0) continue;
      const bg = background(el);
      let fg = parse(style.color);
      fg = blend({ ...fg, a: fg.a * Number(style.opacity) }, bg);
      const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) out.push(`"${n.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`);
    }
    return out;
  });
}

/** Runs the phone-layout checks every page must pass; returns a list of problems. */
export async function layoutProblems(page) {
  const problems = [];
  if (await hasHorizontalScroll(page)) problems.push('scrolls sideways');
  problems.push(...(await smallTapTargets(page)).map((s) => `small tap target: ${s}`));
  problems.push(...(await lowContrastText(page)).map((s) => `low contrast: ${s}`));
  return problems;
}
