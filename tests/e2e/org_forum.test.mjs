// E2E: the organizer pages against the real server (--demo), in zh-CN and English.
// An organizer logs in, creates a forum, edits its details, agenda and panel, moves it
// from draft to collecting (with the confirmation), shows and rotates the stream key,
// prints the QR poster (Chromium renders it for print as A4: a print-media screenshot
// and the PDF are decoded with zbarimg and must give the forum's URL; the PDF has one
// page) and downloads every export (non-empty, right content type). At 360×640 every
// organizer page passes the layout checks (no sideways scroll, 44 px targets, AA contrast).
// Run: FORUMCAST_E2E_WEB_ROOT=/tmp/org-dist node tests/e2e/org_forum.test.mjs --forumcast build/<dir>/server/forumcast
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DESKTOP, LOCALES, PHONE, catalogue, gotoInLocale, layoutProblems, openBrowser } from './lib/browser.mjs';
import { REPO_ROOT, startServer } from './lib/server.mjs';

const orgCatalogue = (locale) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'web-client', 'src', 'i18n', 'org', `${locale}.json`), 'utf8'));

/** Whether a UDP port on 127.0.0.1 can be bound now. */
function udpFree(port) {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    sock.once('error', () => { sock.close(); resolve(false); });
    sock.bind(port, '127.0.0.1', () => sock.close(() => resolve(true)));
  });
}
/** "first-last" of `n` consecutive free UDP ports, for stream.srt_ports. */
async function freeUdpRange(n) {
  for (let first = 30000 + (process.pid % 300) * 100; first < 60000; first += 53) {
    let all = true;
    for (let p = first; p < first + n && all; ++p) all = await udpFree(p);
    if (all) return `${first}-${first + n - 1}`;
  }
  throw new Error('no free UDP ports for SRT');
}

let server;
before(async () => {
  const srtPorts = await freeUdpRange(16); // the demo forums and the ones this test creates
  server = await startServer({ demo: true, extraArgs: ['--limits.login_attempts_per_minute', '100', '--stream.srt_ports', srtPorts] });
});
after(async () => {
  if (server) await server.stop();
});

const text = async (locator) => ((await locator.textContent()) ?? '').trim();
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'forumcast-org-'));
process.on('exit', () => fs.rmSync(tmpDir, { recursive: true, force: true }));

/** Decodes the QR codes in an image with Debian's zbarimg; returns the texts. */
function zbar(file) {
  const out = execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

async function login(page, name, password, locale) {
  await gotoInLocale(page, new URL('/login', server.url).href, locale);
  await page.locator('[data-testid="login-form"]').waitFor();
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await page.click('[data-testid="login-submit"]');
  await page.waitForURL(/\/org$/);
  await page.locator('[data-testid="org-forums"] [data-testid="org-forum"]').first().waitFor();
}

/** Status of an API call made with the page's session cookie. */
async function apiStatus(page, method, p) {
  return page.evaluate(async ({ method, p }) => (await fetch(p, { method, headers: { Accept: 'application/json' } })).status, { method, p });
}

async function apiJson(page, p) {
  return page.evaluate(async (p) => (await fetch(p, { headers: { Accept: 'application/json' } })).json(), p);
}

const forums = {};

for (const locale of LOCALES) {
  test(`organizer creates, edits and publishes a forum, streams, prints the poster, exports (${locale}, 1280x800)`, async () => {
    const msg = catalogue(locale);
    const org = orgCatalogue(locale);
    const name = `org-${locale.toLowerCase()}`;
    const password = `Forum-${locale}-Poster-2026!`;
    await server.addUser(name, 'organizer', password);
    const b = await openBrowser({ viewport: DESKTOP });
    try {
      const { page } = b;
      await login(page, name, password, locale);
      assert.equal(await text(page.locator('h1')), msg['staff.orgTitle']);
      // The demo forum is listed with its state.
      await page.locator('[data-testid="org-forum"][data-id="demoforum4"]').waitFor();

      // Create: an empty title is refused on the page; then a real one.
      await page.click('[data-testid="create-submit"]');
      await page.locator('[data-testid="create-form"] [role="alert"]', { hasText: org['forums.titleMissing'] }).waitFor();
      const title = locale === 'en' ? 'Riverside forum: the new bus stop' : '滨河社区议事会:新公交站设在哪里';
      await page.fill('#new-title', title);
      await page.fill('#new-topic', locale === 'en' ? 'Where the stop goes, and the crossing.' : '公交站的位置和人行横道。');
      await page.fill('#new-starts', '2026-12-20T19:30');
      await page.click('[data-testid="create-submit"]');
      await page.waitForURL(/\/org\/f\/[^/?]+\?created=1$/);
      const id = decodeURIComponent(new URL(page.url()).pathname.split('/')[3]);
      forums[locale] = id;
      await page.locator('[data-testid="created-note"]').waitFor();
      assert.equal(await text(page.locator('[data-testid="forum-title"]')), title);
      const created = await apiJson(page, `/api/v1/forums/${id}`);
      assert.equal(created.state, 'draft');
      assert.equal(created.title, title);
      assert.equal(new Date(created.starts_at).getTime(), Date.parse('2026-12-20T19:30:00+08:00'), 'start time in the browser time zone (Asia/Shanghai)');

      // The QR route: a draft's code is not public; the organizer's session may read it.
      const qrUrl = new URL(`/api/v1/forums/${id}/qr.svg`, server.url).href;
      assert.equal((await fetch(qrUrl)).status, 404, 'a draft has no public QR code');
      assert.equal(await apiStatus(page, 'GET', `/api/v1/forums/${id}/qr.svg`), 200);

      // Details: a new title (when the server has the edit route).
      // The follow-through's edit routes (server/forum_program_routes) are in this server.
      const editable = (await apiStatus(page, 'GET', `/api/v1/forums/${id}/agenda`)) === 200;
      assert.ok(editable, 'GET /api/v1/forums/<id>/agenda answers 200');
      const newTitle = `${title} (2)`;
      await page.fill('#edit-title', newTitle);
      await page.click('[data-testid="edit-save"]');
      if (editable) {
        await page.locator('[data-testid="edit-form"] [role="status"]', { hasText: org['common.saved'] }).waitFor();
        assert.equal((await apiJson(page, `/api/v1/forums/${id}`)).title, newTitle);
      } else {
        await page.locator('[data-testid="edit-form"] [role="alert"]', { hasText: org['edit.notAvailable'] }).waitFor();
      }

      // Agenda and panel.
      if (editable) {
        await page.click('[data-testid="agenda-add"]');
        await page.fill('#agenda-title-0', locale === 'en' ? 'Where the stop goes' : '公交站位置');
        await page.fill('#agenda-min-0', '25');
        await page.click('[data-testid="agenda-add"]');
        await page.fill('#agenda-title-1', locale === 'en' ? 'Open questions' : '自由提问');
        await page.fill('#agenda-min-1', '15');
        await page.click('[data-testid="agenda-save"]');
        await page.locator('[data-testid="agenda-editor"] [role="status"]', { hasText: org['common.saved'] }).waitFor();
        await page.locator('[data-testid="agenda-item"]').nth(1).locator('[data-testid="agenda-current"]').click();
        await page.locator('[data-testid="agenda-item"][data-current="true"]').waitFor();
        const agenda = await apiJson(page, `/api/v1/forums/${id}/agenda`);
        assert.deepEqual(agenda.agenda.map((a) => [a.title, a.planned_minutes]), [
          [locale === 'en' ? 'Where the stop goes' : '公交站位置', 25],
          [locale === 'en' ? 'Open questions' : '自由提问', 15],
        ]);
        assert.equal(agenda.current_item_id, agenda.agenda[1].id);

        await page.click('[data-testid="panel-add"]');
        await page.fill('#panel-name-0', locale === 'en' ? 'Zhou Wen' : '周文');
        await page.fill('#panel-title-0', locale === 'en' ? 'District deputy' : '区人大代表');
        await page.selectOption('#panel-role-0', 'deputy');
        await page.click('[data-testid="panel-save"]');
        await page.locator('[data-testid="panel-editor"] [role="status"]', { hasText: org['common.saved'] }).waitFor();
        const panel = await apiJson(page, `/api/v1/forums/${id}/panel`);
        assert.deepEqual(panel.panel.map((p) => [p.name, p.title, p.role]), [[locale === 'en' ? 'Zhou Wen' : '周文', locale === 'en' ? 'District deputy' : '区人大代表', 'deputy']]);
        // Both survive a reload.
        await page.reload();
        await page.locator('[data-testid="agenda-item"]').nth(1).waitFor();
        assert.equal(await page.inputValue('#panel-name-0'), locale === 'en' ? 'Zhou Wen' : '周文');
      } else {
        await page.locator('[data-testid="readonly-note"]').waitFor();
      }

      // State: draft → collecting, only after the confirmation.
      await page.click('[data-testid="state-next"]');
      await page.locator('[data-testid="state-confirm-box"]').waitFor();
      await page.click('[data-testid="state-cancel"]');
      await page.click('[data-testid="state-next"]');
      await page.locator('[data-testid="state-confirm"]').waitFor(); // focused: Escape cancels too
      await page.keyboard.press('Escape');
      await page.locator('[data-testid="state-confirm-box"]').waitFor({ state: 'detached' });
      assert.equal((await apiJson(page, `/api/v1/forums/${id}`)).state, 'draft', 'cancel changes nothing');
      await page.click('[data-testid="state-next"]');
      await page.click('[data-testid="state-confirm"]');
      await page.locator('[data-testid="state-now"]', { hasText: msg['state.collecting'] }).waitFor();
      assert.equal((await apiJson(page, `/api/v1/forums/${id}`)).state, 'collecting');
      const qr = await fetch(qrUrl);
      assert.equal(qr.status, 200, 'a collecting forum has a public QR code');
      assert.equal(qr.headers.get('content-type'), 'image/svg+xml');
      assert.equal(qr.headers.get('x-forumcast-url'), new URL(`/f/${id}`, server.url).href);
      assert.match(await qr.text(), /^<svg [^>]*shape-rendering="crispEdges"/);

      // Stream page: key hidden until asked, copy fields, rotation with a confirmation.
      await page.click('[data-testid="tab-stream"]');
      await page.locator('[data-testid="stream-key-hidden"]').waitFor();
      assert.match(await page.inputValue('[data-testid="rtmp-server"]'), /^rtmp:\/\/[^/]+:\d+\/live$/);
      assert.equal(await page.locator('[data-testid="stream-key"]').count(), 0, 'the key is not in the page before "show"');
      // The server gives a new forum its SRT port within one forum watch (2 s).
      let srt = null;
      for (const until = Date.now() + 10000; !srt && Date.now() < until;) {
        srt = (await apiJson(page, `/api/v1/forums/${id}/stream-key`)).srt_url;
        if (!srt) await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(srt, 'the forum got an SRT port');
      await page.click('[data-testid="stream-key-show"]');
      const key1 = await page.inputValue('[data-testid="stream-key"]');
      assert.equal(key1, (await apiJson(page, `/api/v1/forums/${id}/stream-key`)).stream_key);
      assert.equal(await page.inputValue('[data-testid="srt-url"]'), srt);
      assert.match(srt, new RegExp(`^srt://[^/?]+:\\d+\\?passphrase=${key1}&pbkeylen=16$`));
      await page.locator('[data-testid="stream-health"]').waitFor();
      await page.locator('[data-testid="obs-settings"]').waitFor();
      await page.click('[data-testid="rotate-key"]');
      await page.click('[data-testid="rotate-confirm"]');
      await page.locator('[data-testid="stream-key-card"] [role="status"]', { hasText: org['stream.rotated'] }).waitFor();
      const key2 = await page.inputValue('[data-testid="stream-key"]');
      assert.notEqual(key2, key1);
      assert.equal(key2, (await apiJson(page, `/api/v1/forums/${id}/stream-key`)).stream_key);
      assert.equal(await page.inputValue('[data-testid="srt-url"]'), srt.replace(key1, key2), 'the SRT URL carries the new key');

      // Poster: printed as A4, the QR code decodes to the forum's URL.
      const forumUrl = new URL(`/f/${id}`, server.url).href;
      await page.click('[data-testid="tab-poster"]');
      await page.locator('[data-testid="poster"]').waitFor();
      await page.waitForFunction(() => {
        const img = document.querySelector('[data-testid="poster-qr"]');
        return img && img.complete && img.naturalWidth > 0;
      });
      assert.equal(await text(page.locator('[data-testid="poster-title"]')), editable ? newTitle : title);
      assert.equal(await text(page.locator('[data-testid="poster-url"]')), forumUrl);
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi
      const png = path.join(tmpDir, `poster-${locale}.png`);
      await page.screenshot({ path: png, fullPage: true });
      assert.deepEqual(zbar(png), [forumUrl], 'print-media screenshot');
      assert.equal(await page.locator('.site-header').isVisible(), false, 'the page header is not printed');
      const pdf = path.join(tmpDir, `poster-${locale}.pdf`);
      await page.pdf({ path: pdf, format: 'A4', printBackground: true, preferCSSPageSize: true });
      const pdfText = fs.readFileSync(pdf, 'latin1');
      assert.equal((pdfText.match(/\/Type\s*\/Page[^s]/g) ?? []).length, 1, 'the poster is one A4 page');
      const pdfPng = path.join(tmpDir, `poster-${locale}-pdf.png`);
      execFileSync('gs', ['-q', '-dBATCH', '-dNOPAUSE', '-dSAFER', '-sDEVICE=pnggray', '-r150', `-sOutputFile=${pdfPng}`, pdf]);
      assert.deepEqual(zbar(pdfPng), [forumUrl], 'the PDF rendered by Ghostscript');
      await page.emulateMedia({ media: 'screen' });
      await page.setViewportSize(DESKTOP);

      // Exports from the live dashboard: every format downloads, non-empty, its content type.
      await page.click('[data-testid="tab-live"]');
      await page.locator('[data-testid="exports"]').waitFor();
      await page.locator('[data-testid="figures"]').waitFor();
      await page.locator('[data-testid="chart-activity"]').waitFor();
      const types = {
        json: 'application/json',
        csv: 'text/csv; charset=utf-8',
        xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        md: 'text/markdown; charset=utf-8',
        html: 'text/html; charset=utf-8',
        vtt: 'text/vtt; charset=utf-8',
      };
      for (const [format, type] of Object.entries(types)) {
        const link = page.locator(`[data-testid="export-${format}"]`);
        const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
        assert.equal(download.suggestedFilename(), `${id}-transcript.${format}`);
        const file = await download.path();
        assert.ok(fs.statSync(file).size > 0, `${format} download is empty`);
        const href = await link.getAttribute('href');
        const head = await page.evaluate(async (href) => {
          const r = await fetch(href);
          return { status: r.status, type: r.headers.get('content-type') };
        }, href);
        assert.deepEqual(head, { status: 200, type }, `${format} content type`);
        if (format === 'json') {
          const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
          assert.equal(doc.forum.id, id);
          assert.equal(doc.options.lang, locale);
        }
        if (format === 'xlsx') assert.equal(fs.readFileSync(file).subarray(0, 2).toString('latin1'), 'PK');
      }

      assert.deepEqual(b.problems, [], 'console errors, page errors or CSP violations');
    } finally {
      await b.close();
    }
  });
}

for (const locale of LOCALES) {
  test(`organizer pages fit a 360x640 phone (${locale})`, async () => {
    const name = `phone-${locale.toLowerCase()}`;
    const password = `Phone-${locale}-Org-2026!`;
    await server.addUser(name, 'organizer', password);
    const b = await openBrowser({ viewport: PHONE });
    try {
      const { page } = b;
      await login(page, name, password, locale);
      const id = 'demoforum4';
      const pages = [
        ['/org', '[data-testid="create-form"]'],
        [`/org/f/${id}`, '[data-testid="state-control"]'],
        [`/org/f/${id}/stream`, '[data-testid="stream-health"]'],
        [`/org/f/${id}/poster`, '[data-testid="poster-qr"]'],
        [`/org/f/${id}/live`, '[data-testid="figures"]'],
        ['/org/tickets', '[data-testid="ticket-count"]'],
      ];
      for (const [p, ready] of pages) {
        await page.goto(new URL(p, server.url).href);
        await page.locator(ready).first().waitFor();
        assert.equal(await page.getAttribute('html', 'lang'), locale);
        assert.deepEqual(await layoutProblems(page), [], `${p} at 360x640`);
      }
      assert.deepEqual(b.problems, [], 'console errors, page errors or CSP violations');
    } finally {
      await b.close();
    }
  });
}

test('a moderator is told the organizer pages are not theirs; a logged-out visitor goes to the login', async () => {
  await server.addUser('mod-org-test', 'moderator', 'Moderator-Org-2026!');
  const b = await openBrowser({ viewport: DESKTOP });
  try {
    const { page } = b;
    const msg = catalogue('zh-CN');
    await page.goto(new URL('/org/f/demoforum4/stream', server.url).href);
    await page.waitForURL(/\/login\?next=%2Forg%2Ff%2Fdemoforum4%2Fstream$/);
    await page.fill('#login-name', 'mod-org-test');
    await page.fill('#login-password', 'Moderator-Org-2026!');
    await page.click('[data-testid="login-submit"]');
    await page.waitForURL(/\/org\/f\/demoforum4\/stream$/);
    await page.locator('[role="alert"]', { hasText: msg['staff.forbiddenTitle'] }).waitFor();
    assert.equal(await page.locator('[data-testid="stream-key-show"]').count(), 0);
    assert.deepEqual(b.problems, []);
  } finally {
    await b.close();
  }
});
