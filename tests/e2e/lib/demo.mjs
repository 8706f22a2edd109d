// The demo forum that `forumcast serve --demo` creates, read from the same demo data
// the server uses (shared/demo-forum.json beside the repository, or a copy in it).
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './server.mjs';

const CANDIDATES = [
  process.env.FORUMCAST_DEMO_FILE,
  path.join(REPO_ROOT, 'server', 'demo', 'demo-forum.json'),
  path.join(REPO_ROOT, 'data', 'demo-forum.json'),
  path.join(REPO_ROOT, '..', 'shared', 'demo-forum.json'),
].filter(Boolean);

/** The whole demo file: forum, compounds, questions, comments, ... */
export function demoData() {
  for (const file of CANDIDATES) {
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
  }
  throw new Error(`demo-forum.json not found in ${CANDIDATES.join(', ')}`);
}

export function demoForum() {
  return demoData().forum;
}
