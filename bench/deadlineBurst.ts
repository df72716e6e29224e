/**
 * Benchmark 3: many deadlines falling due in the same minute, on the real system. Each of `n` central
 * announcements waits for the answers of `partiesPerCase` municipalities, with a reminder to each one working day
 * before its collection deadline. The
 * worker is restarted with NOTICE_TIME set to a minute a little ahead, so every reminder's durable timer fires in
 * that same minute; the measure is the time from that minute until the last reminder has reached the SMTP server,
 * and the check is that every contact a case invited (the outbox's invitation rows) got exactly one reminder, and
 * nobody else got one.
 *
 * Reminders go out on working days only (like the real ones), so on a weekend or holiday, or too close to midnight
 * for the cases to be started first, the measure is reported as not taken instead of being faked.
 */
import { randomUUID } from 'node:crypto';
import { copenhagenToday, endOfDayInstant } from '../domain/calendar/timeZone';
import { danishCalendar } from '../domain/calendar/workingDays';
import type { PlainDate } from '../domain/calendar/plainDate';
import { load, sleep, startCaseViaApi } from './load';
import { openCaseInput, rssMb, type System } from './system';

export type BurstResult =
  | { measured: false; reason: string }
  | {
      measured: true;
      cases: number;
      /** Reminders the SMTP server received for these cases. */
      reminders: number;
      /** One per contact each case invited, read from the outbox's invitation rows. */
      expected: number;
      /** From the notice minute until the last reminder was received by the SMTP server. */
      untilAllMs: number;
      untilFirstMs: number;
      duplicates: number;
      /** Invited contacts that got no reminder. */
      missing: number;
      /** Reminders to a contact the case never invited. */
      unexpected: number;
      /** Cases not yet set up when the minute came (their setup overlapped the measure). */
      lateSetup: number;
      workerRssMb: { before: number; peak: number };
    };

/** 'HH:MM' of a Copenhagen instant, and its date. */
function copenhagenClock(ms: number): { date: string; hhmm: string } {
  const date = copenhagenToday(ms);
  const endMs = endOfDayInstant(date as PlainDate).epochMs + 1;
  const minutesBeforeMidnight = Math.ceil((endMs - ms) / 60_000);
  const m = 24 * 60 - minutesBeforeMidnight;
  return { date, hhmm: `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}` };
}

const SETUP_WINDOW = 300;

/** `baseLeadMs`: the time allowed for restarting the worker before the cases' own setup time is added. 90 s holds
 * for thousands of cases on this machine; the smoke run's three cases are set up in about 10 s, so it asks for less
 * and does not spend CI's time waiting for the minute. */
export async function measureDeadlineBurst(sys: System, n: number, partiesPerCase: number, log: (s: string) => void, opts: { baseLeadMs?: number } = {}): Promise<BurstResult> {
  // Time to start the cases and send their invitations before the minute comes. On the 2-core machine a central
  // announcement takes about 200 ms of the worker's time to start and an invitation about 50 ms to send; what is
  // not done by then is reported as late setup.
  const leadMs = (opts.baseLeadMs ?? 90_000) + n * 200 + n * partiesPerCase * 50;
  const today = copenhagenToday();
  if (!danishCalendar.isWorkingDay(today as PlainDate)) return { measured: false, reason: `${today} er ikke en arbejdsdag; påmindelser sendes kun på arbejdsdage` };
  const notice = copenhagenClock(Date.now() + leadMs + 60_000);
  if (notice.date !== today) return { measured: false, reason: 'for tæt på midnat til at nå at oprette sagerne' };
  const noticeAt = endOfDayInstant(today as PlainDate).epochMs + 1 - (24 * 60 - (Number(notice.hhmm.slice(0, 2)) * 60 + Number(notice.hhmm.slice(3)))) * 60_000;
  const dueDate = danishCalendar.nextWorkingDay(today as PlainDate);

  await sys.stopWorker();
  sys.startWorker({ NOTICE_TIME: notice.hhmm });
  log(`deadline burst: ${n} cases × ${partiesPerCase} parties, reminders at ${notice.hhmm} Copenhagen time (${new Date(noticeAt).toISOString()}), due ${dueDate}`);

  // The region's 22 municipalities, in turn.
  const parties = ['461', '621', '630', '561', '479', '510', '540', '550', '573', '575', '580', '607', '410', '420', '430', '440', '450', '480', '482', '492', '530', '563'];
  const tag = randomUUID().slice(0, 6);
  const titleLike = `%Fristbenchmark ${tag} %`;
  const caseOf = new RegExp(`Fristbenchmark ${tag} (\\d+)`);
  const setUp = async () => Number((await sys.pool.query("SELECT count(*) AS n FROM case_summary WHERE title LIKE $1 AND stage <> 'Oprettet'", [titleLike])).rows[0].n);
  // Taken when the minute comes, whether or not the setup below is still running.
  const setUpAtMinute = sleep(Math.max(0, noticeAt - Date.now())).then(setUp);

  const setupStart = Date.now();
  // At most SETUP_WINDOW cases started and not yet set up, so the worker's backlog stays small and the cases are
  // set up in the order they were started. (Started all at once, 10,000 cases were set up at the same 4.5-5 a
  // second, but as a backlog of thousands of half-started cases, each waiting for the worker.)
  let setUpSoFar = 0;
  let refreshing: Promise<void> | undefined;
  const room = async (i: number) => {
    while (i - setUpSoFar >= SETUP_WINDOW) {
      refreshing ??= sleep(500).then(async () => {
        setUpSoFar = await setUp();
        refreshing = undefined;
      });
      await refreshing;
    }
  };
  await load(n, 20, async (i) => {
    await room(i);
    const body = openCaseInput(`Fristbenchmark ${tag} ${i}`, Array.from({ length: partiesPerCase }, (_, k) => parties[(i + k) % parties.length]!));
    return startCaseViaApi(sys, {
      procedure: body.procedure,
      input: {
        ...body.input,
        collectionDeadline: { wording: 'senest næste arbejdsdag', nominalDate: dueDate },
        ladder: { workingDaysBefore: [1], onTheDay: false, escalateWorkingDaysAfter: null },
      },
    });
  });

  const startedAt = Date.now();
  // Who should get a reminder comes from the data: every contact a case invited (the outbox's invitation rows).
  const invited = async () => {
    const { rows } = await sys.pool.query<{ recipient: string; subject: string; status: string }>(
      "SELECT recipient, subject, status FROM email_outbox WHERE reminder = '' AND subject LIKE 'Central udmelding om%' AND subject LIKE $1",
      [titleLike],
    );
    return rows;
  };
  const key = (to: string, subject: string) => `${to.toLowerCase()}|${caseOf.exec(subject)?.[1]}`;
  // Set up = every case past its start and its invitations sent (or the minute long gone).
  for (const giveUpAt = noticeAt + 10 * 60_000; Date.now() < giveUpAt; await sleep(2000)) {
    const rows = await invited();
    const casesInvited = new Set(rows.map((r) => caseOf.exec(r.subject)?.[1])).size;
    if (process.env.KKR_TEST_DEBUG) log(`setup: ${await setUp()} started, ${casesInvited} cases invited (${rows.length} contacts), ${rows.filter((r) => r.status !== 'sent').length} unsent`);
    if ((await setUp()) >= n && casesInvited >= n && rows.every((r) => r.status === 'sent')) break;
  }
  log(`deadline burst: ${n} cases started in ${((startedAt - setupStart) / 1000).toFixed(0)} s, set up in ${((Date.now() - setupStart) / 1000).toFixed(0)} s; waiting ${Math.max(0, Math.round((noticeAt - Date.now()) / 1000))} s for the minute`);
  const lateSetup = n - (await setUpAtMinute);

  const workerRssMb = { before: rssMb(sys.worker.pid!), peak: 0 };
  const reminders = () => sys.mail.messages().filter((m) => m.subject.startsWith('Påmindelse: bidrag til afrapportering om') && caseOf.test(m.subject));
  let expected = new Set<string>();
  // The burst is worked off at about 6 cases a second here (10,000 took 29 minutes), so the wait grows with n.
  for (const until = noticeAt + 30 * 60_000 + n * 200; Date.now() < until; await sleep(1000)) {
    workerRssMb.peak = Math.max(workerRssMb.peak, rssMb(sys.worker.pid!));
    expected = new Set((await invited()).map((r) => key(r.recipient, r.subject)));
    const received = new Set(reminders().map((m) => key(m.to, m.subject)));
    if ([...expected].every((k) => received.has(k))) break;
  }
  // A little longer, so a doubled or a stray reminder would show.
  await sleep(5000);
  const got = reminders();
  const received = new Set(got.map((m) => key(m.to, m.subject)));
  const times = got.map((m) => Date.parse(m.receivedAt));
  return {
    measured: true,
    cases: n,
    reminders: got.length,
    expected: expected.size,
    untilAllMs: times.length ? Math.max(...times) - noticeAt : NaN,
    untilFirstMs: times.length ? Math.min(...times) - noticeAt : NaN,
    duplicates: got.length - received.size,
    missing: [...expected].filter((k) => !received.has(k)).length,
    unexpected: [...received].filter((k) => !expected.has(k)).length,
    lateSetup,
    workerRssMb,
  };
}
