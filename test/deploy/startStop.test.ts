/**
 * `npm start` stops everything it started when a signal reaches the start process alone, as a process supervisor
 * sends SIGTERM or a `kill -INT` does, not only when Ctrl-C reaches the whole process group of a terminal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../deploy/services';

const root = path.resolve(__dirname, '..', '..');

/** Every living descendant of `pid` (from /proc: the parent PID is the 4th field of /proc/<pid>/stat). */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z') parentOf.set(Number(d), Number(fields[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parentOf) if (parent === p) {
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};

let start: ChildProcess | undefined;
let dataDir: string | undefined;
let spawned: number[] = [];
afterEach(() => {
  for (const pid of [start?.pid, ...spawned]) if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  start = undefined;
  spawned = [];
});

async function startSystem(): Promise<ChildProcess> {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'kkr-start-'));
  // As root, PostgreSQL runs as the postgres user, who must reach its data folder inside this one.
  chmodSync(dataDir, 0o755);
  const ports = { PORT: await freePort(), KKR_TEMPORAL_PORT: await freePort(), KKR_TEMPORAL_UI_PORT: await freePort(), KKR_PG_PORT: await freePort(), KKR_SMTP_PORT: await freePort(), KKR_MAIL_UI_PORT: await freePort() };
  const env: NodeJS.ProcessEnv = { ...process.env, KKR_DATA_DIR: dataDir, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
  for (const k of ['TEMPORAL_ADDRESS', 'DATABASE_URL', 'SMTP_URL', 'PUBLIC_URL']) delete env[k];
  // As deploy/start.sh runs it; detached, so it has a process group of its own and a signal to it reaches it alone.
  const child = spawn(process.execPath, ['--import', 'tsx', 'deploy/start.ts'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up within 150 s:\n${output}`)), 150_000);
    const check = () => {
      if (output.includes('Stop med Ctrl-C')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`start exited (${code}):\n${output}`)));
  });
  const health = await fetch(`http://127.0.0.1:${ports.PORT}/healthz`);
  expect(health.status).toBe(200);
  return child;
}

describe('npm start', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops the Temporal dev server, PostgreSQL, the worker and the web server on ${signal} to the start process alone`, { timeout: 240_000 }, async () => {
      start = await startSystem();
      spawned = descendants(start.pid!);
      const commands = spawned.map((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' '));
      // What it started: the dev server, PostgreSQL, the worker and the web server (the catcher runs in-process).
      expect(commands.some((c) => /temporal.* server start-dev/.test(c)), commands.join('\n')).toBe(true);
      expect(commands.some((c) => /postgres/.test(c)), commands.join('\n')).toBe(true);
      expect(commands.some((c) => c.includes('worker/main.ts'))).toBe(true);
      expect(commands.some((c) => c.includes('api/main.ts'))).toBe(true);

      const exited = new Promise<number | null>((resolve) => start!.once('exit', (code) => resolve(code)));
      process.kill(start.pid!, signal);
      const code = await exited;
      const deadline = Date.now() + 15_000;
      while (spawned.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const left = spawned.filter(alive).map((p) => `${p}: ${readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ')}`);
      expect(left, 'processes npm start left running').toEqual([]);
      // A stop it was asked for, done in order: not the 128+signal of a process that was cut short.
      expect(code).toBe(0);
    });
  }
});
