#!/usr/bin/env node
// Source rules that the type checker cannot see, run before every build:
//  - no Chinese text in code: visible strings belong in src/i18n/**/*.json;
//  - no HTML parsing of strings (innerHTML, outerHTML, insertAdjacentHTML,
//    document.write, DOMParser): what users type must stay text;
//  - no inline event handler attributes or style attributes in index.html (CSP).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const problems = [];

function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.(ts|js|mjs)$/.test(e.name)) check(p);
  }
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/;
const HTML_SINKS = /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser|createContextualFragment)\b/;

function check(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, ''); // comments may quote Chinese
    const where = `${path.relative(root, file)}:${i + 1}`;
    if (CJK.test(code)) problems.push(`${where}: Chinese text in code; put it in src/i18n/*.json`);
    if (HTML_SINKS.test(code)) problems.push(`${where}: HTML sink; build DOM with h() from src/dom.ts`);
  });
}

walk(path.join(root, 'src'));
const html = fs.readFileSync(path.join(root, 'index.html'), 'utf8');
if (/\son[a-z]+=|\sstyle=|<style|<script(?![^>]*\ssrc=)/i.test(html)) {
  problems.push('index.html: inline script, style or event handler (blocked by CSP)');
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
