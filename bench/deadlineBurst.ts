/**
 * Benchmark 3: many deadlines falling due in the same minute, on the real system. Each of `n` central
 * announcements waits for the answers of `partiesPerCase` municipalities, with a reminder to each one working day
 * before its collection deadline. The
 * worker is restarted with NOTICE_TIME set to a minute a little ahead, so every reminder's durable timer fires in
 * that same minute; the measure is the time from that minute until the last reminder has reached the SMTP server,
 * and the check is that each case's contacts got exactly one reminder.
 *
 * Reminders go out on working days only (like the real ones), so on a weekend or holiday, or too close to midnight
 * for the cases to be started first, the measure is reported as not taken instead of being faked.
 */
import { randomUUID } from 'node:crypto';
import { copenhagenToday, endOfDayInstant } from '../domain/calendar/timeZone';
import { danishCalendar } from '../domain/calendar/workingDays';
import type { PlainDate } from '../domain/calendar/plainDate';
import { openCaseInput, type System } from './system';

export type BurstResult =
  | { measured: false; reason: string }
  | {
      measured: true;
      cases: number;
      reminders: number;
      /** From the notice minute until the last reminder was received by the SMTP server. */
      untilAllMs: number;
      untilFirstMs: number;
      duplicates: number;
      missing: number;
      /** Cases not yet set up when the minute came (their setup overlapped the measure). */
      lateSetup: number;
    };

/** 'HH:MM' of a Copenhagen instant, and its date. */
function copenhagenClock(ms: number): { date: string; hhmm: string } {
  const date = copenhagenToday(ms);
  const endMs = endOfDayInstant(date as PlainDate).epochMs + 1;
  const minutesBeforeMidnight = Math.ceil((endMs - ms) / 60_000);
  const m = 24 * 60 - minutesBeforeMidnight;
  return { date, hhmm: `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}` };
}

export async function measureDeadlineBurst(sys: System, n: number, partiesPerCase: number, log: (s: string) => void): Promise<BurstResult> {
  // Time to start the cases and send their invitations before the minute comes (about 20 e-mails a second on the
  // 2-core machine; what is not done by then is reported as late setup).
  const leadMs = 90_000 + n * partiesPerCase * 50;
  const today = copenhagenToday();
  if (!danishCalendar.isWorkingDay(today as PlainDate)) return { measured: false, reason: `${today} er ikke en arbejdsdag; påmindelser sendes kun på arbejdsdage` };
  const notice = copenhagenClock(Date.now() + leadMs + 60_000);
  if (notice.date !== today) return { measured: false, reason: 'for tæt på midnat til at nå at oprette sagerne' };
  const noticeAt = endOfDayInstant(today as PlainDate).epochMs + 1 - (24 * 60 - (Number(notice.hhmm.slice(0, 2)) * 60 + Number(notice.hhmm.slice(3)))) * 60_000;
  const dueDate = danishCalendar.nextWorkingDay(today as PlainDate);

  await sys.killWorker();
  sys.startWorker({ NOTICE_TIME: notice.hhmm });
  log(`deadline burst: ${n} cases × ${partiesPerCase} parties, reminders at ${notice.hhmm} Copenhagen time (${new Date(noticeAt).toISOString()}), due ${dueDate}`);

  // The region's 22 municipalities, in turn.
  const parties = ['461', '621', '630', '561', '479', '510', '540', '550', '573', '575', '580', '607', '410', '420', '430', '440', '450', '480', '482', '492', '530', '563'];
  const tag = randomUUID().slice(0, 6);
  const title = (i: number) => `Fristbenchmark ${tag} ${i}`;
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      for (let i = next++; i < n; i = next++) {
        const body = openCaseInput(title(i), Array.from({ length: partiesPerCase }, (_, k) => parties[(i + k) % parties.length]!));
        body.input.collectionDeadline = { wording: 'senest næste arbejdsdag', nominalDate: dueDate };
        const res = await fetch(`${sys.base}/api/v1/cases`, {
          method: 'POST',
          headers: { ...sys.auth, 'content-type': 'application/json' },
          body: JSON.stringify({ ...body, input: { ...body.input, ladder: { workingDaysBefore: [1], onTheDay: false, escalateWorkingDaysAfter: null } }, requestId: randomUUID() }),
        });
        if (res.status !== 201) throw new Error(`deadline case: ${res.status} ${await res.text()}`);
      }
    }),
  );
  // Every case invited its party: the reminders go to the same contacts.
  const ours = (m: { subject: string }) => m.subject.includes(`Fristbenchmark ${tag} `);
  const invitations = () => sys.mail.messages().filter((m) => m.subject.startsWith('Central udmelding om') && ours(m));
  const setupDeadline = noticeAt + 10 * 60_000;
  let lastCount = -1;
  while (Date.now() < setupDeadline) {
    const caught = invitations().length;
    const started = Number((await sys.pool.query("SELECT count(*) AS n FROM case_summary WHERE title LIKE $1 AND stage <> 'Oprettet'", [`%Fristbenchmark ${tag} %`])).rows[0].n);
    if (started >= n && caught === lastCount) break;
    lastCount = caught;
    await new Promise((r) => setTimeout(r, 2000));
  }
  const lateSetup = Date.now() > noticeAt ? n - Number((await sys.pool.query("SELECT count(*) AS n FROM case_summary WHERE title LIKE $1 AND stage <> 'Oprettet'", [`%Fristbenchmark ${tag} %`])).rows[0].n) : 0;
  const expected = invitations().length;
  log(`deadline burst: ${n} cases set up, ${expected} invitations; waiting ${Math.max(0, Math.round((noticeAt - Date.now()) / 1000))} s for the minute`);

  const reminders = () => sys.mail.messages().filter((m) => m.subject.startsWith('Påmindelse: bidrag til afrapportering om') && ours(m));
  const until = noticeAt + 30 * 60_000;
  while (Date.now() < until && reminders().length < expected) await new Promise((r) => setTimeout(r, 500));
  // A little longer, so a doubled reminder would show.
  await new Promise((r) => setTimeout(r, 5000));
  const got = reminders();
  const key = (m: { to: string; subject: string }) => `${m.to}|${m.subject}`;
  const distinct = new Set(got.map(key)).size;
  const times = got.map((m) => Date.parse(m.receivedAt));
  return {
    measured: true,
    cases: n,
    reminders: got.length,
    untilAllMs: times.length ? Math.max(...times) - noticeAt : NaN,
    untilFirstMs: times.length ? Math.min(...times) - noticeAt : NaN,
    duplicates: got.length - distinct,
    missing: expected - distinct,
    lateSetup,
  };
}
