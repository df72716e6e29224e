/**
 * The load loops and statistics the benchmark scripts share (run.ts, deadlineBurst.ts, profile.ts), so each
 * measure starts cases and waits for them the same way.
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
export const median = (xs: number[]) => pct(xs, 50);

export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const v = await fn();
  return [performance.now() - t, v];
}

/** Runs `n` calls with `concurrency` at a time; per-call latencies and the wall time. */
export async function load(n: number, concurrency: number, call: (i: number) => Promise<void>): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const t = performance.now();
        await call(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - t0 };
}

/** POST /api/v1/cases as the secretariat's API client would (a fresh requestId); throws unless the case started. */
export async function startCaseViaApi(target: { base: string; auth: Record<string, string> }, body: { procedure: string; input: unknown }): Promise<void> {
  const res = await fetch(`${target.base}/api/v1/cases`, {
    method: 'POST',
    headers: { ...target.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, requestId: randomUUID() }),
  });
  if (res.status !== 201) throw new Error(`start ${body.procedure}: ${res.status} ${await res.text()}`);
}

/** Waits until every case started so far has done its work (at least `orientationCases` orientations completed,
 * none open, nothing left in the outbox), so one measure's backlog does not slow the next; returns how long that
 * took. */
export async function drain(pool: Pool, orientationCases = 0, timeoutMs = 1_800_000, pollMs = 500): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    // A case started with the bare client has no read-model row until the worker records it, so the cases done
    // are counted against those started, not only the open ones.
    const { rows } = await pool.query(
      `SELECT (SELECT count(*) FROM case_summary WHERE procedure = 'orientation' AND status = 'open') AS cases,
              (SELECT count(*) FROM case_summary WHERE procedure = 'orientation' AND status <> 'open') AS done,
              (SELECT count(*) FROM email_outbox WHERE status NOT IN ('sent', 'rejected')) AS mails`,
    );
    if (Number(rows[0].cases) === 0 && Number(rows[0].done) >= orientationCases && Number(rows[0].mails) === 0) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) throw new Error(`not drained in ${timeoutMs / 1000} s: ${JSON.stringify(rows[0])}`);
    await sleep(pollMs);
  }
}
