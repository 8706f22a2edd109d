#!/usr/bin/env node
// A stand-in for the forumcast binary, for developing the web client without a C++
// build: `serve` serves dist/ with an SPA fallback, the CSP header and an in-memory
// copy of the /api/v1 routes the client uses; `user add` stores a user in the data dir.
// It mimics the real CLI flags (--listen, --data, --demo, --ready-file) so the e2e
// harness can be pointed at it (--forumcast web-client/scripts/mock-forumcast.mjs),
// but the committed e2e tests run against the real server. Not a reference for the API:
// docs/http-api.md is.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const dataDir = flag('data', './data');
fs.mkdirSync(dataDir, { recursive: true });
const usersFile = path.join(dataDir, 'mock-users.json');
const readUsers = () => (fs.existsSync(usersFile) ? JSON.parse(fs.readFileSync(usersFile, 'utf8')) : {});

if (args[0] === 'user' && args[1] === 'add') {
  const password = fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  const users = readUsers();
  users[flag('name')] = { role: flag('role'), password };
  fs.writeFileSync(usersFile, JSON.stringify(users));
  process.exit(0);
}
if (args[0] !== 'serve') {
  console.error('mock-forumcast: only `serve` and `user add` are mocked');
  process.exit(2);
}

const webRoot = flag('web-root', path.join(here, '..', 'dist'));
const demo = JSON.parse(fs.readFileSync(path.join(here, '..', '..', '..', 'shared', 'demo-forum.json'), 'utf8'));
const forums = args.includes('--demo')
  ? [{ id: 'demo', title: demo.forum.title, topic: demo.forum.topic, starts_at: demo.forum.starts_at, state: 'live' }]
  : [];
const sessions = new Map();
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

function send(res, status, body, headers = {}) {
  res.writeHead(status, {
    'Content-Security-Policy': "default-src 'self'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    ...headers,
  });
  res.end(body);
}
const json = (res, status, v, headers) => send(res, status, JSON.stringify(v), { 'Content-Type': 'application/json', ...headers });
const fail = (res, status, code, message) => json(res, status, { error: { code, message } });
const session = (req) => sessions.get(/fc_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]);

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  let body = '';
  for await (const c of req) body += c;
  const p = url.pathname;
  if (p === '/healthz') return json(res, 200, { status: 'ok' });
  if (p === '/api/v1/forums' && req.method === 'GET') return json(res, 200, forums);
  if (p.startsWith('/api/v1/forums/')) {
    const f = forums.find((x) => x.id === decodeURIComponent(p.slice(15)));
    return f ? json(res, 200, f) : fail(res, 404, 'not_found', 'no such forum');
  }
  if (p === '/api/v1/login' && req.method === 'POST') {
    let creds;
    try { creds = JSON.parse(body); } catch { return fail(res, 400, 'bad_request', 'bad JSON'); }
    const u = readUsers()[creds.name];
    if (!u || u.password !== creds.password) return fail(res, 401, 'bad_credentials', 'wrong name or password');
    const token = crypto.randomBytes(16).toString('hex');
    const s = { token, role: u.role, name: creds.name, expires_at: new Date(Date.now() + 864e5).toISOString() };
    sessions.set(token, s);
    return json(res, 200, s, { 'Set-Cookie': `fc_session=${token}; HttpOnly; SameSite=Strict; Path=/` });
  }
  if (p === '/api/v1/logout' && req.method === 'POST') {
    const s = session(req);
    if (s) sessions.delete(s.token);
    return json(res, 200, {}, { 'Set-Cookie': 'fc_session=; Max-Age=0; Path=/' });
  }
  if (p === '/api/v1/me') {
    const s = session(req);
    return s ? json(res, 200, { name: s.name, role: s.role, expires_at: s.expires_at }) : fail(res, 401, 'unauthorized', 'not logged in');
  }
  if (p.startsWith('/api/')) return fail(res, 404, 'not_found', 'no such route');
  const file = path.join(webRoot, path.normalize(p).replace(/^(\.\.[/\\])+/, ''));
  if (p !== '/' && fs.existsSync(file) && fs.statSync(file).isFile()) {
    return send(res, 200, fs.readFileSync(file), { 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' });
  }
  if (path.extname(p)) return send(res, 404, 'not found', { 'Content-Type': 'text/plain' });
  return send(res, 200, fs.readFileSync(path.join(webRoot, 'index.html')), { 'Content-Type': types['.html'] });
});

const [host, port] = flag('listen', '127.0.0.1:8080').split(':');
server.listen(Number(port), host, () => {
  const httpPort = server.address().port;
  const ready = flag('ready-file');
  const info = { http_port: httpPort, url: `http://${host}:${httpPort}/` };
  if (ready) fs.writeFileSync(ready, JSON.stringify(info));
  console.log(`mock forumcast on ${info.url}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGINT', () => server.close(() => process.exit(0)));
