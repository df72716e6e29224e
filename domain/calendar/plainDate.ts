/**
 * Plain calendar dates ('YYYY-MM-DD') with no time and no time zone.
 *
 * Legal deadlines are calendar days, so a JavaScript Date in local time would let the host's time zone move a
 * deadline by a day. All arithmetic here works on a day count (days since 1970-01-01, proleptic Gregorian, the
 * same count as UTC midnight) with integer-only civil-date conversion (H. Hinnant's algorithms), so the results
 * do not depend on the host clock, the host time zone or the Date object, and the module is safe in a Temporal
 * workflow sandbox.
 */

import type { z } from 'zod';

/**
 * An ISO calendar date 'YYYY-MM-DD' that has been validated as a real Gregorian date. The brand is zod's own
 * (a type-only import, erased at runtime), so a schema can produce it with `.brand<'PlainDate'>()` instead of
 * a transform, which keeps the schemas representable as JSON Schema in both directions.
 */
export type PlainDate = string & z.core.$brand<'PlainDate'>;

/** ISO weekday: 1 = Monday … 7 = Sunday (the Danish week starts on Monday). */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface DateParts {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number; // 1-31
}

// Years outside this range are not meaningful for case deadlines and would need more than four digits.
export const MIN_YEAR = 1600;
export const MAX_YEAR = 9999;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function validParts(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= MIN_YEAR &&
    year <= MAX_YEAR &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** True when `value` is a string 'YYYY-MM-DD' naming a real date (2023-02-29 is not one). */
export function isPlainDate(value: unknown): value is PlainDate {
  if (typeof value !== 'string') return false;
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  return validParts(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Validates and brands an ISO date string; throws on anything else so bad data fails loudly at the boundary. */
export function parsePlainDate(value: string): PlainDate {
  if (!isPlainDate(value)) throw new RangeError(`Ugyldig dato: "${String(value)}" (forventet ÅÅÅÅ-MM-DD)`);
  return value;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Builds a date from its parts; the parts must form a real date (no silent roll-over: 31 April throws). */
export function plainDate(year: number, month: number, day: number): PlainDate {
  if (!validParts(year, month, day)) {
    throw new RangeError(`Ugyldig dato: år ${year}, måned ${month}, dag ${day}`);
  }
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}` as PlainDate;
}

export function toParts(date: PlainDate): DateParts {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

export function yearOf(date: PlainDate): number {
  return Number(date.slice(0, 4));
}

/** Days since 1970-01-01 (Hinnant's days_from_civil; exact for the whole proleptic Gregorian calendar). */
export function toDayNumber(date: PlainDate): number {
  const { year, month, day } = toParts(date);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12; // March = 0
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Inverse of toDayNumber (Hinnant's civil_from_days). */
export function fromDayNumber(dayNumber: number): PlainDate {
  if (!Number.isInteger(dayNumber)) throw new RangeError(`fromDayNumber: ${dayNumber} is not an integer`);
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return plainDate(year, month, day);
}

export function addDays(date: PlainDate, days: number): PlainDate {
  if (!Number.isInteger(days)) throw new RangeError(`addDays: ${days} is not an integer`);
  return fromDayNumber(toDayNumber(date) + days);
}

/** b − a in days (positive when b is later). */
export function diffDays(a: PlainDate, b: PlainDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** ISO strings of equal length compare chronologically, so string comparison is exact. */
export function compareDates(a: PlainDate, b: PlainDate): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isBefore(a: PlainDate, b: PlainDate): boolean {
  return a < b;
}

export function isAfter(a: PlainDate, b: PlainDate): boolean {
  return a > b;
}

export function minDate(first: PlainDate, ...rest: PlainDate[]): PlainDate {
  return rest.reduce((m, d) => (d < m ? d : m), first);
}

export function maxDate(first: PlainDate, ...rest: PlainDate[]): PlainDate {
  return rest.reduce((m, d) => (d > m ? d : m), first);
}

/** 1970-01-01 was a Thursday (ISO 4). */
export function isoWeekday(date: PlainDate): IsoWeekday {
  const n = toDayNumber(date);
  return ((((n + 3) % 7) + 7) % 7 + 1) as IsoWeekday;
}

export function isWeekend(date: PlainDate): boolean {
  return isoWeekday(date) >= 6;
}

export function startOfMonth(date: PlainDate): PlainDate {
  const { year, month } = toParts(date);
  return plainDate(year, month, 1);
}

export function endOfMonth(date: PlainDate): PlainDate {
  const { year, month } = toParts(date);
  return plainDate(year, month, daysInMonth(year, month));
}

export function lastDayOfMonth(year: number, month: number): PlainDate {
  return plainDate(year, month, daysInMonth(year, month));
}

/**
 * Calendar-month arithmetic with month-end clamping: the day of month is kept when it exists in the target
 * month and otherwise becomes that month's last day (31 May 2024 − 3 months = 29 February 2024; 31 January
 * 2023 + 1 month = 28 February 2023). This is the statutory way of counting months (forældelsesloven § 27,
 * stk. 1: "medregnes den månedsdag, der svarer til den dag, hvorfra fristen regnes. I mangel af tilsvarende dag
 * udløber fristen på den sidste dag i måneden"), used here for "N måneder før/efter" in the Rammeaftale. It is
 * not reversible: 28 February + 3 months = 28 May, not 31 May.
 */
export function addMonths(date: PlainDate, months: number): PlainDate {
  if (!Number.isInteger(months)) throw new RangeError(`addMonths: ${months} is not an integer`);
  const { year, month, day } = toParts(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return plainDate(y, m, Math.min(day, daysInMonth(y, m)));
}

export function subtractMonths(date: PlainDate, months: number): PlainDate {
  return addMonths(date, -months);
}

/** Years as 12-month steps, so 29 February + 1 year = 28 February. */
export function addYears(date: PlainDate, years: number): PlainDate {
  return addMonths(date, years * 12);
}

/** Every date from `from` to `to`, both included (empty when `to` is before `from`). */
export function eachDay(from: PlainDate, to: PlainDate): PlainDate[] {
  const out: PlainDate[] = [];
  for (let n = toDayNumber(from), end = toDayNumber(to); n <= end; n++) out.push(fromDayNumber(n));
  return out;
}

/** Epoch milliseconds of 00:00 UTC on the date: lets callers build instants without a local-time Date. */
export function utcMidnightMs(date: PlainDate): number {
  return toDayNumber(date) * 86_400_000;
}
