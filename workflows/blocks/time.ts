// Workflow time is deterministic on replay, so "today" inside a workflow is the case's today.
export { copenhagenToday } from '../../domain/calendar/timeZone';
