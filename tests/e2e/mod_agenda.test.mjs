// E2E (Chromium, real server): agenda items in the moderator console (issue 6). The demo
// forum (live, four agenda items) on the real relay; an organizer sets the item under
// discussion over HTTP; a resident (a WebSocket inside a second browser page) asks
// three questions without naming an item: during item A, during item B, with none.
//   The console shows each question's item; the filter narrows both lists to one item
//   or to "no item" and back to all; with the filter on A, the moderator selects the
//   question (j), presses `i`, picks B and presses Enter → the server answers, the row
//   stays where it was (marked as no longer in this filter) showing B, the resident's
//   own copy of the question says B; the filter on B then lists both B questions; the
//   organizer changes the current item and the console's "now" line follows the
//   `agenda_current` event. No console errors; nothing moved under the pointer.
// Run: node tests/e2e/mod_agenda.test.mjs --forumcast build/<dir>/server/forumcast
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DESKTOP, PHONE, gotoInLocale, openBrowser } from './lib/browser.mjs';
import { REPO_ROOT, startServer } from './lib/server.mjs';

const ORG = { name: 'zhaoxin', password: 'Jiedao-org-2026!' };
const MOD = { name: 'wangxiaomei', password: 'Chunhui-mod-2026!' };
const FORUM = 'demoforum4'; // live, with the demo agenda
const modCat = (locale) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'web-client', 'src', 'i18n', 'mod', `${locale}.json`), 'utf8'));
const fill = (s, p) => s.replace(/\{(\w+)\}/g, (m, k) => (k in p ? String(p[k]) : m));
let server;
let orgToken;

before(async () => {
  server = await startServer({ demo: true, extraArgs: ['--limits.login_attempts_per_minute', '100'] });
  await server.addUser(ORG.name, 'organizer', ORG.password);
  await server.addUser(MOD.name, 'moderator', MOD.password);
  const r = await fetch(new URL('/api/v1/login', server.url), {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ORG),
  });
  orgToken = (await r.json()).token;
});
after(async () => {
  if (server) await server.stop();
});

const url = (p) => new URL(p, server.url).href;

async function asOrganizer(method, p, body) {
  const r = await fetch(url(p), {
    method,
    headers: { authorization: `Bearer ${orgToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await r.json();
  assert.ok(r.ok, `${method} ${p}: ${JSON.stringify(data)}`);
  return data;
}

/** A resident joined over the real relay inside `page`; returns send(op, fields) -> reply. */
async function residentOver(page, name) {
  await page.goto(url('/'));
  await page.evaluate(async ({ forum, name }) => {
    const { device_token } = await (await fetch('/api/v1/device', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
    const ws = new WebSocket(`ws://${location.host}/ws`, 'forumcast.v1');
    const waiting = new Map();
    window.events = [];
    let rid = 0;
    ws.onmessage = (m) => {
      for (const x of [JSON.parse(m.data)].flat()) {
        if (x.rid && waiting.has(x.rid)) {
          waiting.get(x.rid)(x);
          waiting.delete(x.rid);
        } else if (x.ev) window.events.push(x);
      }
    };
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    window.send = (msg) => new Promise((resolve) => {
      rid += 1;
      waiting.set(rid, resolve);
      ws.send(JSON.stringify({ ...msg, rid }));
    });
    const joined = await window.send({ op: 'join', forum, device: device_token, name });
    if (!joined.ok) throw new Error(JSON.stringify(joined));
  }, { forum: FORUM, name });
  return (op, fields = {}) => page.evaluate((m) => window.send(m), { op, ...fields });
}

const rowIds = (list) => list.locator('[data-testid="mod-row"]').evaluateAll((rs) => rs.map((r) => Number(r.dataset.id)));

test('moderator filters the queue by agenda item and moves a question to another item', async () => {
  const zh = modCat('zh-CN');
  const { agenda } = await asOrganizer('GET', `/api/v1/forums/${FORUM}/agenda`);
  assert.ok(agenda.length >= 2, JSON.stringify(agenda));
  const [A, B] = agenda;
  const console_ = await openBrowser({ viewport: DESKTOP });
  const res = await openBrowser({ viewport: PHONE });
  try {
    const send = await residentOver(res.page, '刘阿姨');
    const ask = async (text) => {
      const r = await send('ask', { text });
      assert.equal(r.ok, true, JSON.stringify(r));
      return r.question;
    };
    // No item named: each belongs to the item under discussion when it was asked.
    await asOrganizer('POST', `/api/v1/forums/${FORUM}/agenda/current`, { item_id: A.id });
    const qa = await ask('广场改造期间,老人晨练去哪里?');
    await asOrganizer('POST', `/api/v1/forums/${FORUM}/agenda/current`, { item_id: B.id });
    const qb = await ask('电梯年检报告能不能贴在大堂?');
    await asOrganizer('POST', `/api/v1/forums/${FORUM}/agenda/current`, { item_id: null });
    const qn = await ask('社区食堂什么时候开?');
    assert.deepEqual([qa.agenda_item, qb.agenda_item, qn.agenda_item], [A.id, B.id, null]);
    // An item of no agenda is refused.
    const bad = await send('ask', { text: '这个问题属于哪一项?', agenda_item: 987654 });
    assert.equal(bad.error?.code, 'unknown_agenda_item');

    const p = console_.page;
    await gotoInLocale(p, url(`/mod/${FORUM}`), 'zh-CN');
    await p.waitForURL(/\/login\?next=/);
    await p.fill('#login-name', MOD.name);
    await p.fill('#login-password', MOD.password);
    await p.click('[data-testid="login-submit"]');
    await p.waitForURL(new RegExp(`/mod/${FORUM}$`));
    await p.locator('[data-testid="conn-state"][data-state="connected"]').waitFor();
    const pending = p.locator('[data-testid="mod-pending"]');
    const row = (q) => pending.locator(`[data-testid="mod-row"][data-id="${q.id}"]`);
    for (const q of [qa, qb, qn]) await row(q).waitFor();
    // Each row shows its item (title), or that it has none.
    assert.equal(await row(qa).locator('[data-testid="mod-row-item"]').textContent(), A.title);
    assert.equal(await row(qb).locator('[data-testid="mod-row-item"]').textContent(), B.title);
    assert.equal(await row(qn).locator('[data-testid="mod-row-item"]').textContent(), zh['modx.agenda.noneShort']);
    await p.locator('[data-testid="mod-agenda-now"]', { hasText: zh['modx.agenda.nowNone'] }).waitFor();

    // The filter: one item, no item, all.
    const filter = p.locator('[data-testid="mod-agenda-filter"]');
    await filter.selectOption(String(A.id));
    await p.waitForFunction((id) => [...document.querySelectorAll('[data-testid="mod-pending"] [data-testid="mod-row"]')].map((r) => r.dataset.id).join() === String(id), qa.id);
    await filter.selectOption('none');
    await p.waitForFunction((id) => [...document.querySelectorAll('[data-testid="mod-pending"] [data-testid="mod-row"]')].map((r) => r.dataset.id).join() === String(id), qn.id);
    await filter.selectOption('all');
    await row(qa).waitFor();
    assert.equal((await rowIds(pending)).length, 3);

    // Keyboard: filter on A, select the question, i, pick B, Enter.
    await filter.selectOption(String(A.id));
    await row(qb).waitFor({ state: 'detached' });
    await filter.evaluate((el) => el.blur()); // the console keys work outside form fields
    await p.keyboard.press('j');
    await p.locator(`[data-testid="mod-row"][data-id="${qa.id}"][aria-selected="true"]`).waitFor();
    const before = await rowIds(pending);
    await p.keyboard.press('i');
    const pick = p.locator('[data-testid="mod-agenda-item"]');
    assert.equal(await pick.evaluate((el) => el === document.activeElement), true);
    assert.equal(await pick.inputValue(), String(A.id));
    await pick.selectOption(String(B.id));
    await pick.press('Enter');
    // The row stays in place, marked, and shows the new item.
    await p.locator(`[data-testid="mod-row"][data-id="${qa.id}"][data-item="${B.id}"].mq-elsewhere`).waitFor();
    assert.deepEqual(await rowIds(pending), before);
    assert.equal(await row(qa).locator('[data-testid="mod-row-item"]').textContent(), B.title);
    // The asker's copy (a change of a pending question goes to its device) says B.
    await res.page.waitForFunction(({ id, item }) => window.events.some((e) => e.ev === 'question' && e.op === 'set_agenda_item' && e.question.id === id && e.question.agenda_item === item), { id: qa.id, item: B.id });

    // Filter on B: both B questions, the moved one no longer marked.
    await filter.selectOption(String(B.id));
    await row(qb).waitFor();
    assert.deepEqual((await rowIds(pending)).sort(), [qa.id, qb.id].sort());
    assert.equal(await pending.locator('.mq-elsewhere').count(), 0);

    // The organizer moves the discussion on: the console's "now" line follows.
    await asOrganizer('POST', `/api/v1/forums/${FORUM}/agenda/current`, { item_id: B.id });
    await p.locator('[data-testid="mod-agenda-now"]', { hasText: fill(zh['modx.agenda.now'], { title: B.title }) }).waitFor();
    await p.locator(`[data-testid="mod-agenda-filter"] option[value="${B.id}"]`, { hasText: fill(zh['modx.agenda.optionNow'], { title: B.title }) }).waitFor({ state: 'attached' });

    assert.deepEqual(console_.problems, []);
  } finally {
    await Promise.all([console_.close(), res.close()]);
  }
});
