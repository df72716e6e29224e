/**
 * `npm run bench:profile [-- N]`: where the CPU goes when N orientation cases (default 600) are started through the
 * API and worked off end to end. Reports the CPU seconds each part of the system used (worker, web server,
 * Temporal dev server, PostgreSQL, this process with the SMTP catcher) and the wall time, so a tuning effort starts
 * from the part that is actually busy. No figure here is asserted.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { drain, load, startCaseViaApi } from './load';
import { startSystem } from './system';

const N = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 600);
const TICKS = 100; // USER_HZ on Linux

/** utime + stime of a process, in seconds (0 when it is gone); with `reaped`, also the time of its children that
 * have exited (a PostgreSQL backend closed by an idle pool takes its time there, not with it). */
function cpuSeconds(pid: number, reaped = false): number {
  try {
    // The command name may contain spaces; the fields after its closing parenthesis are fixed.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12]) + (reaped ? Number(f[13]) + Number(f[14]) : 0)) / TICKS;
  } catch {
    return 0;
  }
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (parentOf(Number(name)) === pid) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The process and every descendant alive now (PostgreSQL's backends, the dev server's children). */
function tree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i]!));
  return all;
}

async function main() {
  const sys = await startSystem();
  try {
    // A backend's parent is the postmaster.
    const backend = Number((await sys.pool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    const pgPid = parentOf(backend);
    const parts = {
      worker: () => tree(sys.worker.pid!),
      'web server': () => tree(sys.web.pid!),
      'Temporal dev server': () => tree(sys.temporal.child.pid!),
      PostgreSQL: () => tree(pgPid),
      'this process (load + SMTP catcher)': () => [process.pid],
    };
    await sys.api('GET', '/api/v1/cases');
    // Per-process baselines; the root of each part also counts its exited children.
    const usage = (pids: number[]) => new Map(pids.map((p, i) => [p, cpuSeconds(p, i === 0)]));
    const before = new Map<string, Map<number, number>>();
    for (const [k, pids] of Object.entries(parts)) before.set(k, usage(pids()));
    const t0 = performance.now();
    await load(N, 20, (i) => startCaseViaApi(sys, { procedure: 'orientation', input: { title: `Profil ${i}`, message: 'Orientering.', partyIds: ['461'] } }));
    const startedMs = performance.now() - t0;
    await drain(sys.pool, N, 3_600_000, 250);
    const wallS = (performance.now() - t0) / 1000;
    console.log(`${N} orientation cases: started in ${(startedMs / 1000).toFixed(1)} s, all completed after ${wallS.toFixed(1)} s (${(N / wallS).toFixed(1)}/s); 2 cores = ${(2 * wallS).toFixed(0)} CPU s available\n`);
    console.log('| Part | CPU s | Share of wall time (one core = 100 %) |\n|---|---|---|');
    for (const [k, pids] of Object.entries(parts)) {
      const b = before.get(k)!;
      const used = [...usage(pids())].reduce((a, [p, t]) => a + t - (b.get(p) ?? 0), 0);
      console.log(`| ${k} | ${used.toFixed(1)} | ${((100 * used) / wallS).toFixed(0)} % |`);
    }
  } finally {
    await sys.stop();
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
