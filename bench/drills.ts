/**
 * `npm run drills` (full) and `npm run drills -- --smoke` (CI): fault drills on the whole system, each ending
 * with a check that nothing was lost or doubled.
 *   1. kill -9 the worker while cases start and send their invitations;
 *   2. kill -9 the Temporal server and start it again;
 *   3. stop PostgreSQL for 30 s while cases are started (their steps wait for the read model);
 *   4. stop SMTP for 60 s while cases send invitations.
 * Then every party answers through its link, and the check: every case reached the draft stage, each invitation
 * and each answer exists exactly once, and the outbox has nothing unsent. Prints a table; exits 1 if a check fails.
 */
import { randomUUID } from 'node:crypto';
import { sleep } from './load';
import { openCaseInput, startSystem, type System } from './system';

const smoke = process.argv.includes('--smoke');
const CASES_PER_DRILL = smoke ? 4 : 25;
const PG_OUTAGE_MS = smoke ? 8_000 : 30_000;
const SMTP_OUTAGE_MS = smoke ? 8_000 : 60_000;
const PARTIES = ['461', '621'];

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 600_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(1000);
  }
}

async function startCases(sys: System, tag: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    // A client that retries on an error: the same requestId never starts a second case.
    const requestId = randomUUID();
    const id = await until(`start ${tag} ${i}`, async () => {
      const r = await sys.api('POST', '/api/v1/cases', { ...openCaseInput(`Øvelse ${tag} ${i}`, PARTIES), requestId });
      return r.status === 201 || r.status === 200 ? String(r.json.caseId) : undefined;
    });
    ids.push(id);
  }
  return ids;
}

interface DrillResult {
  drill: string;
  cases: number;
  ids: string[];
  recoveredInS: number;
}

async function main() {
  const sys = await startSystem();
  const results: DrillResult[] = [];
  const all: string[] = [];
  try {
    const drill = async (name: string, run: () => Promise<string[]>) => {
      const t0 = Date.now();
      const ids = await run();
      all.push(...ids);
      // Recovered: every case of the drill has invited its parties (its collection is open).
      await until(`${name}: cases to reach the collection`, async () => {
        const { rows } = await sys.pool.query("SELECT count(*) AS n FROM case_summary WHERE case_id = ANY($1) AND stage LIKE 'Dataindsamling%'", [ids]);
        return Number(rows[0].n) === ids.length;
      });
      results.push({ drill: name, cases: ids.length, ids, recoveredInS: Math.round((Date.now() - t0) / 1000) });
    };

    await drill('kill -9 the worker while cases start', async () => {
      const starting = startCases(sys, 'worker', CASES_PER_DRILL);
      await sleep(1500);
      await sys.killWorker();
      await sleep(3000);
      sys.startWorker();
      return starting;
    });

    await drill('kill -9 the Temporal server and start it again', async () => {
      const ids = await startCases(sys, 'temporal', CASES_PER_DRILL);
      await sys.killTemporal();
      await sleep(3000);
      await sys.startTemporal();
      return ids;
    });

    await drill(`stop PostgreSQL for ${PG_OUTAGE_MS / 1000} s`, async () => {
      const before = await startCases(sys, 'pg', CASES_PER_DRILL);
      await sys.pg.pause();
      await sleep(PG_OUTAGE_MS);
      await sys.pg.resume();
      return before;
    });

    await drill(`stop SMTP for ${SMTP_OUTAGE_MS / 1000} s`, async () => {
      await sys.mail.pauseSmtp();
      const ids = await startCases(sys, 'smtp', CASES_PER_DRILL);
      await sleep(SMTP_OUTAGE_MS);
      await sys.mail.resumeSmtp();
      return ids;
    });

    // Every party answers through the link in its e-mail (once), after all the faults.
    const invitations = await until('all invitations', async () => {
      const got = sys.mail.messages().filter((m) => m.subject.startsWith('Central udmelding om') && all.some((id) => m.text.includes(id)));
      const ids = new Set(got.map((m) => `${m.headers['message-id']}`));
      return ids.size >= all.length * PARTIES.length ? got : undefined;
    });
    for (const m of invitations) {
      const link = /http:\/\/127\.0\.0\.1(?::\d+)?(\/svar\/[A-Za-z0-9_.-]+)/.exec(m.text)?.[1];
      if (!link) continue;
      // A duplicate e-mail (same Message-ID) would carry the same link: answering twice is refused by the case.
      await fetch(`${sys.base}${link}`, { method: 'POST', body: new URLSearchParams({ text: 'Svar afgivet under en fejløvelse; indsatsen koordineres.' }) });
    }
    await until('every case to reach the draft', async () => {
      const { rows } = await sys.pool.query("SELECT count(*) AS n FROM case_summary WHERE case_id = ANY($1) AND stage LIKE 'Udarbejdelse%'", [all]);
      return Number(rows[0].n) === all.length;
    }).catch(async () => {
      const { rows } = await sys.pool.query('SELECT case_id, stage FROM case_summary WHERE case_id = ANY($1)', [all]);
      throw new Error(`not all cases reached the draft: ${rows.filter((r) => !String(r.stage).startsWith('Udarbejdelse')).map((r) => `${r.case_id}: ${r.stage}`).join('; ')}`);
    });

    // The checks: per case, one invitation per party (distinct Message-IDs), one journal entry per answer, no unsent e-mail.
    const problems: string[] = [];
    for (const id of all) {
      const mails = sys.mail.messages().filter((m) => m.subject.startsWith('Central udmelding om') && m.text.includes(id));
      const perParty = new Map<string, Set<string>>();
      for (const m of mails) for (const to of m.envelopeTo) perParty.set(to, (perParty.get(to) ?? new Set()).add(String(m.headers['message-id'])));
      if (perParty.size !== PARTIES.length || [...perParty.values()].some((s) => s.size !== 1)) problems.push(`${id}: invitations ${JSON.stringify([...perParty].map(([k, v]) => [k, v.size]))}`);
      const { rows } = await sys.pool.query<{ description: string }>("SELECT description FROM case_journal WHERE case_id = $1 AND description LIKE '%: svar fra %'", [id]);
      if (rows.length !== PARTIES.length || new Set(rows.map((r) => r.description)).size !== rows.length) problems.push(`${id}: ${rows.length} answers journaled`);
    }
    const unsent = Number((await sys.pool.query("SELECT count(*) AS n FROM email_outbox WHERE case_id = ANY($1) AND status <> 'sent'", [all])).rows[0].n);
    if (unsent) problems.push(`${unsent} e-mails not sent`);
    const rawDuplicates = sys.mail.messages().filter((m) => m.subject.startsWith('Central udmelding om') && all.some((id) => m.text.includes(id))).length - all.length * PARTIES.length;

    console.log(
      [
        `Fault drills (${smoke ? 'smoke' : 'full'}), ${CASES_PER_DRILL} cases per drill, each case inviting ${PARTIES.length} parties`,
        '',
        '| Drill | Cases | Until every case continued | Result |',
        '|---|---|---|---|',
        ...results.map((r) => `| ${r.drill} | ${r.cases} | ${r.recoveredInS} s | ${problems.some((p) => r.ids.some((id) => p.startsWith(id))) ? 'FAILED, see below' : 'nothing lost or doubled'} |`),
        '',
        `All ${all.length} cases reached the draft after every party answered; invitations: ${all.length * PARTIES.length} distinct, ` +
          `${rawDuplicates} re-delivered copies with the same Message-ID (a send cut off between SMTP's reply and the outbox update); unsent: ${unsent}.`,
      ].join('\n'),
    );
    if (problems.length) {
      console.error(`\nFAILED:\n${problems.join('\n')}`);
      process.exitCode = 1;
    }
  } finally {
    await sys.stop();
  }
  process.exit(process.exitCode ?? 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
