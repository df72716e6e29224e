import { euCentralOffsetMinutes } from '../../domain/calendar/timeZone';

/** Today's date in Copenhagen by workflow time (deterministic on replay). */
export function copenhagenToday(nowMs: number = Date.now()): string {
  return new Date(nowMs + euCentralOffsetMinutes(nowMs) * 60_000).toISOString().slice(0, 10);
}
