// E2E: the staff stream health panel (web-client/src/staff/stream_health.ts) with the
// demo stream live (`serve --demo`, demo source on). The organizer's stream page
// (/org/f/<id>/stream, which polls GET /api/v1/stream/<id>/health) shows it live with
// the demo's codecs and resolution; the moderator console (/mod/<id>) shows it live and
// keeps it current from the `stream_health` WebSocket events (the panel reads the
// REST health once at mount, so its uptime moving on proves the pushes arrive).
// Run: node tests/e2e/video_health.test.mjs --forumcast build/<dir>/server/forumcast
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DESKTOP, openBrowser } from './lib/browser.mjs';
import { demoForum } from './lib/demo.mjs';
import { startServer } from './lib/server.mjs';

const demo = demoForum();
let server;
let forumId;
before(async () => {
  server = await startServer({
    demo: true,
    extraArgs: ['--stream.demo_source', 'true', '--limits.login_attempts_per_minute', '100'],
  });
  const body = await (await fetch(new URL('/api/v1/forums', server.url))).json();
  const forums = Array.isArray(body) ? body : body.forums;
  const forum = forums.find((f) => f.title === demo.title);
  assert.ok(forum, `demo forum "${demo.title}" listed`);
  forumId = forum.id;
});
after(async () => {
  if (server) await server.stop();
});

async function login(page, name, password) {
  await page.goto(new URL('/login', server.url).href);
  await page.locator('[data-testid="login-form"]').waitFor();
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await page.click('[data-testid="login-submit"]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

const panel = '[data-testid="stream-health"]';
const live = `${panel} [data-testid="stream-health-state"][data-state="live"]`;
const field = (name) => `${panel} dd[data-field="${name}"]`;

test('the organizer sees the demo stream live with its codecs and resolution', async () => {
  await server.addUser('health-org', 'organizer', 'Health-Org-2026!');
  const b = await openBrowser({ viewport: DESKTOP });
  try {
    const { page, problems } = b;
    await login(page, 'health-org', 'Health-Org-2026!');
    await page.goto(new URL(`/org/f/${forumId}/stream`, server.url).href);
    await page.locator(live).waitFor({ timeout: 30000 });
    assert.match(await page.locator(field('video')).textContent(), /^h264 640×360 @ 2\d\.\d fps/);
    assert.equal(await page.locator(field('audio')).textContent(), 'aac');
    assert.match(await page.locator(field('remote')).textContent(), /^127\.0\.0\.1:\d+$/);
    // The demo's 1 s GOP: no keyframe warning.
    assert.equal(await page.locator(field('keyframe')).getAttribute('data-warn'), null);
    assert.deepEqual(problems, []);
  } finally {
    await b.close();
  }
});

test('the moderator console keeps the health current from stream_health events', async () => {
  await server.addUser('health-mod', 'moderator', 'Health-Mod-2026!');
  const b = await openBrowser({ viewport: DESKTOP });
  try {
    const { page, problems } = b;
    await login(page, 'health-mod', 'Health-Mod-2026!');
    await page.goto(new URL(`/mod/${forumId}`, server.url).href);
    await page.locator(live).waitFor({ timeout: 30000 });
    const first = await page.locator(field('uptime')).textContent();
    // Only a pushed event changes the panel after its one REST read at mount.
    await page.waitForFunction(
      ([sel, before]) => {
        const el = document.querySelector(sel);
        return el && el.textContent !== before;
      },
      [field('uptime'), first],
      { timeout: 15000 },
    );
    assert.match(await page.locator(field('video')).textContent(), /^h264 640×360/);
    assert.deepEqual(problems, []);
  } finally {
    await b.close();
  }
});
