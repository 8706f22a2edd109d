// E2E: before the forum (state `collecting`, 议题征集) on the REAL server, in zh-CN and
// English, at 360×640 and 1280×800 (four runs, one server): the resident page opens on
// the questions tab with the forum's state, time, topic and — when the server has them
// (GET /api/v1/forums/<id>/program) — the agenda and panel (open, in the order given);
// otherwise no programme box at all. Questions collected so far (an organizer's offline question,
// approved at once) are listed to co-sign; the questions tab says a name is needed and
// its button leads to the name form; after joining, the resident co-signs (vote, count
// and pressed state from the server) and asks a question of their own, which waits in
// "my questions". No horizontal scroll; layout checks; no console errors.
// Run: node tests/e2e/resident_before.test.mjs --forumcast build/<dir>/server/forumcast
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, LOCALES, PHONE, catalogue, gotoInLocale, layoutProblems, openBrowser } from './lib/browser.mjs';
import { demoData } from './lib/demo.mjs';
import { startServer } from './lib/server.mjs';
import { staffPeer } from './lib/moderation_peer.mjs';

const data = demoData();
const ORG = { name: 'sunzhuren', password: 'Chunhui-org-2026!' };
let server;
let forumId;
let staff;
let staffBrowser;
let record; // the forum as GET /api/v1/forums/<id> answers
let program; // GET /api/v1/forums/<id>/program (agenda, panel)

before(async () => {
  server = await startServer({ demo: true });
  const body = await (await fetch(new URL('/api/v1/forums', server.url))).json();
  forumId = (Array.isArray(body) ? body : body.forums).find((f) => f.title === data.forum.title).id;
  const r = await server.cli(['forum', 'set-state', forumId, 'collecting']);
  assert.equal(r.code, 0, `forumcast forum set-state: ${r.stderr}${r.stdout}`);
  record = await (await fetch(new URL(`/api/v1/forums/${forumId}`, server.url))).json();
  assert.equal(record.state, 'collecting');
  // The programme (the demo forum has an agenda and a panel), when the server has the route.
  const prog = await fetch(new URL(`/api/v1/forums/${forumId}/program`, server.url));
  program = prog.ok ? await prog.json() : { agenda: [], panel: [] };
  await server.addUser(ORG.name, 'organizer', ORG.password);
  staffBrowser = await openBrowser({ viewport: DESKTOP });
  staff = await staffPeer(staffBrowser.page, server.url, forumId, ORG);
});
after(async () => {
  if (staffBrowser) await staffBrowser.close();
  if (server) await server.stop();
});

const url = (p) => new URL(p, server.url).href;
const noSideScroll = async (page, where) => {
  const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
  assert.ok(sw <= iw, `${where}: scrollWidth ${sw} > innerWidth ${iw}`);
};

for (const locale of LOCALES) {
  for (const [size, viewport] of [['360x640', PHONE], ['1280x800', DESKTOP]]) {
    test(`before the forum: programme, collected questions to co-sign, ask (${locale}, ${size})`, async () => {
      const msg = catalogue(locale);
      const tag = `${locale}-${size}`;
      // A question collected before this resident came (an organizer typed it in).
      const { question: collected } = await staff.call('offline_question', { text: `${tag}:菜市场门口的非机动车能不能规范停放?`, name: '李阿姨', compound: '春晖苑二期' });
      assert.equal(collected.state, 'approved');
      const b = await openBrowser({ viewport });
      try {
        const { page, problems } = b;
        await gotoInLocale(page, url(`/f/${forumId}`), locale);
        await page.locator('[data-testid="forum-state"][data-state="collecting"]', { hasText: msg['state.collecting'] }).waitFor();
        if (record.topic) await page.locator('.forum-head .lead', { hasText: record.topic }).waitFor();
        // The programme, when the forum has one; nothing otherwise.
        const agenda = Array.isArray(program.agenda) ? program.agenda : [];
        const panel = Array.isArray(program.panel) ? program.panel : [];
        if (agenda.length || panel.length) {
          await page.locator('[data-testid="programme"][open]').waitFor();
          assert.deepEqual(await page.locator('[data-testid="agenda-item"] > span:first-child').allInnerTexts(), agenda.map((a) => a.title));
          assert.deepEqual(await page.locator('[data-testid="panelist"] .panelist-name').allInnerTexts(), panel.map((p) => p.name));
        } else {
          assert.equal(await page.locator('[data-testid="programme"]').count(), 0, 'no programme box without a programme');
        }
        // Opens on the questions: the collected one is there to co-sign.
        assert.equal(await page.getAttribute('[data-testid="tab-questions"]', 'aria-selected'), 'true');
        const item = page.locator(`[data-testid="q-approved"] [data-testid="q-item"][data-id="${collected.id}"]`);
        await item.waitFor();
        await noSideScroll(page, 'collecting, before joining');
        // A name first: the notice's button leads to the form.
        await page.locator('[data-testid="q-need-name"]', { hasText: msg['q.needName'] }).locator('button').click();
        await page.waitForFunction(() => document.activeElement?.id === 'chat-name');
        await page.fill('#chat-name', `王${tag.slice(0, 5)}`);
        await page.click('[data-testid="profile-save"]');
        await page.locator('[data-testid="conn-state"][data-state="connected"]').waitFor();
        await page.click('[data-testid="tab-questions"]');
        assert.equal(await page.locator('[data-testid="q-need-name"]').count(), 0);
        // Co-sign.
        await item.locator('[data-testid="q-vote"][aria-pressed="false"]').click();
        await item.locator('[data-testid="q-vote"][aria-pressed="true"] [data-testid="q-votes"]', { hasText: '1' }).waitFor();
        // Ask one of their own: it waits for a moderator in "my questions".
        const text = `${tag}:能不能在议题里加上电梯加装?`;
        await page.fill('#ask-text', text);
        await page.click('[data-testid="ask-submit"]');
        await page.locator('[data-testid="q-mine"] [data-testid="q-item"]', { hasText: text })
          .locator('[data-testid="q-status"]', { hasText: msg['q.state.pending'] }).waitFor();
        await noSideScroll(page, 'collecting, asked');
        assert.deepEqual(await layoutProblems(page), [], `collecting at ${size} (${locale})`);
        assert.deepEqual(problems, []);
      } finally {
        await b.close();
      }
    });
  }
}
