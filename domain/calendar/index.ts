/**
 * The Danish case calendar: plain dates, holidays, working days, the deadline value, reminders and the date
 * rules of the KKR Syddanmark procedures. Free of Node built-ins and of `date-holidays` (see
 * `dateHolidaysAdapter.ts`), so workflow code may import it.
 */
export * from './plainDate';
export * from './holidays';
export * from './workingDays';
export * from './format';
export * from './timeZone';
export * from './wording';
export {
  DEADLINE_RULES,
  DEADLINE_RULE_LABELS,
  DEADLINE_INTERPRETATION_LABELS,
  makeDeadline,
  describeDeadline,
  type Deadline,
  type DeadlineRule,
  type DeadlineSpec,
  type DeadlineTextStyle,
  type MakeDeadlineInput,
} from './deadline';
export * from './reminders';
export * from './dateRules';
export * from './notice';
export * from './schemas';
