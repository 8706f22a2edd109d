// E2E: staff login through the page against the real server. An organizer created
// with the CLI logs in and sees who is logged in; a wrong password shows the
// catalogue's message; logout ends the session (the staff page then asks to log in).
// A moderator lands on /mod and is told /org is not for them. A session revoked while a
// staff page is open leads back to the login with "session expired" and, after logging
// in again, to the same page. In zh-CN and English.
// Run: node tests/e2e/login.test.mjs --forumcast build/<dir>/server/forumcast
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { LOCALES, PHONE, catalogue, fill, gotoInLocale, layoutProblems, openBrowser } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';

let server;
before(async () => {
  // More logins than the default 10 a minute from one address.
  server = await startServer({ demo: true, extraArgs: ['--limits.login_attempts_per_minute', '100'] });
});
after(async () => {
  if (server) await server.stop();
});

const text = async (locator) => ((await locator.textContent()) ?? '').trim();

async function submitLogin(page, name, password) {
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await page.click('[data-testid="login-submit"]');
}

for (const locale of LOCALES) {
  test(`organizer logs in and out (${locale})`, async () => {
    const msg = catalogue(locale);
    const name = locale === 'en' ? 'zhouwen' : 'wanghongmei';
    const password = `Chunhui-${locale}-2026!`;
    await server.addUser(name, 'organizer', password);

    const b = await openBrowser({ viewport: PHONE });
    try {
      const { page } = b;
      await gotoInLocale(page, server.url, locale);
      await page.click('[data-testid="staff-login-link"]');
      await page.waitForURL(/\/login$/);
      await page.locator('[data-testid="login-form"]').waitFor(); // the URL changes before the page is drawn
      assert.equal(await text(page.locator('h1')), msg['login.title']);
      assert.equal(await text(page.locator('label[for="login-name"]')), msg['login.name']);
      assert.equal(await text(page.locator('label[for="login-password"]')), msg['login.password']);

      // Nothing typed: the form says what is missing without asking the server.
      await page.click('[data-testid="login-submit"]');
      await page.locator('[data-testid="login-message"] [role="alert"]', { hasText: msg['login.missing'] }).waitFor();

      // Wrong password: the catalogue's message, the name kept, the password cleared.
      await submitLogin(page, name, 'not-the-password');
      await page.locator('[data-testid="login-message"] [role="alert"]', { hasText: msg['error.bad_credentials'] }).waitFor();
      assert.equal(await page.inputValue('#login-name'), name);
      assert.equal(await page.inputValue('#login-password'), '');
      assert.match(page.url(), /\/login$/);
      assert.deepEqual(await layoutProblems(page), [], 'login page with its error at 360x640');

      // Right password: on to the organizer page, which says who is logged in.
      await submitLogin(page, name, password);
      await page.waitForURL(/\/org$/);
      const who = page.locator('[data-testid="logged-in-as"]');
      await who.waitFor();
      assert.equal(await text(who), fill(msg['staff.loggedInAs'], { name }));
      assert.equal(await text(page.locator('h1')), msg['staff.orgTitle']);
      assert.deepEqual(await layoutProblems(page), [], 'organizer page at 360x640');

      // The session survives a reload (HttpOnly cookie).
      await page.reload();
      await page.locator('[data-testid="logged-in-as"]').waitFor();

      // Logout: back to the login page with a confirmation; /org now asks to log in.
      await page.click('[data-testid="logout"]');
      await page.waitForURL(/\/login\?logged_out=1$/);
      await page.locator('[data-testid="login-message"] [role="status"]', { hasText: msg['login.loggedOut'] }).waitFor();
      await page.goto(new URL('/org', server.url).href);
      await page.waitForURL(/\/login\?next=%2Forg(&|$)/);
      await page.locator('[data-testid="login-form"]').waitFor();
      assert.equal(await text(page.locator('h1')), msg['login.title']);

      assert.deepEqual(b.problems, [], 'console errors, page errors or CSP violations');
    } finally {
      await b.close();
    }
  });
}

test('moderator lands on /mod and may not use /org (zh-CN)', async () => {
  const msg = catalogue('zh-CN');
  await server.addUser('lijianguo', 'moderator', 'Guixiang-li-2026!');
  const b = await openBrowser({ viewport: PHONE });
  try {
    const { page } = b;
    await gotoInLocale(page, new URL('/login', server.url).href, 'zh-CN');
    await submitLogin(page, 'lijianguo', 'Guixiang-li-2026!');
    await page.waitForURL(/\/mod$/);
    await page.locator('[data-testid="logged-in-as"]', { hasText: fill(msg['staff.loggedInAs'], { name: 'lijianguo' }) }).waitFor();
    assert.equal(await text(page.locator('h1')), msg['staff.modTitle']);

    await page.goto(new URL('/org', server.url).href);
    await page.locator('[data-testid="error"]', { hasText: msg['staff.forbiddenTitle'] }).waitFor();
    assert.deepEqual(b.problems, []);
  } finally {
    await b.close();
  }
});

for (const locale of LOCALES) {
  test(`a session that ends while a staff page is open: login says it expired, then back (${locale})`, async () => {
    const msg = catalogue(locale);
    const name = `zhaomod${locale === 'en' ? 'en' : 'zh'}`;
    const password = `Expiry-${locale}-2026!`;
    await server.addUser(name, 'moderator', password);
    const b = await openBrowser({ viewport: PHONE });
    try {
      const { page } = b;
      const forums = await (await fetch(new URL('/api/v1/forums', server.url))).json();
      const id = (Array.isArray(forums) ? forums : forums.forums)[0].id;
      const here = new RegExp(`/mod/${id}$`);
      await gotoInLocale(page, new URL(`/mod/${id}`, server.url).href, locale);
      await page.waitForURL(new RegExp(`/login\\?next=%2Fmod%2F${id}$`));
      await page.locator('[data-testid="login-message"] [role="status"]', { hasText: msg['login.required'] }).waitFor();
      await submitLogin(page, name, password);
      await page.waitForURL(here);
      await page.locator('[data-testid="conn-state"]').first().waitFor();
      // The session is revoked elsewhere (the server's logout with this tab's token).
      const token = await page.evaluate(() => sessionStorage.getItem('forumcast.session'));
      assert.ok(token, 'the tab keeps its WebSocket token');
      const r = await fetch(new URL('/api/v1/logout', server.url), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
      assert.equal(r.status, 200);
      await page.reload();
      await page.waitForURL(new RegExp(`/login\\?next=%2Fmod%2F${id}&expired=1$`));
      await page.locator('[data-testid="login-message"] [role="alert"]', { hasText: msg['login.expired'] }).waitFor();
      await submitLogin(page, name, password);
      await page.waitForURL(here);
      await page.locator('[data-testid="conn-state"]').first().waitFor();
      assert.deepEqual(b.problems, []);
    } finally {
      await b.close();
    }
  });
}
