// E2E harness: starts the real forumcast binary on 127.0.0.1:0 with a fresh data
// directory, waits for its ready file, runs CLI subcommands against the same data
// directory, and stops it with SIGTERM. Every wait is on a condition with a deadline.
//
// Command line of a test script (as CTest passes it, see CMakeLists.txt):
//   node <test>.test.mjs --forumcast <path to forumcast> [--web-root <dir>]
// FORUMCAST_E2E_KEEP=1 keeps the temp directory (server log, database) for debugging.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Reads `--name value` options from the test's command line. */
export function option(name, fallback = undefined) {
  const argv = process.argv;
  const i = argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < argv.length) return argv[i + 1];
  const env = process.env[`FORUMCAST_E2E_${name.toUpperCase().replace(/-/g, '_')}`];
  return env ?? fallback;
}

function forumcastPath() {
  const p = option('forumcast');
  if (!p) throw new Error('usage: node <test>.test.mjs --forumcast <path to the forumcast binary>');
  // Relative to where the command was typed (npm run sets INIT_CWD), not to npm's cwd.
  const binary = path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
  if (!fs.existsSync(binary)) throw new Error(`no forumcast binary at ${binary} (build it: cmake --build <dir> --target forumcast)`);
  return binary;
}

/** Resolves when `check()` returns a truthy value; rejects after `ms` or when `abort` fires. */
export function waitFor(check, { ms = 15000, what = 'condition', watchDir = null, abort = null } = {}) {
  return new Promise((resolve, reject) => {
    let done = false;
    let watcher = null;
    let interval = null;
    const finish = (err, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (interval) clearInterval(interval);
      if (watcher) watcher.close();
      if (err) reject(err);
      else resolve(value);
    };
    const attempt = () => {
      try {
        const v = check();
        if (v) finish(null, v);
      } catch (e) {
        finish(e);
      }
    };
    const timer = setTimeout(() => finish(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    if (abort) abort((e) => finish(e));
    // inotify wakes us when the file appears; the interval is a fallback for file
    // systems without it. Either way we only proceed once the condition holds.
    if (watchDir) watcher = fs.watch(watchDir, attempt);
    interval = setInterval(attempt, 100);
    attempt();
  });
}

/** Like waitFor, for an async check (an HTTP call): polls every 200 ms until it resolves truthy or `ms` passes. */
export async function waitForAsync(check, { ms = 15000, what = 'condition' } = {}) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Starts `forumcast serve --demo` on an ephemeral port.
 * Returns { url, port, dataDir, log(), cli(args, {stdin}), stop() }.
 */
export async function startServer({ demo = true, extraArgs = [] } = {}) {
  const binary = forumcastPath();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'forumcast-e2e-'));
  const dataDir = path.join(tmp, 'data');
  fs.mkdirSync(dataDir);
  const readyFile = path.join(tmp, 'ready.json');
  const logFile = path.join(tmp, 'server.log');
  const logFd = fs.openSync(logFile, 'a');
  const args = ['serve', '--listen', '127.0.0.1:0', '--data', dataDir, '--ready-file', readyFile];
  if (demo) args.push('--demo');
  const webRoot = option('web-root');
  if (webRoot) args.push('--web-root', path.resolve(webRoot));
  // Video: an ephemeral RTMP port, no demo encoder and no SRT listeners (fixed
  // default UDP ports) unless the test asks (e.g. extraArgs
  // ['--stream.demo_source', 'true']); a key may be given once.
  if (!extraArgs.includes('--stream.rtmp_listen')) args.push('--stream.rtmp_listen', '127.0.0.1:0');
  if (!extraArgs.includes('--stream.demo_source')) args.push('--stream.demo_source', 'false');
  if (!extraArgs.includes('--stream.srt_ports')) args.push('--stream.srt_ports', '');
  args.push(...extraArgs);
  const child = spawn(binary, args, { stdio: ['ignore', logFd, logFd], cwd: tmp });
  fs.closeSync(logFd);

  let exited = null;
  const exitWaiters = [];
  const onGone = (e) => {
    if (exited) return;
    exited = e;
    for (const w of exitWaiters.splice(0)) w(exited);
  };
  child.on('exit', (code, signal) => onGone({ code, signal }));
  child.on('error', (err) => onGone({ code: null, signal: null, error: err.message }));
  const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '');

  let ready;
  try {
    ready = await waitFor(
      () => {
        if (!fs.existsSync(readyFile)) return null;
        try {
          return JSON.parse(fs.readFileSync(readyFile, 'utf8'));
        } catch {
          return null; // still being written
        }
      },
      {
        ms: 30000,
        what: `${readyFile} from ${binary}`,
        watchDir: tmp,
        abort: (fail) => {
          const early = (e) =>
            fail(new Error(`forumcast exited early (code ${e.code}, signal ${e.signal}${e.error ? `, ${e.error}` : ''})`));
          if (exited) early(exited);
          else exitWaiters.push(early);
        },
      },
    );
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${e.message}\n--- server log ---\n${log()}`);
  }
  const port = ready.http_port;
  const url = ready.url ?? `http://127.0.0.1:${port}/`;

  async function stop() {
    if (!exited) {
      const gone = new Promise((r) => exitWaiters.push(r));
      child.kill('SIGTERM');
      const timeout = new Promise((r) => setTimeout(() => r(null), 10000).unref());
      const result = await Promise.race([gone, timeout]);
      if (!result) {
        child.kill('SIGKILL');
        throw new Error(`forumcast did not stop within 10 s of SIGTERM\n--- server log ---\n${log()}`);
      }
    }
    if (!process.env.FORUMCAST_E2E_KEEP) fs.rmSync(tmp, { recursive: true, force: true });
    else console.log(`# kept ${tmp}`);
    return exited;
  }

  /** Runs `forumcast <args> --data <dataDir>`; resolves {code, stdout, stderr}. */
  function cli(cliArgs, { stdin = null } = {}) {
    return new Promise((resolve, reject) => {
      const p = spawn(binary, [...cliArgs, '--data', dataDir], { stdio: ['pipe', 'pipe', 'pipe'], cwd: tmp });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d) => (stdout += d));
      p.stderr.on('data', (d) => (stderr += d));
      p.on('error', reject);
      p.on('exit', (code) => resolve({ code, stdout, stderr }));
      p.stdin.end(stdin ?? '');
    });
  }

  /** Creates a staff account through the CLI; throws with its output when it fails. */
  async function addUser(name, role, password) {
    const r = await cli(['user', 'add', '--name', name, '--role', role, '--password-stdin'], { stdin: `${password}\n` });
    if (r.code !== 0) throw new Error(`forumcast user add failed (${r.code}): ${r.stderr}${r.stdout}`);
  }

  return { url, port, dataDir, log, cli, addUser, stop, exited: () => exited };
}
