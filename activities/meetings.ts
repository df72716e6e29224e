import type { Pool } from 'pg';

export function createMeetingActivities(pool: Pool) {
  return {
    /** Meeting dates of a body from `from` (inclusive) until `until` (inclusive, when given), in order. */
    async meetingsOf(input: { body: string; from: string; until?: string }): Promise<string[]> {
      const { rows } = await pool.query<{ d: string }>(
        `SELECT to_char(meeting_date, 'YYYY-MM-DD') AS d FROM political_meeting
         WHERE body = $1 AND meeting_date >= $2 AND ($3::date IS NULL OR meeting_date <= $3::date)
         ORDER BY meeting_date`,
        [input.body, input.from, input.until ?? null],
      );
      return rows.map((r) => r.d);
    },
  };
}
