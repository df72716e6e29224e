/**
 * The whole system on loopback for benchmarks and fault drills: Temporal dev server, embedded PostgreSQL and the
 * SMTP catcher in this process, the worker and the web server as child processes (so they can be killed with
 * SIGKILL and their memory measured). Everything lives in a temporary folder and is removed by `stop`.
 */
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import { freePort, killHard, spawnTs, startEmbeddedPostgres, startTemporalDevServer, waitForPort, type EmbeddedPostgresHandle, type TemporalDevServer } from '../deploy/services';
import { startMailCatcher, type MailCatcher } from '../deploy/mailCatcher';
import { createPool } from '../db/pool';
import { migrate } from '../db/migrate';
import { seedDirectory } from '../db/seedDirectory';
import { createApiToken } from '../api/auth/store';


export interface System {
  base: string;
  auth: Record<string, string>;
  pool: Pool;
  client: Client;
  mail: MailCatcher;
  pg: EmbeddedPostgresHandle;
  temporal: TemporalDevServer;
  worker: ChildProcess;
  web: ChildProcess;
  /** SIGKILL the worker (nothing flushed) and start a new one. */
  killWorker(): Promise<void>;
  /** SIGTERM the worker and wait until it has shut down: its polls are cancelled, so no task goes to a poll
   * that nobody answers any more (as it does after a SIGKILL, until the activity's timeout). */
  stopWorker(): Promise<void>;
  /** A new worker; `extraEnv` overrides settings (NOTICE_TIME, WORKER_MAX_CACHED_WORKFLOWS) for this one. */
  startWorker(extraEnv?: Record<string, string>): void;
  /** SIGKILL the Temporal server; `startTemporal` brings it back on the same port and state. */
  killTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  api(method: string, p: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }>;
  stop(): Promise<void>;
}

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export async function startSystem(): Promise<System> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kkr-bench-'));
  // Embedded PostgreSQL runs as the postgres user when we are root; it must reach its folder.
  chmodSync(dir, 0o755);
  const temporalPort = await freePort();
  const temporalOpts = { dataDir: path.join(dir, 'temporal'), uiPort: null, port: temporalPort, httpPort: await freePort() };
  const [temporal0, pg, mail] = await Promise.all([
    startTemporalDevServer(temporalOpts),
    startEmbeddedPostgres({ dataDir: path.join(dir, 'postgres') }),
    (async () => startMailCatcher({ smtpPort: await freePort(), httpPort: 0 }))(),
  ]);
  let temporal = temporal0;
  const pool = createPool(pg.url, 20);
  await migrate(pool);
  await seedDirectory(pool);
  const port = await freePort();
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: 'bench',
    // A killed and restarted worker (the drills) must not wait for the old one's metrics port.
    WORKER_METRICS_ADDRESS: 'off',
    DATABASE_URL: pg.url,
    SMTP_URL: mail.smtpUrl,
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LINK_SECRET: 'bench-link-secret-that-is-at-least-32-characters',
  };
  const sys: System = {
    base: `http://127.0.0.1:${port}`,
    auth: {},
    pool,
    client: new Client({ connection: await Connection.connect({ address: temporal.address }) }),
    mail,
    pg,
    temporal,
    worker: spawnTs('worker/main.ts', env),
    web: spawnTs('api/main.ts', env),
    async killWorker() {
      await killHard(sys.worker);
    },
    async stopWorker() {
      const w = sys.worker;
      if (w.exitCode !== null || w.signalCode !== null) return;
      const exited = new Promise((r) => w.once('exit', r));
      w.kill('SIGTERM');
      const timer = setTimeout(() => w.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
    startWorker(extraEnv = {}) {
      sys.worker = spawnTs('worker/main.ts', { ...env, ...extraEnv });
    },
    async killTemporal() {
      await killHard(temporal.child);
    },
    async startTemporal() {
      temporal = await startTemporalDevServer(temporalOpts);
      sys.temporal = temporal;
    },
    async api(method, p, body) {
      const res = await fetch(`${sys.base}${p}`, { method, headers: { ...sys.auth, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        json = { text };
      }
      return { status: res.status, json };
    },
    async stop() {
      for (const c of [sys.worker, sys.web]) c.kill('SIGTERM');
      await pool.end().catch(() => undefined);
      for (const s of [temporal, pg, mail]) await s.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await waitForPort(port);
  const { token } = await createApiToken(pool, { name: 'benchmark', role: 'secretariat', createdBy: 'bench' });
  sys.auth = { authorization: `Bearer ${token}` };
  return sys;
}

/** A central announcement that stays open, waiting for answers from `parties`. */
export function openCaseInput(title: string, parties: string[]) {
  const day = (o: number) => new Date(Date.now() + o * 86_400_000).toISOString().slice(0, 10);
  return {
    procedure: 'centralAnnouncement',
    input: {
      title,
      targetGroup: 'Børn og unge med alvorlig synsnedsættelse',
      announcementDate: day(0),
      request: 'Beskriv indsatsen og samarbejdet med kommunikationscentret.',
      collectionPartyIds: parties,
      collectionDeadline: { wording: 'senest om tre uger', nominalDate: day(21) },
      submissionDeadline: { wording: 'senest om et halvt år', nominalDate: day(180) },
      withReservation: false,
      boardEmail: 'udmelding@sbst.example',
    },
  };
}
