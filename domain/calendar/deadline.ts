/**
 * The deadline value: the legal wording, the rule that turns the wording's date into an effective date, the
 * effective date and the instant it expires, and a Danish explanation of any move.
 *
 * A bare date loses the information a case officer needs to defend it ("why is the deadline Monday when the
 * letter says 10 September?"), so every deadline in the engine is one of these values.
 */
import { danishCalendar, type NonWorkingDay, type WorkingDayCalendar } from './workingDays';
import { addDays, type PlainDate } from './plainDate';
import { endOfDayInstant } from './timeZone';
import { formatDanishDate } from './format';
import {
  interpretationForWording,
  type DeadlineInterpretation,
  type WordingPolicy,
} from './wording';

export { DEADLINE_INTERPRETATIONS, type DeadlineInterpretation } from './wording';

/**
 * - `generalShift`: the general legal rule. A deadline expiring on a Saturday, Sunday, public holiday,
 *   Grundlovsdag, 24 or 31 December moves to the next working day (forældelsesloven § 27, stk. 2).
 * - `noShift`: a date an agency or body has fixed (a meeting, a date the agency itself acts by); kept as is.
 * - `backwardShift`: a deadline counted backwards from an event ("senest 3 måneder før …"). Moving it forward
 *   would give the party less than the required lead time, so it moves to the previous working day.
 */
export type DeadlineRule = 'generalShift' | 'noShift' | 'backwardShift';
export const DEADLINE_RULES = ['generalShift', 'noShift', 'backwardShift'] as const;

export interface Deadline {
  /** The literal legal text, e.g. "inden den 10. september 2023". */
  readonly wording: string;
  readonly rule: DeadlineRule;
  readonly interpretation: DeadlineInterpretation;
  /** The date the wording names or implies, before interpretation and rule. */
  readonly nominalDate: PlainDate;
  /** The effective last day on which the act is in time. */
  readonly dueDate: PlainDate;
  /** ISO instant of 23:59:59.999 Copenhagen time on dueDate, with the local offset. */
  readonly dueAt: string;
  /** The last day before the working-day rule moved it (absent when nothing moved). */
  readonly shiftedFrom?: PlainDate;
  /** Danish explanation of every adjustment (interpretation, shift, or why a fixed date was not shifted). */
  readonly reason?: string;
}

export interface DeadlineSpec {
  readonly wording: string;
  readonly rule: DeadlineRule;
  /** The date the wording names ("10. september 2023") or a rule computed ("3 måneder før …"). */
  readonly nominalDate: PlainDate;
  /** Explicit reading; when absent it follows from the wording's keyword and `indenMeans`. */
  readonly interpretation?: DeadlineInterpretation;
}

export interface MakeDeadlineInput extends DeadlineSpec, WordingPolicy {
  readonly calendar?: WorkingDayCalendar;
}

export const DEADLINE_RULE_LABELS: Readonly<Record<DeadlineRule, string>> = {
  generalShift: 'den almindelige fristregel (forlængelse til næste hverdag)',
  noShift: 'fastsat dato (flyttes ikke)',
  backwardShift: 'baglæns regnet frist (flyttes til forudgående hverdag)',
};

export const DEADLINE_INTERPRETATION_LABELS: Readonly<Record<DeadlineInterpretation, string>> = {
  onOrBefore: 'til og med den nævnte dag',
  strictlyBefore: 'før den nævnte dag (dagen selv er for sent)',
};

/** "på en søndag", "på skærtorsdag (helligdag)", "på Grundlovsdag". */
function onWhatDay(d: NonWorkingDay): string {
  switch (d.kind) {
    case 'weekend':
      return `på en ${d.name}`;
    case 'publicHoliday':
      return `på ${d.name} (helligdag)`;
    case 'closingDay':
      return `på ${d.name}`;
    case 'extraClosedDate':
      return `på en lukkedag (${d.name})`;
  }
}

function joinDanish(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} og ${items[items.length - 1]}`;
}

/** Names of the non-working days strictly between two dates, for "… er heller ikke hverdage". */
function skippedDays(calendar: WorkingDayCalendar, from: PlainDate, to: PlainDate): string[] {
  const names: string[] = [];
  const step = from < to ? 1 : -1;
  for (let d = addDays(from, step); d !== to; d = addDays(d, step)) {
    const nw = calendar.nonWorkingDay(d);
    if (nw) names.push(nw.name);
  }
  return step === 1 ? names : names.reverse();
}

function shiftSentence(
  calendar: WorkingDayCalendar,
  rule: 'generalShift' | 'backwardShift',
  from: PlainDate,
  to: PlainDate,
  cause: NonWorkingDay,
): string {
  const between = skippedDays(calendar, from, to);
  const also =
    between.length === 0
      ? ''
      : `; ${joinDanish(between)} er heller ikke ${between.length === 1 ? 'en hverdag' : 'hverdage'}`;
  const arrow = `${formatDanishDate(from)} → ${formatDanishDate(to)}`;
  if (rule === 'generalShift') {
    return `${arrow} (fristen udløb ${onWhatDay(cause)} og forlænges til næste hverdag, jf. den almindelige fristregel${also})`;
  }
  return (
    `${arrow} (fristen er regnet baglæns og faldt ${onWhatDay(cause)}; den flyttes til forudgående hverdag, ` +
    `fordi en forlængelse til næste hverdag ville gøre fristen senere, end reglen tillader${also})`
  );
}

/**
 * Builds a deadline value. The interpretation is applied first (it decides the last permissible day), then the
 * rule (which decides whether a non-working last day moves).
 */
export function makeDeadline(input: MakeDeadlineInput): Deadline {
  const calendar = input.calendar ?? danishCalendar;
  const interpretation =
    input.interpretation ?? interpretationForWording(input.wording, { indenMeans: input.indenMeans }).interpretation;
  const reasons: string[] = [];

  let lastDay = input.nominalDate;
  if (interpretation === 'strictlyBefore') {
    lastDay = addDays(input.nominalDate, -1);
    reasons.push(
      `"${input.wording}" læses som før ${formatDanishDate(input.nominalDate)} (dagen selv er for sent), ` +
        `så sidste rettidige dag er ${formatDanishDate(lastDay)}`,
    );
  }

  let dueDate = lastDay;
  let shiftedFrom: PlainDate | undefined;
  const cause = calendar.nonWorkingDay(lastDay);
  if (cause) {
    if (input.rule === 'noShift') {
      reasons.push(
        `${formatDanishDate(lastDay)} er ikke en hverdag (${cause.name}), men datoen er fastsat og flyttes ikke`,
      );
    } else {
      dueDate =
        input.rule === 'generalShift' ? calendar.workingDayOnOrAfter(lastDay) : calendar.workingDayOnOrBefore(lastDay);
      shiftedFrom = lastDay;
      reasons.push(shiftSentence(calendar, input.rule, lastDay, dueDate, cause));
    }
  }

  return {
    wording: input.wording,
    rule: input.rule,
    interpretation,
    nominalDate: input.nominalDate,
    dueDate,
    dueAt: endOfDayInstant(dueDate).iso,
    ...(shiftedFrom !== undefined ? { shiftedFrom } : {}),
    ...(reasons.length > 0 ? { reason: reasons.join('. ') } : {}),
  };
}

export type DeadlineTextStyle = 'ui' | 'email' | 'journal';

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * Danish text for a deadline.
 * - `ui`: one line for lists, "mandag 11. september 2023 (forlænget fra søndag 10. september 2023)".
 * - `email`: full sentences for letters and e-mails; given the time now, a passed deadline is said as passed.
 * - `journal`: one line with ISO values for the case journal, so the entry can be checked later.
 */
export function describeDeadline(deadline: Deadline, style: DeadlineTextStyle = 'email', nowMs?: number): string {
  const due = formatDanishDate(deadline.dueDate);
  switch (style) {
    case 'ui': {
      if (deadline.shiftedFrom === undefined) return due;
      const verb = deadline.dueDate > deadline.shiftedFrom ? 'forlænget' : 'fremrykket';
      return `${due} (${verb} fra ${formatDanishDate(deadline.shiftedFrom)})`;
    }
    case 'email': {
      const lines = [
        `Frist: ${deadline.wording}.`,
        // Said as past when it is: a case registered while under way, or a notice sent after the deadline,
        // must not present a passed date as one still ahead.
        nowMs !== undefined && nowMs > Date.parse(deadline.dueAt)
          ? `Fristen udløb ${due} kl. 23.59 (dansk tid) og er overskredet. Svar venligst hurtigst muligt.`
          : `Fristen udløber ${due} kl. 23.59 (dansk tid).`,
      ];
      if (deadline.reason) lines.push(`${capitalise(deadline.reason)}.`);
      return lines.join(' ');
    }
    case 'journal': {
      const fields = [
        `frist: "${deadline.wording}"`,
        `regel: ${DEADLINE_RULE_LABELS[deadline.rule]}`,
        `fortolkning: ${DEADLINE_INTERPRETATION_LABELS[deadline.interpretation]}`,
        `nominel dato: ${deadline.nominalDate}`,
        `gældende dato: ${deadline.dueDate} (${due})`,
        `udløber: ${deadline.dueAt}`,
      ];
      if (deadline.shiftedFrom !== undefined) fields.push(`flyttet fra: ${deadline.shiftedFrom}`);
      if (deadline.reason) fields.push(`begrundelse: ${deadline.reason}`);
      return fields.join(' | ');
    }
  }
}
