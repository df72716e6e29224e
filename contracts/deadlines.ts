/**
 * A deadline as a procedure specifies it (wording, rule, nominal date) and the plan the deadline activity makes
 * of it: the legal value and the instants the workflow acts on.
 */
import type { Deadline, DeadlineRule } from '../domain/calendar/deadline';
import type { ReminderKind } from '../domain/calendar/reminders';

export interface DeadlineSpecInput {
  wording: string;
  rule: DeadlineRule;
  nominalDate: string;
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
