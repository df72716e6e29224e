/**
 * Turns a deadline specification into the legal deadline value and its reminder plan. This runs as an
 * activity (not in workflow code) because the holiday tables belong to the calendar module, and a plan, once
 * made, must be what the workflow replays: it is recorded in history with the activity's result.
 */
import { makeDeadline, type Deadline, type DeadlineRule } from '../domain/calendar/deadline';
import { planReminders, type ReminderLadderInput, type ReminderKind } from '../domain/calendar/reminders';
import { endOfDayInstant } from '../domain/calendar/timeZone';
import type { PlainDate } from '../domain/calendar/plainDate';

export interface DeadlineSpecInput {
  wording: string;
  rule: DeadlineRule;
  nominalDate: string;
}

export interface DeadlinePoint {
  kind: ReminderKind | 'expired';
  date: string;
  /** The instant the workflow acts: 08:00 Copenhagen time for notices, the end of the due day for expiry. */
  at: string;
  workingDaysBefore: number;
}

export interface PlannedDeadline {
  deadline: Deadline;
  points: DeadlinePoint[];
}

// Notices go out at the start of the working day in Copenhagen: 08:00 is 15 h 59 min 59.999 s before the
// end of the day (DST changes at 02:00/03:00, so the two instants share an offset).
const MORNING_BEFORE_END_MS = (16 * 3600 - 1) * 1000 + 999;

function morningOf(date: string): string {
  const end = endOfDayInstant(date as PlainDate);
  return new Date(end.epochMs - MORNING_BEFORE_END_MS).toISOString();
}

export function planDeadlinePure(input: { spec: DeadlineSpecInput; ladder?: ReminderLadderInput; from?: string }): PlannedDeadline {
  const deadline = makeDeadline({ wording: input.spec.wording, rule: input.spec.rule, nominalDate: input.spec.nominalDate as PlainDate });
  const steps = planReminders(deadline, input.ladder ?? {}, { from: input.from as PlainDate | undefined });
  const points: DeadlinePoint[] = steps.map((s) => ({ kind: s.kind, date: s.date, at: morningOf(s.date), workingDaysBefore: s.workingDaysBefore }));
  points.push({ kind: 'expired', date: deadline.dueDate, at: new Date(endOfDayInstant(deadline.dueDate).epochMs + 1).toISOString(), workingDaysBefore: 0 });
  points.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { deadline, points };
}

export function createDeadlineActivities() {
  return {
    async planDeadline(input: { spec: DeadlineSpecInput; ladder?: ReminderLadderInput; from?: string }): Promise<PlannedDeadline> {
      return planDeadlinePure(input);
    },
  };
}
