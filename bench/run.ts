/**
 * `npm run bench` (full) and `npm run bench -- --smoke` (small, in CI): starts its own Temporal dev server,
 * embedded PostgreSQL and SMTP catcher on loopback, runs the worker and the web server as separate processes
 * (so their memory can be measured), measures, prints a Markdown table and stops everything. Every figure is
 * reported with a baseline measured in the same run; nothing here asserts a time. It fails only when a check of
 * correctness fails (an e-mail sent twice or lost, a request answered with an error).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { orientationProcedure } from '../api/procedures/orientation';
import { caseIdFor } from '../api/caseIds';
import { createEmailActivities, type OutgoingEmail } from '../activities/email';
import { openCaseInput, rssMb, startSystem } from './system';

const smoke = process.argv.includes('--smoke');
const SIZES = smoke
  ? { starts: 40, rows: [2_000], requests: 20, emails: 300, openCases: 40, runs: 1 }
  : { starts: 1_000, rows: [10_000, 100_000], requests: 30, emails: 10_000, openCases: 1_000, runs: 3 };

interface Row {
  what: string;
  value: string;
  baseline: string;
  ratio: string;
}
const table: Row[] = [];
const checks: string[] = [];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const median = (xs: number[]) => pct(xs, 50);
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const v = await fn();
  return [performance.now() - t, v];
}

/** Runs `n` calls with `concurrency` at a time; per-call latencies and the wall time. */
async function load(n: number, concurrency: number, call: (i: number) => Promise<void>): Promise<{ latencies: number[]; wallMs: number }> {
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

async function main() {
  const sys = await startSystem();
  try {
    const { pool, mail, client, worker, web, base, auth } = sys;
    // Idle baseline: both processes up and connected, nothing started yet.
    await sys.api('GET', '/api/v1/cases');
    await new Promise((r) => setTimeout(r, 2000));
    const baseRss = { worker: rssMb(worker.pid!), web: rssMb(web.pid!) };

    // ---- 1. Starting procedures: through the API vs. the bare Temporal client ----
    for (let run = 0; run < SIZES.runs; run++) {
      const api = await load(SIZES.starts, 20, async (i) => {
        const res = await fetch(`${base}/api/v1/cases`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ procedure: 'orientation', requestId: randomUUID(), input: { title: `Benchmark ${run}-${i}`, message: 'Orientering i en benchmark.', partyIds: ['461'] } }),
        });
        if (res.status !== 201) throw new Error(`start: ${res.status} ${await res.text()}`);
      });
      const bare = await load(SIZES.starts, 20, async (i) => {
        const caseId = caseIdFor('ORI', randomUUID());
        const args = await orientationProcedure.toWorkflowArgs({ title: `Bare ${run}-${i}`, message: 'Orientering i en benchmark.', partyIds: ['461'] }, { caseId, actor: 'bench', publicUrl: base, pool });
        await client.workflow.start('orientation', { taskQueue: 'bench', workflowId: caseId, args });
      });
      if (run === SIZES.runs - 1 || SIZES.runs === 1) {
        const tput = (r: { wallMs: number }) => SIZES.starts / (r.wallMs / 1000);
        table.push({ what: `Start ${SIZES.starts} procedures via POST /api/v1/cases: p50`, value: ms(median(api.latencies)), baseline: `${ms(median(bare.latencies))} (client.workflow.start)`, ratio: (median(api.latencies) / median(bare.latencies)).toFixed(2) });
        table.push({ what: '… p95', value: ms(pct(api.latencies, 95)), baseline: ms(pct(bare.latencies, 95)), ratio: (pct(api.latencies, 95) / pct(bare.latencies, 95)).toFixed(2) });
        table.push({ what: '… throughput (20 concurrent)', value: `${tput(api).toFixed(0)}/s`, baseline: `${tput(bare).toFixed(0)}/s`, ratio: (tput(api) / tput(bare)).toFixed(2) });
      }
    }

    // ---- 2. Lists with many cases in the read model ----
    const staticBaseline = async () => (await load(SIZES.requests, 1, async () => void (await (await fetch(`${base}/static/app.css`)).text()))).latencies;
    let have = 0;
    for (const rows of SIZES.rows) {
      // Synthetic rows in the read model (what a busy year looks like), spread over procedures, statuses, dates, parties.
      await pool.query(
        `INSERT INTO case_summary (case_id, procedure, title, stage, status, next_deadline, next_due_date, parties, version)
         SELECT 'BENCH-' || g, (ARRAY['orientation','refugeeQuota','centralAnnouncement','capacityChange','closure'])[1 + g % 5],
                'Benchmark-sag ' || g, 'Afventer svar', (ARRAY['open','open','open','completed','withdrawn'])[1 + g % 5],
                jsonb_build_object('wording', 'senest', 'rule', 'generalShift', 'dueDate', to_char(current_date + (g % 400) - 100, 'YYYY-MM-DD'), 'dueAt', now()),
                current_date + (g % 400) - 100,
                jsonb_build_array(jsonb_build_object('partyId', (ARRAY['461','621','630','561','479'])[1 + g % 5], 'name', 'Kommune', 'state', 'afventer svar')), 1
         FROM generate_series($1::int, $2::int) g`,
        [have + 1, rows],
      );
      have = rows;
      await pool.query('ANALYZE case_summary');
      const baseline = await staticBaseline();
      for (const [label, url] of [
        ['GET /api/v1/cases?status=open', '/api/v1/cases?status=open'],
        ['GET /api/v1/cases?q=…', '/api/v1/cases?q=sag%2012345'],
        ['GET / (dashboard)', '/'],
        ['GET /?party=621&due=overdue', '/?party=621&due=overdue'],
        ['GET /sager.csv?status=open&procedure=refugeeQuota (every page)', '/sager.csv?status=open&procedure=refugeeQuota'],
      ] as const) {
        const r = await load(SIZES.requests, 1, async () => {
          const res = await fetch(`${base}${url}`, { headers: auth });
          if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
          await res.text();
        });
        table.push({ what: `${label} with ${rows.toLocaleString('da-DK')} cases: p50 / p95`, value: `${ms(median(r.latencies))} / ${ms(pct(r.latencies, 95))}`, baseline: `${ms(median(baseline))} (static file)`, ratio: (median(r.latencies) / median(baseline)).toFixed(1) });
      }
    }
    await pool.query("DELETE FROM case_summary WHERE case_id LIKE 'BENCH-%'");

    // ---- 3. Many e-mails at once through the outbox, vs. plain SMTP; then the same batch again (a replay) ----
    const email = createEmailActivities({ pool, transport: createTransport(mail.smtpUrl, { pool: true, maxConnections: 5 } as object), from: 'Bench <bench@kkr.example>' });
    const raw = createTransport(mail.smtpUrl, { pool: true, maxConnections: 5 } as object);
    const batchId = randomUUID().slice(0, 8);
    const messages: OutgoingEmail[] = Array.from({ length: SIZES.emails }, (_, i) => ({ caseId: `MAIL-${batchId}`, step: 'reminder', recipient: `r${i}@kommune.example`, reminder: 'due', subject: `Påmindelse ${batchId} ${i}`, text: 'Fristen er i dag.', html: '<p>Fristen er i dag.</p>' }));
    const chunks = Array.from({ length: 10 }, (_, k) => messages.filter((_, i) => i % 10 === k));
    const [outboxMs] = await timed(() => Promise.all(chunks.map((c) => email.sendEmails(c))));
    // The baseline sends the same messages with the same parallelism (10 sequences), without the outbox.
    const rawRun = await load(messages.length, 10, async (i) => void (await raw.sendMail({ from: 'bench@kkr.example', to: messages[i]!.recipient, subject: `Rå ${batchId}`, text: messages[i]!.text })));
    const rawMs = rawRun.wallMs;
    const replay = await Promise.all(chunks.map((c) => email.sendEmails(c)));
    const caught = mail.messages().filter((m) => m.subject.startsWith(`Påmindelse ${batchId} `));
    const distinct = new Set(caught.map((m) => m.subject)).size;
    const resent = replay.reduce((a, r) => a + r.sent, 0);
    table.push({ what: `${SIZES.emails.toLocaleString('da-DK')} reminders due at once, through the outbox: time until all sent`, value: `${(outboxMs / 1000).toFixed(1)} s`, baseline: `${(rawMs / 1000).toFixed(1)} s (nodemailer alone)`, ratio: (outboxMs / rawMs).toFixed(2) });
    table.push({ what: '… duplicates after sending the same batch again', value: String(caught.length - distinct + resent), baseline: '0', ratio: '' });
    if (caught.length !== SIZES.emails || distinct !== SIZES.emails || resent !== 0) checks.push(`e-mails: ${caught.length} caught, ${distinct} distinct, ${resent} re-sent of ${SIZES.emails}`);
    raw.close();

    // ---- 4. Memory of the worker and the web server with many open cases ----
    await load(SIZES.openCases, 20, async (i) => {
      const res = await fetch(`${base}/api/v1/cases`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ ...openCaseInput(`Åben benchmark-sag ${i}`, ['461', '621']), requestId: randomUUID() }),
      });
      if (res.status !== 201) throw new Error(`open case: ${res.status} ${await res.text()}`);
    });
    // Until every case has reached its collection (the worker holds them in its cache).
    for (const deadline = Date.now() + 300_000; Date.now() < deadline; ) {
      const n = Number((await pool.query("SELECT count(*) AS n FROM case_summary WHERE title LIKE 'Åben benchmark-sag %' AND stage <> 'Oprettet'")).rows[0].n);
      if (n >= SIZES.openCases) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    await fetch(`${base}/`, { headers: auth });
    table.push({ what: `Worker RSS with ${SIZES.openCases.toLocaleString('da-DK')} open cases`, value: `${rssMb(worker.pid!).toFixed(0)} MB`, baseline: `${baseRss.worker.toFixed(0)} MB (idle, at start)`, ratio: (rssMb(worker.pid!) / baseRss.worker).toFixed(2) });
    table.push({ what: 'Web server RSS', value: `${rssMb(web.pid!).toFixed(0)} MB`, baseline: `${baseRss.web.toFixed(0)} MB (idle, at start)`, ratio: (rssMb(web.pid!) / baseRss.web).toFixed(2) });

  } finally {
    await sys.stop();
  }

  const cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  const out = [
    `Benchmark (${smoke ? 'smoke' : 'full'}), ${new Date().toISOString().slice(0, 16)}Z, ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}`,
    '',
    '| Measure | Value | Baseline (same run) | Ratio |',
    '|---|---|---|---|',
    ...table.map((r) => `| ${r.what} | ${r.value} | ${r.baseline} | ${r.ratio} |`),
  ].join('\n');
  console.log(out);
  if (process.env.KKR_BENCH_OUT) writeFileSync(process.env.KKR_BENCH_OUT, out + '\n');
  if (checks.length) {
    console.error(`\nFAILED checks:\n${checks.join('\n')}`);
    process.exit(1);
  }
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
