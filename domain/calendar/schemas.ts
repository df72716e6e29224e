/**
 * zod (v4) schemas for dates, deadline specs, deadline values and the calendar configuration. Error messages
 * are Danish and name the field, because they are shown to case officers and API clients as they are.
 */
import { z } from 'zod';
import { DEADLINE_RULES, type Deadline, type DeadlineRule } from './deadline';
import { DEADLINE_INTERPRETATIONS } from './wording';
import { isPlainDate } from './plainDate';

/**
 * Object-level error: the "not an object" text, or for a strict object the unknown field names, so a typo in
 * a configuration key is reported as such rather than as a type error.
 */
export function objectError(notAnObject: string, where: string) {
  return (issue: z.core.$ZodRawIssue): string =>
    issue.code === 'unrecognized_keys'
      ? `${where}: ukendt felt ${(issue.keys as string[]).map((k) => `"${k}"`).join(', ')}`
      : notAnObject;
}

/** A 'YYYY-MM-DD' field that must be a real date; `label` is the field's Danish description in messages. */
export function plainDateField(field: string, label?: string) {
  const name = label ? `Feltet "${field}" (${label})` : `Feltet "${field}"`;
  return z
    .string({ error: `${name} skal være en dato som tekst på formen ÅÅÅÅ-MM-DD` })
    .refine(isPlainDate, { error: `${name} skal være en gyldig dato på formen ÅÅÅÅ-MM-DD` })
    .brand<'PlainDate'>();
}

const ruleField = (field: string) =>
  z.enum(DEADLINE_RULES, {
    error: `Feltet "${field}" skal være "generalShift" (almindelig fristregel), "noShift" (fastsat dato) eller "backwardShift" (baglæns regnet frist)`,
  });

const interpretationField = (field: string) =>
  z.enum(DEADLINE_INTERPRETATIONS, {
    error: `Feltet "${field}" skal være "onOrBefore" (til og med dagen) eller "strictlyBefore" (før dagen)`,
  });

const wordingField = z
  .string({ error: 'Feltet "wording" (fristens ordlyd) skal være en tekst' })
  .trim()
  .min(1, { error: 'Feltet "wording" (fristens ordlyd) må ikke være tomt' })
  .max(500, { error: 'Feltet "wording" (fristens ordlyd) må højst være 500 tegn' });

/** Input for makeDeadline: the literal wording, the rule and the date the wording names. */
export const deadlineSpecSchema = z
  .object(
    {
      wording: wordingField,
      rule: ruleField('rule').default('generalShift' satisfies DeadlineRule),
      nominalDate: plainDateField('nominalDate', 'fristens nominelle dato'),
      interpretation: interpretationField('interpretation').optional(),
      indenMeans: interpretationField('indenMeans').optional(),
    },
    { error: 'Fristen skal angives som et objekt med felterne wording, rule og nominalDate' },
  );

export type DeadlineSpecInput = z.input<typeof deadlineSpecSchema>;

/**
 * A deadline someone else sets for us (Udlændingestyrelsen, Social- og Boligstyrelsen): the prudent reading is
 * the default. "inden den X" is read strictly (X itself is too late) and a last day that is not a working day
 * moves to the working day before, so we act in time whichever reading the other side applies. The general
 * forward rule stays available where the law gives it (choose `rule: "generalShift"`).
 */
export const authorityDeadlineSpecSchema = deadlineSpecSchema.extend({
  rule: ruleField('rule').default('backwardShift' satisfies DeadlineRule),
  indenMeans: interpretationField('indenMeans').default('strictlyBefore'),
});

const ISO_INSTANT = z.iso.datetime({
  offset: true,
  error: 'Feltet "dueAt" skal være et ISO 8601-tidspunkt med tidszone, fx 2023-09-11T23:59:59.999+02:00',
});

/** The deadline value as stored and sent over the API. */
export const deadlineSchema = z
  .object(
    {
      wording: wordingField,
      rule: ruleField('rule'),
      interpretation: interpretationField('interpretation'),
      nominalDate: plainDateField('nominalDate', 'fristens nominelle dato'),
      dueDate: plainDateField('dueDate', 'fristens gældende dato'),
      dueAt: ISO_INSTANT,
      shiftedFrom: plainDateField('shiftedFrom', 'dato før flytning').optional(),
      reason: z.string({ error: 'Feltet "reason" (begrundelse) skal være en tekst' }).optional(),
    },
    { error: 'Fristen skal være et objekt' },
  )
  .superRefine((d, ctx) => {
    if (!d.dueAt.startsWith(`${d.dueDate}T`)) {
      ctx.addIssue({
        code: 'custom',
        path: ['dueAt'],
        message: `Feltet "dueAt" skal ligge på fristens dato ${d.dueDate} (lokal tid)`,
      });
    }
    if (d.shiftedFrom !== undefined) {
      if (d.rule === 'noShift') {
        ctx.addIssue({
          code: 'custom',
          path: ['shiftedFrom'],
          message: 'Feltet "shiftedFrom" må ikke være udfyldt, når reglen er "noShift" (fastsat dato flyttes ikke)',
        });
      } else if (d.rule === 'generalShift' && !(d.dueDate > d.shiftedFrom)) {
        ctx.addIssue({
          code: 'custom',
          path: ['dueDate'],
          message: 'Feltet "dueDate" skal ligge efter "shiftedFrom", når fristen er forlænget efter den almindelige fristregel',
        });
      } else if (d.rule === 'backwardShift' && !(d.dueDate < d.shiftedFrom)) {
        ctx.addIssue({
          code: 'custom',
          path: ['dueDate'],
          message: 'Feltet "dueDate" skal ligge før "shiftedFrom", når en baglæns regnet frist er fremrykket',
        });
      }
    } else if (d.interpretation === 'onOrBefore' && d.dueDate !== d.nominalDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['dueDate'],
        message: 'Feltet "dueDate" skal være lig "nominalDate", når fristen hverken er flyttet eller læst som "før"',
      });
    }
  });

// Compile-time check that the schema and the Deadline type describe the same value.
type _DeadlineMatches = z.output<typeof deadlineSchema> extends Deadline
  ? Deadline extends z.output<typeof deadlineSchema>
    ? true
    : never
  : never;
export const DEADLINE_SCHEMA_MATCHES_TYPE: _DeadlineMatches = true;

/** Runtime calendar configuration: which closing days count, and one-off closed dates. */
export const calendarConfigSchema = z
  .object(
    {
      closingDays: z
        .object(
          {
            grundlovsdag: z.boolean({ error: 'Feltet "closingDays.grundlovsdag" skal være sand eller falsk' }).default(true),
            juleaftensdag: z.boolean({ error: 'Feltet "closingDays.juleaftensdag" skal være sand eller falsk' }).default(true),
            nytaarsaftensdag: z
              .boolean({ error: 'Feltet "closingDays.nytaarsaftensdag" skal være sand eller falsk' })
              .default(true),
          },
          { error: objectError('Feltet "closingDays" skal være et objekt', 'Feltet "closingDays"') },
        )
        .strict()
        .default({ grundlovsdag: true, juleaftensdag: true, nytaarsaftensdag: true }),
      storeBededagLastYear: z
        .int({ error: 'Feltet "storeBededagLastYear" skal være et årstal' })
        .min(1686, { error: 'Feltet "storeBededagLastYear" skal være et årstal efter 1686, hvor store bededag blev indført' })
        .max(9999, { error: 'Feltet "storeBededagLastYear" skal være et firecifret årstal' })
        .default(2023),
      extraClosedDates: z
        .array(
          z
            .object(
              {
                date: plainDateField('extraClosedDates.date', 'lukkedag'),
                name: z
                  .string({ error: 'Feltet "extraClosedDates.name" skal være en tekst' })
                  .min(1, { error: 'Feltet "extraClosedDates.name" må ikke være tomt' }),
              },
              { error: objectError('Hver lukkedag i "extraClosedDates" skal være et objekt', 'Feltet "extraClosedDates"') },
            )
            .strict(),
          { error: 'Feltet "extraClosedDates" skal være en liste' },
        )
        .default([]),
    },
    { error: objectError('Kalenderopsætningen skal være et objekt', 'Kalenderopsætningen') },
  )
  .strict();

export type CalendarConfigSchemaInput = z.input<typeof calendarConfigSchema>;
