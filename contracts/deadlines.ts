/**
 * A deadline as a procedure specifies it (wording, rule, nominal date) and the plan the deadline activity makes
 * of it: the legal value and the instants the workflow acts on.
 */
import type { Deadline, DeadlineRule } from '../domain/calendar/deadline';
import type { ReminderKind } from '../domain/calendar/reminders';
import type { DeadlineInterpretation } from '../domain/calendar/wording';

export interface DeadlineSpecInput {
  wording: string;
  rule: DeadlineRule;
  nominalDate: string;
  /** An explicit reading of the wording (the secretariat's choice); absent: the wording's keyword decides. */
  interpretation?: DeadlineInterpretation;
  /** How "inden den" is read; the prudent "strictlyBefore" for a deadline someone else sets for us. */
  indenMeans?: DeadlineInterpretation;
}

export interface DeadlinePoint {
  kind: ReminderKind | 'expired';
  date: string;
  /** The instant the workflow acts: the notice time (08:00 Copenhagen time by default) for notices, the end of the due day for expiry. */
  at: string;
  workingDaysBefore: number;
}

export interface PlannedDeadline {
  deadline: Deadline;
  points: DeadlinePoint[];
}
