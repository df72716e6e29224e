/**
 * Danish date texts for letters, e-mails, the journal and the UI.
 *
 * Hand-written rather than Intl-based: the output is legal text that must be byte-stable across Node/ICU
 * versions, and the Danish conventions used in the case documents ("søndag 10. september 2023") are simple.
 */
import { isoWeekday, plainDate, toParts, type PlainDate } from './plainDate';

export const DANISH_WEEKDAYS = ['mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag', 'søndag'] as const;

export const DANISH_MONTHS = [
  'januar',
  'februar',
  'marts',
  'april',
  'maj',
  'juni',
  'juli',
  'august',
  'september',
  'oktober',
  'november',
  'december',
] as const;

export function danishWeekdayName(date: PlainDate): string {
  return DANISH_WEEKDAYS[isoWeekday(date) - 1]!;
}

export function danishMonthName(month: number): string {
  const name = DANISH_MONTHS[month - 1];
  if (!name) throw new RangeError(`danishMonthName: ${month} is not a month`);
  return name;
}

/** "10. september 2023" */
export function formatDanishDateNoWeekday(date: PlainDate): string {
  const { year, month, day } = toParts(date);
  return `${day}. ${danishMonthName(month)} ${year}`;
}

/** "søndag 10. september 2023" */
export function formatDanishDate(date: PlainDate): string {
  return `${danishWeekdayName(date)} ${formatDanishDateNoWeekday(date)}`;
}

/** "10. september" (as in "inden den 10. september") */
export function formatDanishDayMonth(date: PlainDate): string {
  const { month, day } = toParts(date);
  return `${day}. ${danishMonthName(month)}`;
}

/** "10.09.2023", the numeric form used in tables and the journal. */
export function formatDanishNumericDate(date: PlainDate): string {
  const { year, month, day } = toParts(date);
  return `${String(day).padStart(2, '0')}.${String(month).padStart(2, '0')}.${year}`;
}

const DANISH_DATE = /(\d{1,2})\.\s*(januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december)(?:\s+(\d{4}))?/i;

/**
 * Finds the first Danish date ("10. september 2023", "1. januar") in a text. Without a year in the text,
 * `defaultYear` is used; with neither, the result is null, because guessing a year would invent a deadline.
 */
export function parseDanishDate(text: string, defaultYear?: number): PlainDate | null {
  const m = DANISH_DATE.exec(text);
  if (!m) return null;
  const year = m[3] !== undefined ? Number(m[3]) : defaultYear;
  if (year === undefined) return null;
  const month = DANISH_MONTHS.indexOf(m[2]!.toLowerCase() as (typeof DANISH_MONTHS)[number]) + 1;
  try {
    return plainDate(year, month, Number(m[1]));
  } catch {
    return null;
  }
}
