/**
 * Turns a deadline specification into the legal deadline value and its reminder plan. This runs as an
 * activity (not in workflow code) because the holiday tables belong to the calendar module, and a plan, once
 * made, must be what the workflow replays: it is recorded in history with the activity's result.
 */
import { makeDeadline, type Deadline, type DeadlineRule } from '../domain/calendar/deadline';
import { planReminders, type ReminderLadderInput, type ReminderKind } from '../domain/calendar/reminders';
import { endOfDayInstant } from '../domain/calendar/timeZone';
import type { PlainDate } from '../domain/calendar/plainDate';
import type { DeadlineSpecInput, DeadlinePoint, PlannedDeadline } from '../contracts/deadlines';
export type { DeadlineSpecInput, DeadlinePoint, PlannedDeadline };

/** When notices go out on their day, Copenhagen time: the start of the working day unless configured. */
export const DEFAULT_NOTICE_TIME = '08:00';

// The notice instant is counted back from the end of its day. Notices fall on working days only and summer time
// begins and ends on a Sunday, so a notice and the end of its day always share their UTC offset.
function noticeInstant(date: string, noticeTime: string): string {
  const [h, m] = noticeTime.split(':').map(Number) as [number, number];
  const beforeEndMs = ((24 * 60 - (h * 60 + m)) * 60 - 1) * 1000 + 999;
  return new Date(endOfDayInstant(date as PlainDate).epochMs - beforeEndMs).toISOString();
}

export function planDeadlinePure(input: { spec: DeadlineSpecInput; ladder?: ReminderLadderInput; from?: string }, noticeTime = DEFAULT_NOTICE_TIME): PlannedDeadline {
  // The reading given with the spec (an explicit interpretation, or how "inden den" is read) decides the last
  // day; without it the wording does.
  const deadline = makeDeadline({
    wording: input.spec.wording,
    rule: input.spec.rule,
    nominalDate: input.spec.nominalDate as PlainDate,
    ...(input.spec.interpretation ? { interpretation: input.spec.interpretation } : {}),
    ...(input.spec.indenMeans ? { indenMeans: input.spec.indenMeans } : {}),
  });
  const steps = planReminders(deadline, input.ladder ?? {}, { from: input.from as PlainDate | undefined });
  const points: DeadlinePoint[] = steps.map((s) => ({ kind: s.kind, date: s.date, at: noticeInstant(s.date, noticeTime), workingDaysBefore: s.workingDaysBefore }));
  points.push({ kind: 'expired', date: deadline.dueDate, at: new Date(endOfDayInstant(deadline.dueDate).epochMs + 1).toISOString(), workingDaysBefore: 0 });
  points.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return { deadline, points };
}

/** `noticeTime` is 'HH:MM' Copenhagen time (NOTICE_TIME). Changing it affects deadlines planned afterwards; a
 * running case keeps the instants it was given, as the plan is recorded in its history. */
export function createDeadlineActivities(opts: { noticeTime?: string } = {}) {
  return {
    async planDeadline(input: { spec: DeadlineSpecInput; ladder?: ReminderLadderInput; from?: string }): Promise<PlannedDeadline> {
      return planDeadlinePure(input, opts.noticeTime);
    },
  };
}
