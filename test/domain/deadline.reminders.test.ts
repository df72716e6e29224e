import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REMINDER_LADDER,
  makeDeadline,
  parsePlainDate,
  planReminders,
  reminderLadderSchema,
} from '../../domain/calendar';

const P = parsePlainDate;
const ladder = { workingDaysBefore: [14, 7, 1], onTheDay: true, escalateWorkingDaysAfter: 1 };

describe('planReminders', () => {
  it('refugee deadline 10 September 2023 (→ Monday 11 Sept): reminders 14, 7 and 1 working days before, due notice, escalation', () => {
    const d = makeDeadline({ wording: 'inden den 10. september 2023', rule: 'generalShift', nominalDate: P('2023-09-10') });
    expect(planReminders(d, ladder)).toEqual([
      { kind: 'reminder', date: '2023-08-22', workingDaysBefore: 14 },
      { kind: 'reminder', date: '2023-08-31', workingDaysBefore: 7 },
      { kind: 'reminder', date: '2023-09-08', workingDaysBefore: 1 },
      { kind: 'due', date: '2023-09-11', workingDaysBefore: 0 },
      { kind: 'escalation', date: '2023-09-12', workingDaysBefore: -1 },
    ]);
  });

  it('reminders skip holidays: deadline Tuesday 2 April 2024 → 1 working day before is Wednesday 27 March (Easter)', () => {
    const d = makeDeadline({ wording: 'senest den 28. marts 2024', rule: 'generalShift', nominalDate: P('2024-03-28') });
    const plan = planReminders(d, { workingDaysBefore: [1], onTheDay: false, escalateWorkingDaysAfter: null });
    expect(plan).toEqual([{ kind: 'reminder', date: '2024-03-27', workingDaysBefore: 1 }]);
  });

  it('a deadline planned late gets fewer reminders: from 1 September 2023 only the 7- and 1-day reminders remain', () => {
    const d = makeDeadline({ wording: 'inden den 10. september 2023', rule: 'generalShift', nominalDate: P('2023-09-10') });
    expect(planReminders(d, ladder, { from: P('2023-09-01') }).map((s) => s.date)).toEqual(['2023-09-08', '2023-09-11', '2023-09-12']);
    expect(planReminders(d, ladder, { from: P('2023-08-31') }).map((s) => s.workingDaysBefore)).toEqual([7, 1, 0, -1]);
  });

  it('a fixed (noShift) Sunday deadline: the due notice goes out on Friday 8 September and replaces the 1-day reminder', () => {
    const d = makeDeadline({ wording: 'inden den 10. september 2023', rule: 'noShift', nominalDate: P('2023-09-10') });
    const plan = planReminders(d, ladder);
    expect(plan.filter((s) => s.date === '2023-09-08')).toEqual([{ kind: 'due', date: '2023-09-08', workingDaysBefore: 0 }]);
    expect(plan.at(-1)).toEqual({ kind: 'escalation', date: '2023-09-11', workingDaysBefore: -1 });
  });

  it('duplicate rungs collapse to one date; escalation across Christmas 2026 lands on Monday 28 December', () => {
    const d = makeDeadline({ wording: 'senest den 23. december 2026', rule: 'generalShift', nominalDate: P('2026-12-23') });
    const plan = planReminders(d, { workingDaysBefore: [1, 1, 2], onTheDay: true, escalateWorkingDaysAfter: 1 });
    expect(plan.map((s) => s.date)).toEqual(['2026-12-21', '2026-12-22', '2026-12-23', '2026-12-28']);
  });

  it('the ladder config has defaults [14, 7, 1], onTheDay, escalation after 1 working day', () => {
    expect(DEFAULT_REMINDER_LADDER).toEqual(ladder);
    expect(reminderLadderSchema.parse({ workingDaysBefore: [3] })).toEqual({ ...ladder, workingDaysBefore: [3] });
  });

  it('the ladder config rejects bad values with Danish messages naming the field', () => {
    const r = reminderLadderSchema.safeParse({ workingDaysBefore: [0], escalateWorkingDaysAfter: -2, extra: true });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => i.message).join('\n');
    expect(messages).toContain('"workingDaysBefore"');
    expect(messages).toContain('"escalateWorkingDaysAfter"');
  });
});
