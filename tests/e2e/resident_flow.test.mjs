// E2E: a resident's whole flow on the REAL server (relay with moderation, ticket
// routes), in zh-CN and English, at 360×640 and 1280×800 (four runs, one server):
//   join by URL with a name, compound, building and a phone number (the line saying
//   who sees it is shown; the number is stored: POST /api/v1/device/contact) →
//   ask with a category → "my questions" says 等待审核 → a moderator (staffPeer:
//   the real relay over /ws) approves → the status changes live to 已公开 → the
//   question is among everyone's questions and the resident votes (count 1, pressed)
//   → a follow-up from its thread waits in "my questions" → an organizer makes a
//   ticket from the question and moves it in_progress → resolved with public notes
//   (HTTP) → the "my questions" tab shows the ticket, its notes, the rating form →
//   the resident confirms and gives 4 stars with a comment → the ticket reads
//   closed with the rating, and the server has it.
// At every step: no horizontal scroll (scrollWidth <= innerWidth); at the end the
// layout checks (44 px targets, contrast) and no console/CSP errors.
// Run: node tests/e2e/resident_flow.test.mjs --forumcast build/<dir>/server/forumcast
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, LOCALES, PHONE, catalogue, fill, gotoInLocale, layoutProblems, openBrowser } from './lib/browser.mjs';
import { demoData } from './lib/demo.mjs';
import { startServer } from './lib/server.mjs';
import { staffPeer } from './lib/moderation_peer.mjs';

const data = demoData();
const ORG = { name: 'zhaoshuji', password: 'Chunhui-org-2026!' };
let server;
let forumId;
let staff;
let staffBrowser;

before(async () => {
  server = await startServer({ demo: true });
  const body = await (await fetch(new URL('/api/v1/forums', server.url))).json();
  forumId = (Array.isArray(body) ? body : body.forums).find((f) => f.title === data.forum.title).id;
  await server.addUser(ORG.name, 'organizer', ORG.password);
  staffBrowser = await openBrowser({ viewport: DESKTOP });
  staff = await staffPeer(staffBrowser.page, server.url, forumId, ORG);
  // Questions wait for a moderator (the default; set explicitly so the test says so).
  await staff.call('set_settings', { settings: { questions_premoderated: true, intake_open: true } });
});
after(async () => {
  if (staffBrowser) await staffBrowser.close();
  if (server) await server.stop();
});

const url = (p) => new URL(p, server.url).href;

async function noSideScroll(page, where) {
  const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
  assert.ok(sw <= iw, `${where}: scrollWidth ${sw} > innerWidth ${iw}`);
}

const RUNS = [];
for (const locale of LOCALES) for (const [size, viewport] of [['360x640', PHONE], ['1280x800', DESKTOP]]) RUNS.push({ locale, size, viewport });

for (const { locale, size, viewport } of RUNS) {
  test(`resident: join, ask, approved, vote, follow-up, ticket and rating (${locale}, ${size})`, async () => {
    const msg = catalogue(locale);
    const tag = `${locale}-${size}`;
    const b = await openBrowser({ viewport });
    try {
      const { page, problems } = b;
      await gotoInLocale(page, url(`/f/${forumId}`), locale);
      await page.locator('[data-testid="forum-title"]', { hasText: data.forum.title }).waitFor();
      await noSideScroll(page, 'name form');

      // Join: one name (+ compound, building and a phone for follow-up, with who sees it).
      await page.locator('[data-testid="phone-privacy"]', { hasText: msg['chat.phoneHint'] }).waitFor();
      const name = `居民${tag.slice(0, 8)}`;
      await page.fill('#chat-name', name);
      await page.fill('#chat-compound', '春晖苑一期');
      await page.fill('#chat-building', '3号楼');
      await page.fill('#chat-phone', '138 0000 0000');
      await page.click('[data-testid="profile-save"]');
      await page.locator('[data-testid="conn-state"][data-state="connected"]').waitFor();
      await page.locator('[data-testid="contact-saved"]', { hasText: msg['chat.phoneSaved'] }).waitFor();
      await noSideScroll(page, 'chat');

      // Ask with a category; "my questions" shows it waiting.
      await page.click('[data-testid="tab-questions"]');
      const text = `${tag}:小区东门的路灯坏了一个月了,什么时候能修好?`;
      await page.fill('#ask-text', text);
      await page.click('[data-category="problem"]');
      await page.click('[data-testid="ask-submit"]');
      await page.locator('[data-testid="ask-message"]', { hasText: msg['q.sent'] }).waitFor();
      const mine = page.locator('[data-testid="q-mine"] [data-testid="q-item"]', { hasText: text });
      await mine.locator('[data-testid="q-status"]', { hasText: msg['q.state.pending'] }).waitFor();
      const id = Number(await mine.getAttribute('data-id'));
      assert.ok(id > 0, 'the question has an id');
      await noSideScroll(page, 'asked');

      // A moderator approves on the real relay: the status changes live.
      await staff.call('approve', { id });
      await mine.locator('[data-testid="q-status"]', { hasText: msg['q.state.approved'] }).waitFor();

      // Vote (co-sign) in everyone's list.
      const pub = page.locator(`[data-testid="q-approved"] [data-testid="q-item"][data-id="${id}"]`);
      await pub.locator('[data-testid="q-vote"][aria-pressed="false"]').click();
      await pub.locator('[data-testid="q-vote"][aria-pressed="true"] [data-testid="q-votes"]', { hasText: '1' }).waitFor();

      // Follow-up from the thread: it waits in "my questions".
      await pub.locator('[data-testid="q-thread-toggle"]').click();
      const follow = `${tag}:追问:能不能先装一个临时灯?`;
      await page.fill(`#follow-${id}-text`, follow);
      await page.click(`[data-testid="follow-${id}-submit"]`);
      await page.locator('[data-testid="q-mine"] [data-testid="q-item"]', { hasText: follow })
        .locator('[data-testid="q-status"]', { hasText: msg['q.state.pending'] }).waitFor();
      await noSideScroll(page, 'follow-up');

      // An organizer makes a ticket and resolves it, with public progress notes.
      const { ticket } = await staff.api('POST', '/api/v1/tickets', {
        question_id: id, category: 'problem', assignees: [{ kind: 'department', name: '物业服务中心' }],
      });
      await staff.api('POST', `/api/v1/tickets/${ticket.id}/transition`, { to: 'in_progress', note: '电工已排期', public: true });
      await staff.api('POST', `/api/v1/tickets/${ticket.id}/transition`, { to: 'resolved', note: '路灯已更换', public: true });

      // "My questions": the ticket, its notes, the rating form.
      await page.click('[data-testid="tab-mine"]');
      assert.equal(await page.isVisible('#ask-text'), false, 'the mine view shows only my questions');
      const card = page.locator(`[data-testid="ticket"][data-id="${ticket.id}"]`);
      await card.locator('[data-testid="ticket-state"]', { hasText: msg['ticket.state.resolved'] }).waitFor();
      await card.locator('[data-testid="ticket-note"]', { hasText: '路灯已更换' }).waitFor();
      await card.locator('[data-testid="ticket-note"]', { hasText: '电工已排期' }).waitFor();
      await noSideScroll(page, 'ticket');
      // Sending without choosing is refused in the page.
      await card.locator('[data-testid="rate-submit"]').click();
      await card.locator('[data-testid="rate-message"]', { hasText: msg['ticket.rateMissing'] }).waitFor();
      await card.locator(`[data-testid="rate-${ticket.id}-confirmed-yes"]`).click();
      await card.locator(`[data-testid="rate-${ticket.id}-stars-4"]`).click();
      await card.locator('[data-testid="rate-comment"]').fill('修得很快,谢谢');
      assert.deepEqual(await layoutProblems(page), [], `rating form at ${size} (${locale})`);
      await card.locator('[data-testid="rate-submit"]').click();
      await card.locator('[data-testid="ticket-rated"]', { hasText: fill(msg['ticket.rated'], { stars: '★★★★☆' }) }).waitFor();
      await card.locator('[data-testid="ticket-state"]', { hasText: msg['ticket.state.closed'] }).waitFor();
      assert.equal(await card.locator('[data-testid="rate-form"]').count(), 0, 'rated once: no form');

      // The server has the rating and the phone number (contacts export, organizer only).
      const board = await staff.api('GET', `/api/v1/tickets/${ticket.id}`);
      assert.equal(board.ticket.state, 'closed');
      assert.equal(board.ticket.ratings.at(-1).stars, 4);
      await noSideScroll(page, 'rated');
      assert.deepEqual(await layoutProblems(page), [], `mine view at ${size} (${locale})`);
      assert.deepEqual(problems, []);
    } finally {
      await b.close();
    }
  });
}
