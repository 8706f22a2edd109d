// E2E: the tickets board /org/tickets against the real server (--demo), in zh-CN and
// English. A moderator on the real relay enters a question (offline_question); the
// organizer makes a ticket from it on the board (department, category), opens it, moves
// it assigned → in_progress (public note) → resolved, and the filters find it by status
// and category; an overdue ticket is highlighted; a session that ends while the board
// is open sends the organizer to /login?next=…&expired=1 on the next action.
// Run: FORUMCAST_E2E_WEB_ROOT=/tmp/org-dist node tests/e2e/org_tickets.test.mjs --forumcast build/<dir>/server/forumcast
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DESKTOP, LOCALES, PHONE, catalogue, gotoInLocale, layoutProblems, openBrowser } from './lib/browser.mjs';
import { REPO_ROOT, startServer } from './lib/server.mjs';
import { staffPeer } from './lib/moderation_peer.mjs';

const orgCatalogue = (locale) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'web-client', 'src', 'i18n', 'org', `${locale}.json`), 'utf8'));
const FORUM = 'demoforum4';

let server;
let peer;
let peerBrowser;
before(async () => {
  server = await startServer({ demo: true, extraArgs: ['--limits.login_attempts_per_minute', '100'] });
  await server.addUser('tickets-mod', 'moderator', 'Tickets-Mod-2026!');
  peerBrowser = await openBrowser({ viewport: DESKTOP });
  peer = await staffPeer(peerBrowser.page, server.url, FORUM, { name: 'tickets-mod', password: 'Tickets-Mod-2026!' });
});
after(async () => {
  if (peerBrowser) await peerBrowser.close();
  if (server) await server.stop();
});

const text = async (locator) => ((await locator.textContent()) ?? '').trim();

async function login(page, name, password, locale, next) {
  await gotoInLocale(page, new URL(`/login?next=${encodeURIComponent(next)}`, server.url).href, locale);
  await page.locator('[data-testid="login-form"]').waitFor();
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await page.click('[data-testid="login-submit"]');
  await page.waitForURL((u) => u.pathname === next);
}

for (const locale of LOCALES) {
  test(`organizer makes a ticket from a question and moves it on the board (${locale}, 1280x800)`, async () => {
    const org = orgCatalogue(locale);
    const questionText = locale === 'en' ? 'The street light by gate 3 has been out for two weeks.' : '3号门旁边的路灯坏了两个星期了,晚上很黑。';
    const { question } = await peer.call('offline_question', { text: questionText, name: locale === 'en' ? 'Mrs Li' : '李阿姨', compound: locale === 'en' ? 'Spring Garden' : '春晖苑一期', category: 'problem' });
    const name = `tk-${locale.toLowerCase()}`;
    const password = `Tickets-${locale}-2026!`;
    await server.addUser(name, 'organizer', password);
    const b = await openBrowser({ viewport: DESKTOP });
    try {
      const { page } = b;
      await login(page, name, password, locale, '/org/tickets');
      await page.locator('[data-testid="ticket-count"]').waitFor();
      assert.equal(await text(page.locator('h1')), org['tickets.pageTitle']);

      // New ticket from the question.
      await page.click('[data-testid="new-ticket-box"] summary');
      await page.selectOption('[data-testid="nt-forum"]', FORUM);
      await page.waitForFunction((id) => !!document.querySelector(`[data-testid="nt-question"] option[value="${id}"]`), question.id);
      await page.selectOption('[data-testid="nt-question"]', String(question.id));
      await page.selectOption('[data-testid="nt-category"]', 'service');
      const dept = locale === 'en' ? 'Street lighting office' : '市政路灯所';
      await page.fill('[data-testid="nt-assignee"]', dept);
      await page.click('[data-testid="nt-submit"]');
      const detail = page.locator('[data-testid="ticket-detail"]');
      await detail.waitFor();
      const ticketId = Number(await detail.getAttribute('data-id'));
      assert.ok(ticketId > 0);
      await detail.locator('[data-testid="ticket-state"][data-state="assigned"]').waitFor();
      assert.equal(await text(detail.locator('[data-testid="ticket-assignees"]')), dept);
      let tk = (await peer.api('GET', `/api/v1/tickets/${ticketId}`)).ticket;
      assert.equal(tk.question_id, question.id);
      assert.equal(tk.category, 'service');
      assert.equal(tk.state, 'assigned');
      // The card is on the board.
      const card = page.locator(`[data-testid="ticket"][data-id="${ticketId}"]`);
      await card.waitFor();

      // Move it: in_progress with a public note, then resolved.
      const note = locale === 'en' ? 'Electrician booked for Thursday.' : '已约电工周四来修。';
      await detail.locator('[data-testid="ticket-note"]').fill(note);
      await detail.locator('[data-testid="ticket-public"]').check();
      await detail.locator('[data-testid="ticket-move"][data-to="in_progress"]').click();
      await page.locator('[data-testid="ticket-detail"] [data-testid="ticket-state"][data-state="in_progress"]').waitFor();
      await page.locator(`[data-testid="ticket"][data-id="${ticketId}"][data-state="in_progress"]`).waitFor();
      tk = (await peer.api('GET', `/api/v1/tickets/${ticketId}`)).ticket;
      assert.equal(tk.state, 'in_progress');
      const last = tk.history[tk.history.length - 1];
      assert.deepEqual([last.to, last.note, last.public], ['in_progress', note, true]);
      await page.locator('[data-testid="ticket-detail"] [data-testid="ticket-history"] li', { hasText: note }).waitFor();
      // Only the legal moves are offered: from in_progress, "resolved".
      assert.deepEqual(await page.locator('[data-testid="ticket-detail"] [data-testid="ticket-move"]').evaluateAll((els) => els.map((e) => e.dataset.to)), ['resolved']);
      await page.click('[data-testid="ticket-detail"] [data-testid="ticket-move"][data-to="resolved"]');
      await page.locator(`[data-testid="ticket"][data-id="${ticketId}"][data-state="resolved"]`).waitFor();
      assert.equal((await peer.api('GET', `/api/v1/tickets/${ticketId}`)).ticket.state, 'resolved');

      // Filters: by status and category.
      await page.selectOption('[data-testid="filter-status"]', 'resolved');
      await page.locator(`[data-testid="ticket"][data-id="${ticketId}"]`).waitFor();
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="ticket"]')].every((e) => e.dataset.state === 'resolved'));
      await page.selectOption('[data-testid="filter-status"]', 'open');
      await page.waitForFunction((id) => !document.querySelector(`[data-testid="ticket"][data-id="${id}"]`), ticketId);
      await page.selectOption('[data-testid="filter-status"]', '');
      await page.selectOption('[data-testid="filter-category"]', 'service');
      await page.locator(`[data-testid="ticket"][data-id="${ticketId}"]`).waitFor();
      // Assignee (exact name, offered from the board's tickets) and compound.
      assert.ok(await page.locator(`#f-assignee-list option[value="${dept}"]`).count() === 1, 'assignee suggestions');
      await page.fill('[data-testid="filter-assignee"]', 'nobody');
      await page.press('[data-testid="filter-assignee"]', 'Enter');
      await page.locator('[data-testid="ticket-list"] [data-testid="empty"]').waitFor();
      await page.fill('[data-testid="filter-assignee"]', dept);
      await page.press('[data-testid="filter-assignee"]', 'Enter');
      await page.locator(`[data-testid="ticket"][data-id="${ticketId}"]`).waitFor();
      await page.fill('[data-testid="filter-compound"]', locale === 'en' ? 'Spring Garden' : '春晖苑一期');
      await page.press('[data-testid="filter-compound"]', 'Enter');
      await page.locator(`[data-testid="ticket"][data-id="${ticketId}"]`).waitFor();
      await page.fill('[data-testid="filter-assignee"]', '');
      await page.press('[data-testid="filter-assignee"]', 'Enter');
      await page.fill('[data-testid="filter-compound"]', '');
      await page.press('[data-testid="filter-compound"]', 'Enter');

      // An overdue ticket (due yesterday) is highlighted.
      const { question: q2 } = await peer.call('offline_question', { text: `${questionText} (2)`, category: 'need' });
      const overdue = (await peer.api('POST', '/api/v1/tickets', { question_id: q2.id, due_ms: Date.now() - 86400000, assignees: [{ kind: 'department', name: dept }] })).ticket;
      await page.selectOption('[data-testid="filter-category"]', '');
      await page.check('[data-testid="filter-overdue"]');
      const od = page.locator(`[data-testid="ticket"][data-id="${overdue.id}"]`);
      await od.waitFor();
      assert.match((await od.getAttribute('class')) ?? '', /org-overdue/);
      assert.equal(await text(od.locator('[data-testid="overdue"]')), org['ticket.overdue']);
      assert.equal(await page.locator(`[data-testid="ticket"][data-id="${ticketId}"]`).count(), 0, 'a resolved ticket is not overdue');

      // The session ends (cookie gone): the next action goes to the login, back here after.
      await b.context.clearCookies();
      await page.click('[data-testid="filter-overdue"]'); // the list reloads: 401
      await page.waitForURL(/\/login\?next=%2Forg%2Ftickets&expired=1$/);
      await page.locator('[data-testid="login-form"]').waitFor();
      await page.locator('[data-testid="login-message"] [role="alert"]', { hasText: catalogue(locale)['login.expired'] }).waitFor();
      await page.fill('#login-name', name);
      await page.fill('#login-password', password);
      await page.click('[data-testid="login-submit"]');
      await page.waitForURL(/\/org\/tickets$/);
      await page.locator('[data-testid="ticket-count"]').waitFor();

      assert.deepEqual(b.problems, [], 'console errors, page errors or CSP violations');
    } finally {
      await b.close();
    }
  });
}

test('the tickets board fits a 360x640 phone, with a ticket open (zh-CN)', async () => {
  const msg = catalogue('zh-CN');
  const { question } = await peer.call('offline_question', { text: '楼道里堆的杂物什么时候清走?', name: '王大爷', compound: '桂香小区', category: 'problem' });
  const tk = (await peer.api('POST', '/api/v1/tickets', { question_id: question.id })).ticket;
  await server.addUser('tk-phone', 'organizer', 'Tickets-Phone-2026!');
  const b = await openBrowser({ viewport: PHONE });
  try {
    const { page } = b;
    await login(page, 'tk-phone', 'Tickets-Phone-2026!', 'zh-CN', '/org/tickets');
    await page.locator(`[data-testid="ticket"][data-id="${tk.id}"] [data-testid="ticket-open"]`).click();
    await page.locator('[data-testid="ticket-detail"]').waitFor();
    assert.deepEqual(await layoutProblems(page), [], '/org/tickets with a ticket open at 360x640');
    // An open ticket can only be assigned (no state move is offered).
    assert.equal(await page.locator('[data-testid="ticket-detail"] [data-testid="ticket-move"]').count(), 0);
    await page.fill('[data-testid="assign-name"]', '物业服务中心');
    await page.click('[data-testid="assign-submit"]');
    await page.locator('[data-testid="ticket-detail"] [data-testid="ticket-state"][data-state="assigned"]').waitFor();
    assert.equal(await text(page.locator('h1')), JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'web-client/src/i18n/org/zh-CN.json'), 'utf8'))['tickets.pageTitle']);
    assert.ok(msg['staff.logout']);
    assert.deepEqual(b.problems, []);
  } finally {
    await b.close();
  }
});
