#!/usr/bin/env node
// Reports what each page costs to load (JS and CSS, raw and gzip) from the Vite build
// manifest, following static imports from the entry and the page's chunk. The
// "resident" page (/f/<id>) is the one issue 7 asks to keep small.
//   npm run build && npm run size [-- --budget-kb 40] [--dist <out dir>]   (exit 1 above the budget)
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const distArg = process.argv.indexOf('--dist');
const dist = distArg > 0 ? path.resolve(process.argv[distArg + 1]) : path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8'));
const budgetArg = process.argv.indexOf('--budget-kb');
const budgetKb = budgetArg > 0 ? Number(process.argv[budgetArg + 1]) : 40;

const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
const PAGES = {
  'resident /f/<id>': 'src/pages/forum.ts',
  'landing /': 'src/pages/landing.ts',
  'login /login': 'src/pages/login.ts',
  'staff /org /mod': 'src/pages/staff.ts',
  'console /mod/<id>': 'src/pages/mod.ts',
  'present, overlay': 'src/pages/present.ts',
};

function files(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const imp of manifest[key].imports ?? []) files(imp, seen);
  return seen;
}

function cost(keys) {
  const out = new Set();
  for (const k of keys) {
    out.add(manifest[k].file);
    for (const css of manifest[k].css ?? []) out.add(css);
  }
  let js = 0, jsGz = 0, css = 0, cssGz = 0;
  for (const f of out) {
    const buf = fs.readFileSync(path.join(dist, f));
    const gz = zlib.gzipSync(buf, { level: 9 }).length;
    if (f.endsWith('.css')) { css += buf.length; cssGz += gz; } else { js += buf.length; jsGz += gz; }
  }
  return { js, jsGz, css, cssGz };
}

const kb = (n) => (n / 1024).toFixed(1).padStart(6);
console.log('page                   JS raw  JS gzip  CSS raw CSS gzip  (KiB)');
let resident = 0;
for (const [name, src] of Object.entries(PAGES)) {
  const keys = new Set([...files(entryKey), ...files(src)]);
  const c = cost(keys);
  if (name.startsWith('resident')) resident = c.jsGz;
  console.log(`${name.padEnd(20)} ${kb(c.js)}  ${kb(c.jsGz)}   ${kb(c.css)}   ${kb(c.cssGz)}`);
}
if (resident > budgetKb * 1024) {
  console.error(`resident page JS is ${kb(resident).trim()} KiB gzip, over the budget of ${budgetKb} KiB`);
  process.exit(1);
}
console.log(`resident page JS: ${kb(resident).trim()} KiB gzip (budget ${budgetKb} KiB, HLS player excluded)`);
