// E2E: /org/webhooks against the real server (--demo). An organizer registers an https
// endpoint for two ticket events of the demo forum (the secret is shown once and is the
// one the server keeps: not in the list afterwards), a plain http:// address is refused
// with the catalogue's message, the endpoint is disabled and enabled again; the page
// passes the phone layout checks. zh-CN at 360×640 and en at 1280×800.
// Run: FORUMCAST_E2E_WEB_ROOT=/tmp/org-dist node tests/e2e/org_webhooks.test.mjs --forumcast build/<dir>/server/forumcast
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DESKTOP, PHONE, gotoInLocale, layoutProblems, openBrowser } from './lib/browser.mjs';
import { REPO_ROOT, startServer } from './lib/server.mjs';

const orgCatalogue = (locale) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'web-client', 'src', 'i18n', 'org', `${locale}.json`), 'utf8'));

let server;
before(async () => {
  server = await startServer({ demo: true });
});
after(async () => {
  if (server) await server.stop();
});

for (const [locale, viewport, size] of [['zh-CN', PHONE, '360x640'], ['en', DESKTOP, '1280x800']]) {
  test(`organizer registers, disables and enables a webhook (${locale}, ${size})`, async () => {
    const org = orgCatalogue(locale);
    const name = `hooks-${locale.toLowerCase()}`;
    const password = `Hooks-${locale}-2026!`;
    await server.addUser(name, 'organizer', password);
    const b = await openBrowser({ viewport });
    try {
      const { page } = b;
      await gotoInLocale(page, new URL('/login?next=%2Forg%2Fwebhooks', server.url).href, locale);
      await page.fill('#login-name', name);
      await page.fill('#login-password', password);
      await page.click('[data-testid="login-submit"]');
      await page.waitForURL(/\/org\/webhooks$/);
      await page.locator('[data-testid="hook-form"]').waitFor();
      await page.locator('[data-testid="webhook-list"] [data-testid="webhook"], [data-testid="webhook-list"] [data-testid="empty"]').first().waitFor();

      // Plain http to a non-loopback host is refused by the server.
      await page.fill('[data-testid="hook-url"]', 'http://hotline.example/forumcast');
      await page.click('[data-testid="hook-submit"]');
      await page.locator('[data-testid="hook-form"] [role="alert"]', { hasText: org['err.invalid_webhook_url'] }).waitFor();

      const url = `https://hotline.example/forumcast/${locale}`;
      await page.fill('[data-testid="hook-url"]', url);
      await page.selectOption('[data-testid="hook-forum"]', 'demoforum4');
      await page.check('#hook-ev-ticket-created');
      await page.check('#hook-ev-ticket-resolved');
      await page.click('[data-testid="hook-submit"]');
      const secret = await page.locator('[data-testid="hook-secret"]').inputValue();
      assert.ok(secret.length >= 16, 'the secret is shown once');
      const row = page.locator('[data-testid="webhook"]', { hasText: url });
      await row.waitFor();
      assert.equal(await row.getAttribute('data-active'), 'true');
      const list = await page.evaluate(async () => (await (await fetch('/api/v1/webhooks')).json()).webhooks);
      const mine = list.find((w) => w.url === url);
      assert.deepEqual([mine.forum_id, [...mine.events].sort(), mine.active], ['demoforum4', ['ticket.created', 'ticket.resolved'], true]);
      assert.ok(!JSON.stringify(list).includes(secret), 'the list never includes the secret');
      if (viewport === PHONE) assert.deepEqual(await layoutProblems(page), [], '/org/webhooks at 360x640');

      await row.locator('[data-testid="webhook-disable"]').click();
      await page.locator(`[data-testid="webhook"][data-id="${mine.id}"][data-active="false"]`).waitFor();
      assert.equal((await page.evaluate(async () => (await (await fetch('/api/v1/webhooks')).json()).webhooks)).find((w) => w.id === mine.id).active, false);
      await page.locator(`[data-testid="webhook"][data-id="${mine.id}"] [data-testid="webhook-enable"]`).click();
      await page.locator(`[data-testid="webhook"][data-id="${mine.id}"][data-active="true"]`).waitFor();
      assert.deepEqual(b.problems, [], 'console errors, page errors or CSP violations');
    } finally {
      await b.close();
    }
  });
}
