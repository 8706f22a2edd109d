// E2E: a resident opens the landing page served by the real server (--demo) in
// Chromium, sees the demo forum under "live" in zh-CN and in English, at phone size
// (no sideways scrolling, tap targets >= 44 px, WCAG AA text contrast), reaches the
// content by keyboard, and follows the forum to its page.
// Run: node tests/e2e/landing.test.mjs --forumcast build/<dir>/server/forumcast
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, LOCALES, PHONE, catalogue, gotoInLocale, layoutProblems, openBrowser } from './lib/browser.mjs';
import { demoForum } from './lib/demo.mjs';
import { startServer } from './lib/server.mjs';

let server;
before(async () => {
  server = await startServer({ demo: true });
});
after(async () => {
  if (server) await server.stop();
});

const demo = demoForum();

for (const locale of LOCALES) {
  test(`landing shows the live demo forum (${locale}, 360x640)`, async () => {
    const msg = catalogue(locale);
    const b = await openBrowser({ viewport: PHONE });
    try {
      const { page } = b;
      const response = await page.goto(server.url);
      assert.match(response.headers()['content-security-policy'] ?? '', /default-src 'self'/);
      await gotoInLocale(page, server.url, locale);

      const live = page.locator('[data-testid="group-live"]');
      await live.waitFor();
      assert.equal((await live.locator('h2').textContent()).trim(), msg['landing.live']);
      const card = live.locator('[data-testid="forum-card"]', { hasText: demo.title });
      await card.waitFor();
      assert.equal((await card.locator('[data-testid="forum-title"]').textContent()).trim(), demo.title);
      assert.equal((await card.locator('[data-testid="forum-state"]').textContent()).trim(), msg['state.live']);
      assert.equal(await page.title(), `${msg['landing.title']} · ${msg['app.brand']}`);

      // No sideways scrolling, tap targets >= 44 px, text contrast >= WCAG AA.
      assert.deepEqual(await layoutProblems(page), [], 'landing page at 360x640');

      // Keyboard: on a fresh load the first Tab reaches the skip link; following it
      // moves focus to <main> and leaves the page as it is.
      await page.reload();
      await page.waitForSelector('[data-testid="forum-card"]');
      await page.keyboard.press('Tab');
      const focused = () => page.evaluate(() => ({ id: document.activeElement?.id, text: document.activeElement?.textContent }));
      assert.equal((await focused()).text, msg['nav.skip']);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'main');
      assert.equal(await page.locator('[data-testid="forum-card"]', { hasText: demo.title }).count(), 1);

      // The card is a link to the resident page; the server's SPA fallback serves it.
      await card.locator('a').click();
      await page.waitForURL(/\/f\/[^/]+$/);
      const heading = page.locator('h1[data-testid="forum-title"]');
      await heading.waitFor();
      assert.equal((await heading.textContent()).trim(), demo.title);
      assert.deepEqual(await layoutProblems(page), [], 'forum page at 360x640');

      // A reload loads /f/<id> straight from the server, in the remembered language.
      await page.reload();
      await page.waitForSelector('h1[data-testid="forum-title"]');
      assert.equal(await page.getAttribute('html', 'lang'), locale);

      // An unknown forum gets a designed "not found" answer, not a blank page.
      await page.goto(new URL('/f/no-such-forum', server.url).href);
      await page.waitForSelector(`h1:has-text("${msg['forum.notFoundTitle']}")`);
      assert.deepEqual(await layoutProblems(page), [], 'not-found page at 360x640');

      assert.deepEqual(b.problems, [], 'console errors, page errors or CSP violations');
    } finally {
      await b.close();
    }
  });
}

test('landing passes the layout checks at desktop size too', async () => {
  const b = await openBrowser({ viewport: DESKTOP });
  try {
    await gotoInLocale(b.page, server.url, 'zh-CN');
    await b.page.locator('[data-testid="forum-card"]', { hasText: demo.title }).waitFor();
    assert.deepEqual(await layoutProblems(b.page), []);
    assert.deepEqual(b.problems, []);
  } finally {
    await b.close();
  }
});

test('landing shows its designed empty and error states, and retry works (en)', async () => {
  const msg = catalogue('en');
  const b = await openBrowser({ viewport: PHONE });
  try {
    const { page } = b;
    await gotoInLocale(page, server.url, 'en');
    await page.locator('[data-testid="forum-card"]', { hasText: demo.title }).waitFor();

    // No forums at all: the empty state, not a blank page.
    await page.route('**/api/v1/forums', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: '{"forums":[]}' }));
    await page.reload();
    const empty = page.locator('[data-testid="empty"]');
    await empty.waitFor();
    assert.equal(await empty.locator('.state-title').textContent(), msg['landing.emptyTitle']);
    await page.unroute('**/api/v1/forums');

    // The server cannot be reached: the error state says so and offers a retry.
    await page.route('**/api/v1/forums', (route) => route.abort('connectionrefused'));
    await page.reload();
    const error = page.locator('[data-testid="error"]');
    await error.waitFor();
    assert.equal(await error.locator('.state-body').textContent(), msg['error.network']);
    assert.deepEqual(await layoutProblems(page), [], 'error state at 360x640');
    await page.unroute('**/api/v1/forums');
    await error.locator('button', { hasText: msg['common.retry'] }).click();
    await page.locator('[data-testid="forum-card"]', { hasText: demo.title }).waitFor();
  } finally {
    await b.close();
  }
});
