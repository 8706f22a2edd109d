#!/usr/bin/env node
// Completes package-lock.json with the platform packages that the npm registry this
// project builds from does not serve (e.g. @rollup/rollup-darwin-x64). `npm install`
// drops an optional dependency it cannot fetch from the lock file, and `npm ci` then
// refuses the lock file as out of sync with package.json. The added entries carry
// only version, os, cpu and libc, so that npm ci on this platform (linux x64 glibc)
// skips them without fetching; on another platform npm ci would fetch them by name.
// Run after every `npm install` that changes the lock file:
//   npm install && node scripts/complete-lock.mjs && npm ci
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const lockFile = path.join(dir, 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
const CPUS = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x'];

// "@rollup/rollup-linux-arm-musleabihf" -> { os: linux, cpu: arm, libc: musl }
function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'openharmony', 'win32', 'sunos', 'aix', 'netbsd'].includes(p));
  const cpu = parts.find((p) => CPUS.includes(p));
  const abi = parts[parts.length - 1];
  if (!os || !cpu) return null;
  const entry = { os: [os], cpu: [cpu] };
  if (os === 'linux' && /^(gnu|gnueabihf)$/.test(abi)) entry.libc = ['glibc'];
  if (os === 'linux' && /^musl/.test(abi)) entry.libc = ['musl'];
  return entry;
}

let added = 0;
for (const [key, pkg] of Object.entries(lock.packages)) {
  for (const [dep, range] of Object.entries(pkg.optionalDependencies ?? {})) {
    const depKey = `${key ? `${key}/` : ''}node_modules/${dep}`;
    const hoisted = `node_modules/${dep}`;
    if (lock.packages[depKey] || lock.packages[hoisted]) continue;
    const platform = platformOf(dep);
    if (!platform || !/^\d+\.\d+\.\d+/.test(range)) {
      console.warn(`left out ${dep}@${range} (not a pinned platform package)`);
      continue;
    }
    lock.packages[hoisted] = { version: range, ...platform, optional: true };
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)));
lock.packages = sorted;
fs.writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lock: added ${added} platform entries`);
