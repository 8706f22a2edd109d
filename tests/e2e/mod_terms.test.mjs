// E2E (Chromium, real server): the moderator console's blocked-term editor and its
// timeouts-and-bans panel, driven from the keyboard and the mouse by an organizer
// logged in through the page, against a resident whose comments go over the real
// relay (a WebSocket opened inside a second browser page):
//   the organizer types a term, picks "reject" and presses Enter → the row appears at
//   the end of the list and the resident's very next comment (騙 子, an evasion) is
//   refused with blocked_term; a "mask" term masks the next comment; the resident's
//   comment shows in the console, the organizer bans the author from it → the ban is
//   listed (permanent, active) and the resident is refused `banned`; Lift → the row
//   stays in place marked lifted and the resident comments again; removing the term
//   lets it through again; a moderator sees the list read-only (no form) and the
//   console shows the stream's health panel (idle: nothing is publishing).
// Run: node tests/e2e/mod_terms.test.mjs --forumcast build/<dir>/server/forumcast
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DESKTOP, PHONE, gotoInLocale, openBrowser } from './lib/browser.mjs';
import { REPO_ROOT, startServer } from './lib/server.mjs';

const ORG = { name: 'zhaoxin', password: 'Jiedao-org-2026!' };
const MOD = { name: 'wangxiaomei', password: 'Chunhui-mod-2026!' };
const FORUM = 'demoforum4'; // live, created by --demo
const modCat = (locale) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'web-client', 'src', 'i18n', 'mod', `${locale}.json`), 'utf8'));
const fill = (s, p) => s.replace(/\{(\w+)\}/g, (m, k) => (k in p ? String(p[k]) : m));
let server;

before(async () => {
  server = await startServer({ demo: true, extraArgs: ['--limits.login_attempts_per_minute', '100', '--chat.comment_burst', '1000'] });
  await server.addUser(ORG.name, 'organizer', ORG.password);
  await server.addUser(MOD.name, 'moderator', MOD.password);
});
after(async () => {
  if (server) await server.stop();
});

const url = (p) => new URL(p, server.url).href;

async function staffLogsIn(page, who) {
  await gotoInLocale(page, url(`/mod/${FORUM}`), 'zh-CN');
  await page.waitForURL(/\/login\?next=/);
  await page.fill('#login-name', who.name);
  await page.fill('#login-password', who.password);
  await page.click('[data-testid="login-submit"]');
  await page.waitForURL(new RegExp(`/mod/${FORUM}$`));
  await page.locator('[data-testid="conn-state"][data-state="connected"]').waitFor();
}

/** A resident joined over the real relay inside `page`; returns say(text) -> reply. */
async function residentOver(page, name) {
  await page.goto(url('/'));
  await page.evaluate(async ({ forum, name }) => {
    const { device_token } = await (await fetch('/api/v1/device', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json();
    const ws = new WebSocket(`ws://${location.host}/ws`, 'forumcast.v1');
    const waiting = new Map();
    let rid = 0;
    ws.onmessage = (m) => {
      for (const x of [JSON.parse(m.data)].flat()) {
        if (x.rid && waiting.has(x.rid)) {
          waiting.get(x.rid)(x);
          waiting.delete(x.rid);
        }
      }
    };
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const send = (msg) => new Promise((resolve) => {
      rid += 1;
      waiting.set(rid, resolve);
      ws.send(JSON.stringify({ ...msg, rid }));
    });
    const joined = await send({ op: 'join', forum, device: device_token, name });
    if (!joined.ok) throw new Error(JSON.stringify(joined));
    window.say = (text) => send({ op: 'comment', text });
  }, { forum: FORUM, name });
  return (text) => page.evaluate((t) => window.say(t), text);
}

const code = (reply) => reply?.error?.code ?? (reply?.ok ? 'ok' : 'none');

test('organizer edits blocked terms and lifts a ban from the console; each applies to the next comment', async () => {
  const zh = modCat('zh-CN');
  const console_ = await openBrowser({ viewport: DESKTOP });
  const res = await openBrowser({ viewport: PHONE });
  try {
    const p = console_.page;
    p.on('dialog', (d) => void d.accept());
    await staffLogsIn(p, ORG);
    const say = await residentOver(res.page, '王师傅');
    const panel = p.locator('[data-testid="mod-terms"]');
    await panel.locator('[data-testid="terms-count"]', { hasText: fill(zh['modx.terms.count'], { count: 0 }) }).waitFor();

    // Keyboard only: focus the term box, type, pick the action, Enter.
    await panel.locator('[data-testid="terms-input"]').focus();
    await p.keyboard.type('骗子');
    await panel.locator('[data-testid="terms-action"]').selectOption('reject');
    await panel.locator('[data-testid="terms-input"]').press('Enter');
    await panel.locator('[data-testid="terms-row"][data-term="骗子"][data-action="reject"]').waitFor();
    await p.locator('[data-testid="mod-status"]', { hasText: fill(zh['modx.terms.added'], { term: '骗子' }) }).waitFor();
    assert.equal(await panel.locator('[data-testid="terms-input"]').inputValue(), '');
    assert.equal(code(await say('物业是騙 子')), 'blocked_term');

    // A second term lands after the first (rows never reorder).
    await panel.locator('[data-testid="terms-input"]').fill('傻瓜');
    await panel.locator('[data-testid="terms-action"]').selectOption('mask');
    await panel.locator('[data-testid="terms-add"]').click();
    await panel.locator('[data-testid="terms-row"][data-term="傻瓜"]').waitFor();
    assert.deepEqual(await panel.locator('[data-testid="terms-row"]').evaluateAll((rs) => rs.map((r) => r.dataset.term)), ['骗子', '傻瓜']);
    assert.equal(code(await say('你个傻 瓜')), 'ok');
    await p.locator('[data-testid="mod-comment"]', { hasText: '你个＊＊＊' }).waitFor();

    // Ban the author from their comment; the ban is listed; the resident is refused.
    const item = p.locator('[data-testid="mod-comment"]', { hasText: '你个＊＊＊' });
    await item.locator('[data-testid="mod-ban"]').click();
    const ban = p.locator('[data-testid="mod-ban-item"]');
    await ban.first().waitFor();
    assert.equal(await ban.count(), 1);
    assert.equal(await ban.first().getAttribute('data-state'), 'active');
    assert.match(await ban.first().textContent(), new RegExp(zh['modx.bans.permanent']));
    // The row appears from the staff `ban` event, sent after the store's COMMIT.
    assert.equal(code(await say('我又来了')), 'banned');

    // Lift: the row stays where it was, marked; the resident may comment again.
    await ban.first().locator('[data-testid="mod-unban"]').click();
    await p.locator('[data-testid="mod-ban-item"][data-state="lifted"]').waitFor();
    assert.equal(await ban.count(), 1);
    assert.equal(code(await say('我改正了')), 'ok');

    // Removing the term lets it through again.
    await panel.locator('[data-testid="terms-row"][data-term="骗子"] [data-testid="terms-remove"]').click();
    await panel.locator('[data-testid="terms-row"][data-term="骗子"]').waitFor({ state: 'detached' });
    assert.equal(code(await say('骗子?不是')), 'ok');

    // The global list is the same editor with the other scope.
    await panel.locator('[data-testid="terms-scope"]').selectOption('global');
    await panel.locator('[data-testid="terms-count"]', { hasText: fill(zh['modx.terms.count'], { count: 0 }) }).waitFor();
    await panel.locator('[data-testid="terms-input"]').fill('加微信');
    await panel.locator('[data-testid="terms-action"]').selectOption('hold');
    await panel.locator('[data-testid="terms-input"]').press('Enter');
    await panel.locator('[data-testid="terms-row"][data-term="加微信"]').waitFor();
    const held = await say('加 微信 领红包');
    assert.equal(code(held), 'ok');
    assert.ok(held.held, JSON.stringify(held));
    await p.locator('[data-testid="mod-held-item"]', { hasText: '加微信' }).waitFor();

    assert.deepEqual(console_.problems, []);
  } finally {
    await Promise.all([console_.close(), res.close()]);
  }
});

test('a moderator sees the blocked terms read-only', async () => {
  const zh = modCat('zh-CN');
  const b = await openBrowser({ viewport: DESKTOP });
  try {
    await staffLogsIn(b.page, MOD);
    const panel = b.page.locator('[data-testid="mod-terms"]');
    await panel.locator('p', { hasText: zh['modx.terms.readOnly'] }).waitFor();
    assert.equal(await panel.locator('[data-testid="terms-form"]').count(), 0);
    assert.equal(await panel.locator('[data-testid="terms-remove"]').count(), 0);
    // The stream health panel (src/staff/stream_health.ts) is mounted: no publisher yet.
    await b.page.locator('[data-testid="stream-health-state"][data-state="idle"]').waitFor();
    assert.deepEqual(b.problems, []);
  } finally {
    await b.close();
  }
});
