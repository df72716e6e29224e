/**
 * Reminder planning for a deadline: a ladder of reminders N working days before the due date, a notice on the
 * due date, and an escalation N working days after it.
 */
import { z } from 'zod';
import type { Deadline } from './deadline';
import { objectError } from './schemas';
import { danishCalendar, type WorkingDayCalendar } from './workingDays';
import type { PlainDate } from './plainDate';

export const reminderLadderSchema = z
  .object(
    {
      workingDaysBefore: z
        .array(
          z
            .int({ error: 'Feltet "workingDaysBefore" må kun indeholde hele tal' })
            .min(1, { error: 'Feltet "workingDaysBefore" må kun indeholde tal på mindst 1 (arbejdsdage før fristen)' })
            .max(260, { error: 'Feltet "workingDaysBefore" må højst være 260 arbejdsdage (ca. et år)' }),
          { error: 'Feltet "workingDaysBefore" skal være en liste af antal arbejdsdage før fristen' },
        )
        .default([14, 7, 1]),
      onTheDay: z.boolean({ error: 'Feltet "onTheDay" skal være sand eller falsk' }).default(true),
      escalateWorkingDaysAfter: z
        .int({ error: 'Feltet "escalateWorkingDaysAfter" skal være et helt antal arbejdsdage eller null' })
        .min(1, { error: 'Feltet "escalateWorkingDaysAfter" skal være mindst 1 (eller null for ingen eskalering)' })
        .max(260, { error: 'Feltet "escalateWorkingDaysAfter" må højst være 260 arbejdsdage' })
        .nullable()
        .default(1),
    },
    { error: objectError('Påmindelsesplanen skal være et objekt', 'Påmindelsesplanen') },
  )
  .strict();

/** The ladder after defaults; `escalateWorkingDaysAfter: null` means no escalation. */
export type ReminderLadder = z.output<typeof reminderLadderSchema>;
export type ReminderLadderInput = z.input<typeof reminderLadderSchema>;

export const DEFAULT_REMINDER_LADDER: ReminderLadder = reminderLadderSchema.parse({});

export type ReminderKind = 'reminder' | 'due' | 'escalation';

export interface ReminderStep {
  readonly kind: ReminderKind;
  readonly date: PlainDate;
  /** Working days from `date` to the due date: positive before, 0 on the due day, negative after. */
  readonly workingDaysBefore: number;
}

export interface PlanRemindersOptions {
  /** Steps dated before this day are dropped: a deadline registered late gets only the steps still ahead. */
  readonly from?: PlainDate;
  readonly calendar?: WorkingDayCalendar;
}

const KIND_PRIORITY: Record<ReminderKind, number> = { due: 0, escalation: 1, reminder: 2 };

/**
 * Plans the notifications for a deadline, on working days only, in date order, one per date.
 *
 * - Reminders are counted back from the due date in working days, so they never fall on a weekend or holiday.
 * - The due-day notice goes out on the due date; if a fixed (noShift) due date is not a working day, it goes
 *   out on the working day before, since a notice after expiry would be useless.
 * - When two steps land on the same date (a 1-day reminder and a due notice moved back from a Sunday, or a
 *   ladder with duplicates), the due notice wins over an escalation, which wins over a reminder.
 */
export function planReminders(
  deadline: Pick<Deadline, 'dueDate'>,
  ladderInput: ReminderLadderInput = {},
  options: PlanRemindersOptions = {},
): ReminderStep[] {
  const ladder = reminderLadderSchema.parse(ladderInput);
  const calendar = options.calendar ?? danishCalendar;
  const due = deadline.dueDate;
  const dueNoticeDay = calendar.workingDayOnOrBefore(due);

  const steps: ReminderStep[] = [];
  for (const n of ladder.workingDaysBefore) {
    steps.push({ kind: 'reminder', date: calendar.subtractWorkingDays(due, n), workingDaysBefore: n });
  }
  if (ladder.onTheDay) {
    steps.push({ kind: 'due', date: dueNoticeDay, workingDaysBefore: 0 });
  }
  if (ladder.escalateWorkingDaysAfter !== null) {
    const n = ladder.escalateWorkingDaysAfter;
    steps.push({ kind: 'escalation', date: calendar.addWorkingDays(due, n), workingDaysBefore: -n });
  }

  const byDate = new Map<string, ReminderStep>();
  for (const s of steps) {
    if (options.from !== undefined && s.date < options.from) continue;
    const existing = byDate.get(s.date);
    if (!existing || KIND_PRIORITY[s.kind] < KIND_PRIORITY[existing.kind]) byDate.set(s.date, s);
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
