/**
 * Pure formatting helpers for everything a user reads: dates in sentences ("30. april 2027", never ISO), dates with
 * weekday where a deadline is named, times in Danish time, amounts with thousands separators ("18.000.000 kr."),
 * shares as percentages, singular and plural ("1 e-mail", "3 e-mails"), and texts without the procedure texts'
 * source references ("(002:1558-1575)", "(A-22)"). Tested in test/api/format.test.ts.
 */
import { formatDanishDate, formatDanishDateNoWeekday } from '../../domain/calendar/format';
import type { PlainDate } from '../../domain/calendar/plainDate';
import { copenhagenToday, utcOffsetMinutes } from '../../domain/calendar/timeZone';

/** The instant's date and time of day in Copenhagen (summer and winter time alike), by the calendar's own offset. */
function copenhagenParts(iso: string): { date: PlainDate; hour: string; minute: string; second: string } {
  const ms = Date.parse(iso);
  const local = new Date(ms + utcOffsetMinutes(ms) * 60_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return { date: local.toISOString().slice(0, 10) as PlainDate, hour: two(local.getUTCHours()), minute: two(local.getUTCMinutes()), second: two(local.getUTCSeconds()) };
}

/** "søndag 10. september 2023" for a plain ISO date: the same wording as e-mails and the journal. */
export function danishDate(iso: string): string {
  return formatDanishDate(iso.slice(0, 10) as PlainDate);
}

/** "30. april 2027": a date in a sentence. */
export function danishDateShort(iso: string): string {
  return formatDanishDateNoWeekday(iso.slice(0, 10) as PlainDate);
}

/** "3. december 2026 kl. 18.17": an instant in Danish time. */
export function danishDateTime(iso: string): string {
  const p = copenhagenParts(iso);
  return `${formatDanishDateNoWeekday(p.date)} kl. ${p.hour}.${p.minute}`;
}

/** "2026-12-03 18:17:05": an instant in Danish time for a spreadsheet or records system (sortable, no zone). */
export function copenhagenTimestamp(iso: string): string {
  const p = copenhagenParts(iso);
  return `${p.date} ${p.hour}:${p.minute}:${p.second}`;
}

/** "18.000.000 kr.", "1.234,50 kr.", "-2.000.000 kr." from a number or a decimal string ("1234.5"). */
export function kroner(amount: number | string): string {
  const text = typeof amount === 'number' ? amount.toFixed(2) : amount.trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return `${text} kr.`;
  const [, sign, whole, frac = ''] = m;
  const cents = (frac + '00').slice(0, 2);
  const grouped = whole!.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}${grouped}${/^0*$/.test(cents) ? '' : `,${cents}`} kr.`;
}

/** A share (0.3333 or "0.3333") as "33,3 %"; whole percentages without decimals ("25 %"). */
export function percent(share: number | string, decimals = 1): string {
  const n = Number(share) * 100;
  const rounded = n.toFixed(decimals);
  const text = Number(rounded) === Math.round(n) && Math.abs(n - Math.round(n)) < 1e-9 ? String(Math.round(n)) : rounded;
  return `${text.replace('.', ',').replace(/\B(?=(\d{3})+(?!\d))/g, '.')} %`;
}

/** "1 e-mail", "3 e-mails", "0 parter": the count and the right form of the noun. */
export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('da-DK')} ${n === 1 ? one : many}`;
}

/**
 * A text from the procedures made readable: source references to the procedure texts ("(002:1558-1575)",
 * "(A-22)") removed, ISO dates ("2026-12-28") written as "28. december 2026", and "1 parter"/"1 e-mails" in the
 * singular.
 */
export function readable(text: string): string {
  return text
    .replace(/\s*\((?:\d{3}:\d+(?:-\d+)?(?:[,;] ?)?)+\)/g, '')
    .replace(/\s*\((?:[A-Z]{1,2}-\d+(?:[,;] ?)?)+\)/g, '')
    .replace(/(?<![\d-])(\d{4}-\d{2}-\d{2})(?![\d-]|T\d|:\d)/g, (d) => danishDateShort(d))
    .replace(/\b1 parter\b/g, '1 part')
    .replace(/\b1 e-mails\b/g, '1 e-mail')
    .replace(/\b1 kommuner\b/g, '1 kommune');
}

/**
 * A validation message as the form shows it next to its label: the API's naming of the field ('Feltet "title"
 * (udmeldingens titel) …') is dropped, since the label stands before it already.
 */
export function userReason(reason: string): string {
  return reason.replace(/^Feltet "[^"]+"(?: \([^)]*\))?:? /, '');
}

export const statusLabel: Record<string, string> = {
  open: 'Åben',
  completed: 'Afsluttet',
  withdrawn: 'Trukket tilbage',
  failed: 'Fejlet',
};

/** Whole days from today (Copenhagen) to the due date; negative when overdue. */
export function daysLeft(dueDate: string, today = new Date()): number {
  const todayIso = copenhagenToday(today.getTime());
  return Math.round((Date.parse(`${dueDate}T00:00:00Z`) - Date.parse(`${todayIso}T00:00:00Z`)) / 86_400_000);
}

/** "i dag", "i morgen", "om 12 dage", "1 dag over fristen", "3 dage over fristen". */
export function daysLeftText(days: number): string {
  if (days === 0) return 'i dag';
  if (days === 1) return 'i morgen';
  if (days > 1) return `om ${days} dage`;
  return `${plural(-days, 'dag', 'dage')} over fristen`;
}

export function deadlineClass(row: { nextDeadline: { dueDate: string } | null; status: string }): string {
  if (!row.nextDeadline || row.status !== 'open') return '';
  const d = daysLeft(row.nextDeadline.dueDate);
  return d < 0 ? 'overdue' : d <= 7 ? 'atrisk' : '';
}
