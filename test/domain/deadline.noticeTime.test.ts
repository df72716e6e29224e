/** When notices go out on their day: 08:00 Copenhagen time unless NOTICE_TIME says otherwise, in winter and summer. */
import { describe, expect, it } from 'vitest';
import { planDeadlinePure } from '../../activities/deadlines';
import { configSchema } from '../../config';

const plan = (nominalDate: string, noticeTime?: string) =>
  planDeadlinePure({ spec: { wording: 'senest den angivne dato', nominalDate, rule: 'generalShift' }, ladder: { workingDaysBefore: [1], onTheDay: true, escalateWorkingDaysAfter: null }, from: '2026-01-01' }, noticeTime).points;

describe('notice time', () => {
  it('sends notices at 08:00 Copenhagen time by default, in winter (UTC+1) and in summer (UTC+2)', () => {
    expect(plan('2026-11-24').map((p) => [p.kind, p.at])).toEqual([
      ['reminder', '2026-11-23T07:00:00.000Z'],
      ['due', '2026-11-24T07:00:00.000Z'],
      ['expired', '2026-11-24T23:00:00.000Z'],
    ]);
    // Monday 30 March 2026 is the first working day of summer time.
    expect(plan('2026-03-31')[0]).toMatchObject({ kind: 'reminder', date: '2026-03-30', at: '2026-03-30T06:00:00.000Z' });
  });

  it('uses the configured time for the notices and keeps expiry at the end of the due day', () => {
    expect(plan('2026-11-24', '13:45').map((p) => p.at)).toEqual(['2026-11-23T12:45:00.000Z', '2026-11-24T12:45:00.000Z', '2026-11-24T23:00:00.000Z']);
    expect(plan('2026-07-01', '06:30')[0]).toMatchObject({ date: '2026-06-30', at: '2026-06-30T04:30:00.000Z' });
  });

  it('accepts NOTICE_TIME only as HH:MM, and names the variable otherwise', () => {
    const base = { DATABASE_URL: 'postgres://u:p@db.example.net/kkr', SMTP_URL: 'smtp://mail.example.net:587', LINK_SECRET: 'x'.repeat(32) };
    expect(configSchema.parse(base).NOTICE_TIME).toBe('08:00');
    expect(configSchema.parse({ ...base, NOTICE_TIME: '07:15' }).NOTICE_TIME).toBe('07:15');
    for (const bad of ['8:00', '08.00', '25:00', '12:60', 'morgen']) {
      const r = configSchema.safeParse({ ...base, NOTICE_TIME: bad });
      expect(r.success, bad).toBe(false);
      expect(r.error!.issues[0]!.path).toEqual(['NOTICE_TIME']);
    }
  });

  it('reads an empty WORKER_MAX_CACHED_WORKFLOWS as unset, not as 0 (which would turn the workflow cache off)', () => {
    const base = { DATABASE_URL: 'postgres://u:p@db.example.net/kkr', SMTP_URL: 'smtp://mail.example.net:587', LINK_SECRET: 'x'.repeat(32) };
    expect(configSchema.parse({ ...base, WORKER_MAX_CACHED_WORKFLOWS: '' }).WORKER_MAX_CACHED_WORKFLOWS).toBeUndefined();
    expect(configSchema.parse({ ...base, WORKER_MAX_CACHED_WORKFLOWS: '250' }).WORKER_MAX_CACHED_WORKFLOWS).toBe(250);
    expect(configSchema.safeParse({ ...base, WORKER_MAX_CACHED_WORKFLOWS: 'mange' }).success).toBe(false);
  });
});
