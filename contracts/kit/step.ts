/**
 * A step of a procedure, defined once: the Update's name, what the user gives (a zod schema with Danish labels
 * and form hints), who takes it, and what it is called on the case page. Everything else follows from it:
 * - the workflow registers it with `c.step(definition, { dueWhen, check, run })` (workflows/blocks/caseRecord.ts),
 *   which installs the Update handler, its validator (due? → schema → the procedure's own check) and the offer;
 * - the API draws the step form on the case page, the answer form for municipalities, the parsing of a posted
 *   form and the OpenAPI entry from it (api/steps.ts).
 * Importable by the API and activities: it holds no workflow code.
 */
import { z } from 'zod';
import type { CaseState } from '../caseState';
import { fieldLabel, type FormHints } from '../forms';

// Zod's own messages in Danish wherever a step is read: in the API and inside the workflow bundle.
z.config(z.locales.da());

export type StepInputSchema = z.ZodObject | z.ZodDiscriminatedUnion<z.ZodObject[]>;

export interface StepDefinition<N extends string = string, S extends StepInputSchema = StepInputSchema, R = unknown> {
  /** The Update's name, also the last segment of POST /api/v1/cases/{caseId}/actions/{name}. */
  readonly name: N;
  /** Danish: the step's name on the case page and its button. */
  readonly label: string;
  /** Who takes it: the secretariat on the case page (the actor comes from the session), or a party through its
   * answer link (the party from the link). */
  readonly takenBy: 'secretariat' | 'party';
  /** What the user gives; the actor is added by the server, never taken from the user. */
  readonly input: S;
  readonly form: FormHints & { intro?: string };
  /** Danish: why the step is refused when it is not due now. */
  readonly notDue: string;
  /** A valid input, for the OpenAPI document and its tests. */
  readonly example: z.input<S>;
  /** Form values and choices that come from the case (the quotas to adjust, the deadlines that can be
   * extended), as a pure function of the case state. */
  readonly fromCase?: (state: CaseState) => { values?: Record<string, unknown>; choices?: FormHints['choices']; labels?: Record<string, string> };
  /** Phantom: the Update's result type. */
  readonly __result?: R;
}

/** `defineStep<Result>()({ name, label, input, … })`: the result type is given, the rest inferred. */
export function defineStep<R = unknown>() {
  return <const N extends string, S extends StepInputSchema>(d: Omit<StepDefinition<N, S, R>, '__result'>): StepDefinition<N, S, R> => d;
}

/** What the Update takes: the input and the actor the server adds. */
export type StepArg<D> = D extends StepDefinition<string, infer S, unknown> ? z.output<S> & { actor: string } : never;
export type StepResult<D> = D extends StepDefinition<string, StepInputSchema, infer R> ? R : never;

export interface StepFieldError {
  /** The input's path ("quotas.3.quota"), for placing the message next to its field. */
  field: string;
  /** The field's Danish label. */
  label: string;
  reason: string;
}

/** Reads a step's input: the parsed value, or every problem named by its field's Danish label. */
export function readStep<S extends StepInputSchema>(
  def: StepDefinition<string, S, unknown>,
  raw: unknown,
  labels: Record<string, string> = def.form.labels,
): { ok: true; value: z.output<S> } | { ok: false; errors: StepFieldError[] } {
  const { actor: _actor, ...rest } = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const parsed = def.input.safeParse(rest);
  if (parsed.success) return { ok: true, value: parsed.data as z.output<S> };
  return { ok: false, errors: labelledIssues(parsed.error, labels) };
}

export function labelledIssues(error: z.ZodError, labels: Record<string, string>): StepFieldError[] {
  return error.issues.map((i) => {
    const field = i.path.map(String).join('.');
    return { field, label: fieldLabel(labels, field), reason: i.message };
  });
}

/** One line for a refusal: "Mødedato: Ugyldig dato; Kvote, række 3: …". */
export const describeErrors = (errors: StepFieldError[]): string => errors.map((e) => `${e.label}: ${e.reason}`).join('; ');

// ---- Small schema pieces the steps share, with Danish messages ----
// The messages follow the field's label ("Mødedato: Skal være en dato …"), so they do not name the field.
export const isoDate = () =>
  z
    .string({ error: 'Skal udfyldes med en dato' })
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Skal være en dato (ÅÅÅÅ-MM-DD)')
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'Datoen findes ikke i kalenderen');
export const text = (min = 1, max = 20_000) => z.string().trim().min(min, min <= 1 ? 'Skal udfyldes' : `Skal være mindst ${min} tegn`).max(max, `Må højst være ${max} tegn`);

/** What a procedure's workflow is, as its contract states it: the workflow type's name, its start arguments and
 * its result. The API's registry entry is typed by it (its start arguments must be these), and workflows/index.ts
 * checks that the workflow exported under that name takes and returns exactly these. */
export interface WorkflowContract<T extends string = string, A extends unknown[] = unknown[], R = unknown> {
  type: T;
  args: A;
  result: R;
}
