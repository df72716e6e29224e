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
import { measureDeadlineBurst } from './deadlineBurst';
import { drain, load, median, pct, startCaseViaApi, timed } from './load';

const smoke = process.argv.includes('--smoke');
/** `--only=deadlines,outbox` runs only those measures (starts, lists, memory, outbox, deadlines). */
const MEASURES = ['starts', 'lists', 'memory', 'outbox', 'deadlines'] as const;
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const unknown = only?.filter((m) => !(MEASURES as readonly string[]).includes(m)) ?? [];
if (unknown.length) throw new Error(`--only: unknown measure ${unknown.join(', ')}; known: ${MEASURES.join(', ')}`);
const want = (m: (typeof MEASURES)[number]) => !only || only.includes(m);
const SIZES = smoke
  ? { starts: 40, rows: [2_000], requests: 20, emails: 300, deadlines: 3, partiesPerDeadline: 22, openCases: 40, runs: 1, cachedWorkflows: 10 }
  : { starts: 1_000, rows: [10_000, 100_000], requests: 30, emails: 10_000, deadlines: 10_000, partiesPerDeadline: 1, openCases: 1_000, runs: 3, cachedWorkflows: 100 };
/** `--deadlines=455x22`: benchmark 3 in another shape (cases × parties per case) than the default. */
const shape = /^--deadlines=(\d+)x(\d+)$/.exec(process.argv.find((a) => a.startsWith('--deadlines=')) ?? '');
if (process.argv.some((a) => a.startsWith('--deadlines=')) && !shape) throw new Error('--deadlines: expected cases x parties, e.g. --deadlines=455x22');
if (shape) Object.assign(SIZES, { deadlines: Number(shape[1]), partiesPerDeadline: Number(shape[2]) });

interface Row {
  what: string;
  value: string;
  baseline: string;
  ratio: string;
}
const table: Row[] = [];
const checks: string[] = [];

const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Wall time for `n` plain e-mails through nodemailer alone (a pooled transport, 10 at a time): the baseline for
 * the e-mail measures. */
async function nodemailerAlone(smtpUrl: string, n: number): Promise<number> {
  const raw = createTransport(smtpUrl, { pool: true, maxConnections: 5 } as object);
  const tag = randomUUID().slice(0, 8);
  try {
    return (await load(n, 10, async (i) => void (await raw.sendMail({ from: 'bench@kkr.example', to: `r${i}@kommune.example`, subject: `Rå ${tag} ${i}`, text: 'Fristen er i dag.' })))).wallMs;
  } finally {
    raw.close();
  }
}

/** Seconds since the run began, on stderr per measure: CI runs the smoke run on a time budget. */
const t0 = performance.now();
const phase = (what: string) => console.error(`[${((performance.now() - t0) / 1000).toFixed(0)} s] ${what}`);

async function main() {
  const sys = await startSystem();
  phase('system started');
  try {
    const { pool, mail, client, web, base, auth } = sys;
    // Idle baseline: both processes up and connected, nothing started yet.
    await sys.api('GET', '/api/v1/cases');
    await new Promise((r) => setTimeout(r, 2000));
    const baseRss = { worker: rssMb(sys.worker.pid!), web: rssMb(web.pid!) };

    if (want('starts')) {
      phase('starts');
      // ---- 1. Starting procedures: through the API vs. the bare Temporal client, the median of several runs ----
      const runs: { api: { latencies: number[]; wallMs: number }; bare: { latencies: number[]; wallMs: number }; doneMs: number }[] = [];
      for (let run = 0; run < SIZES.runs; run++) {
        const runStart = performance.now();
        const api = await load(SIZES.starts, 20, (i) => startCaseViaApi(sys, { procedure: 'orientation', input: { title: `Benchmark ${run}-${i}`, message: 'Orientering i en benchmark.', partyIds: ['461'] } }));
        const bare = await load(SIZES.starts, 20, async (i) => {
          const caseId = caseIdFor('ORI', randomUUID());
          const args = await orientationProcedure.toWorkflowArgs({ title: `Bare ${run}-${i}`, message: 'Orientering i en benchmark.', partyIds: ['461'] }, { caseId, actor: 'bench', publicUrl: base, pool });
          await client.workflow.start('orientation', { taskQueue: 'bench', workflowId: caseId, args });
        });
        // Both batches done end to end (the worker records each case and sends its e-mail) before the next run.
        await drain(pool, 2 * SIZES.starts * (run + 1));
        runs.push({ api, bare, doneMs: performance.now() - runStart });
      }
      {
        const tput = (r: { wallMs: number }) => SIZES.starts / (r.wallMs / 1000);
        const over = (f: (r: { latencies: number[]; wallMs: number }) => number) => ({ api: median(runs.map((r) => f(r.api))), bare: median(runs.map((r) => f(r.bare))) });
        const p50 = over((r) => median(r.latencies));
        const p95 = over((r) => pct(r.latencies, 95));
        const tp = over(tput);
        const of = SIZES.runs > 1 ? ` (median of ${SIZES.runs} runs)` : '';
        table.push({ what: `Start ${SIZES.starts} procedures via POST /api/v1/cases: p50${of}`, value: ms(p50.api), baseline: `${ms(p50.bare)} (client.workflow.start)`, ratio: (p50.api / p50.bare).toFixed(2) });
        table.push({ what: '… p95', value: ms(p95.api), baseline: ms(p95.bare), ratio: (p95.api / p95.bare).toFixed(2) });
        table.push({ what: '… throughput (20 concurrent)', value: `${tp.api.toFixed(0)}/s`, baseline: `${tp.bare.toFixed(0)}/s`, ratio: (tp.api / tp.bare).toFixed(2) });
        const done = median(runs.map((r) => (2 * SIZES.starts) / (r.doneMs / 1000)));
        table.push({ what: '… completed end to end (case recorded, e-mail sent, case closed), both batches', value: `${done.toFixed(0)}/s`, baseline: `${tp.bare.toFixed(0)}/s (started)`, ratio: (done / tp.bare).toFixed(2) });
      }
    }

    if (want('lists')) {
      phase('lists');
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
    }

    if (want('memory')) {
      phase('memory');
      // ---- 4. Memory of the worker and the web server with many open cases ----
      await load(SIZES.openCases, 20, (i) => startCaseViaApi(sys, openCaseInput(`Åben benchmark-sag ${i}`, ['461', '621'])));
      // Until every case has reached its collection (the worker holds them in its cache).
      for (const deadline = Date.now() + 300_000; ; ) {
        const n = Number((await pool.query("SELECT count(*) AS n FROM case_summary WHERE title LIKE '%Åben benchmark-sag %' AND stage <> 'Oprettet'")).rows[0].n);
        if (n >= SIZES.openCases) break;
        if (Date.now() > deadline) {
          const stages = (await pool.query("SELECT stage, count(*) AS n FROM case_summary WHERE title LIKE '%Åben benchmark-sag %' GROUP BY stage")).rows;
          throw new Error(`only ${n} of ${SIZES.openCases} open cases reached their collection in 5 minutes: ${JSON.stringify(stages)}`);
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
      await fetch(`${base}/`, { headers: auth });
      table.push({ what: `Worker RSS with ${SIZES.openCases.toLocaleString('da-DK')} open cases`, value: `${rssMb(sys.worker.pid!).toFixed(0)} MB`, baseline: `${baseRss.worker.toFixed(0)} MB (idle, at start)`, ratio: (rssMb(sys.worker.pid!) / baseRss.worker).toFixed(2) });
      table.push({ what: 'Web server RSS', value: `${rssMb(web.pid!).toFixed(0)} MB`, baseline: `${baseRss.web.toFixed(0)} MB (idle, at start)`, ratio: (rssMb(web.pid!) / baseRss.web).toFixed(2) });

      // The same open cases with a bounded workflow cache: a new worker, each case asked for its state once (which
      // loads it into the cache, evicting the least recently used beyond the limit).
      await sys.killWorker();
      sys.startWorker({ WORKER_MAX_CACHED_WORKFLOWS: String(SIZES.cachedWorkflows) });
      const openIds = (await pool.query<{ case_id: string }>("SELECT case_id FROM case_summary WHERE title LIKE '%Åben benchmark-sag %'")).rows.map((r) => r.case_id);
      const idleBounded = await (async () => {
        await client.workflow.getHandle(openIds[0]!).query('caseState');
        return rssMb(sys.worker.pid!);
      })();
      await load(openIds.length, 10, async (i) => void (await client.workflow.getHandle(openIds[i]!).query('caseState')));
      table.push({ what: `Worker RSS with ${SIZES.openCases.toLocaleString('da-DK')} open cases, WORKER_MAX_CACHED_WORKFLOWS=${SIZES.cachedWorkflows}, each case queried once`, value: `${rssMb(sys.worker.pid!).toFixed(0)} MB`, baseline: `${idleBounded.toFixed(0)} MB (after its first query)`, ratio: (rssMb(sys.worker.pid!) / idleBounded).toFixed(2) });

      // The open cases' invitations are sent before the e-mail measures start.
      await drain(pool);
    }

    if (want('outbox')) {
      phase('outbox');
      // ---- 3b. Many e-mails at once through the outbox, vs. plain SMTP; then the same batch again (a replay) ----
      const email = createEmailActivities({ pool, transport: createTransport(mail.smtpUrl, { pool: true, maxConnections: 5 } as object), from: 'Bench <bench@kkr.example>' });
      const batchId = randomUUID().slice(0, 8);
      const messages: OutgoingEmail[] = Array.from({ length: SIZES.emails }, (_, i) => ({ caseId: `MAIL-${batchId}`, step: 'reminder', recipient: `r${i}@kommune.example`, reminder: 'due', subject: `Påmindelse ${batchId} ${i}`, text: 'Fristen er i dag.', html: '<p>Fristen er i dag.</p>' }));
      const chunks = Array.from({ length: 10 }, (_, k) => messages.filter((_, i) => i % 10 === k));
      const [outboxMs] = await timed(() => Promise.all(chunks.map((c) => email.sendEmails(c))));
      // The baseline sends as many messages with the same parallelism (10 sequences), without the outbox.
      const rawMs = await nodemailerAlone(mail.smtpUrl, messages.length);
      const replay = await Promise.all(chunks.map((c) => email.sendEmails(c)));
      const caught = mail.messages().filter((m) => m.subject.startsWith(`Påmindelse ${batchId} `));
      const distinct = new Set(caught.map((m) => m.subject)).size;
      const resent = replay.reduce((a, r) => a + r.sent, 0);
      table.push({ what: `${SIZES.emails.toLocaleString('da-DK')} reminders due at once, through the outbox: time until all sent`, value: `${(outboxMs / 1000).toFixed(1)} s`, baseline: `${(rawMs / 1000).toFixed(1)} s (nodemailer alone)`, ratio: (outboxMs / rawMs).toFixed(2) });
      table.push({ what: '… duplicates after sending the same batch again', value: String(caught.length - distinct + resent), baseline: '0', ratio: '' });
      if (caught.length !== SIZES.emails || distinct !== SIZES.emails || resent !== 0) checks.push(`e-mails: ${caught.length} caught, ${distinct} distinct, ${resent} re-sent of ${SIZES.emails}`);
    }

    if (want('deadlines')) {
      phase('deadlines');
      // ---- 3a. Many deadlines falling due in the same minute: durable timers, reminders, outbox, SMTP ----
      const burst = await measureDeadlineBurst(sys, SIZES.deadlines, SIZES.partiesPerDeadline, (m) => console.error(m), smoke ? { baseLeadMs: 30_000 } : {});
      if (!burst.measured) {
        table.push({ what: `${SIZES.deadlines.toLocaleString('da-DK')} deadlines (× ${SIZES.partiesPerDeadline} parties) with reminders in the same minute`, value: `ikke målt: ${burst.reason}`, baseline: '', ratio: '' });
      } else {
        // The baseline: as many e-mails sent by nodemailer alone, in the same run, after the burst.
        const rawMs = await nodemailerAlone(mail.smtpUrl, burst.reminders);
        const shape = SIZES.partiesPerDeadline === 1 ? 'one party to remind' : `${SIZES.partiesPerDeadline} parties to remind`;
        table.push({
          what: `${burst.cases.toLocaleString('da-DK')} deadlines falling due in the same minute, each with ${shape} (${burst.reminders.toLocaleString('da-DK')} reminders): from the minute until every reminder was sent`,
          value: `${(burst.untilAllMs / 1000).toFixed(1)} s (first after ${(burst.untilFirstMs / 1000).toFixed(1)} s)`,
          baseline: `${(rawMs / 1000).toFixed(1)} s (nodemailer alone, same number of e-mails)`,
          ratio: (burst.untilAllMs / rawMs).toFixed(2),
        });
        table.push({ what: '… reminders doubled / missing / unexpected', value: `${burst.duplicates} / ${burst.missing} / ${burst.unexpected}`, baseline: '0 / 0 / 0', ratio: '' });
        table.push({ what: '… worker RSS: before the minute / highest during the burst', value: `${burst.workerRssMb.before.toFixed(0)} MB / ${burst.workerRssMb.peak.toFixed(0)} MB`, baseline: '', ratio: '' });
        if (burst.lateSetup) table.push({ what: '… cases still being set up when the minute came', value: String(burst.lateSetup), baseline: '0', ratio: '' });
        if (burst.duplicates || burst.missing || burst.unexpected) checks.push(`deadline burst: ${burst.duplicates} doubled, ${burst.missing} missing, ${burst.unexpected} unexpected of ${burst.expected} expected`);
      }
    }
  } finally {
    phase('stopping');
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
