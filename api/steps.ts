/**
 * The steps of a case as the API offers them, drawn from the step definitions in the procedures' contracts
 * (contracts/kit/step.ts): the forms on the case page, the municipalities' answer forms, the reading of a posted
 * form or a JSON body, all with the same Danish labels. Nothing here knows a procedure by name.
 */
import type { CaseState } from '../contracts/caseState';
import type { FormHints } from '../contracts/forms';
import { COMMON_STEPS, freeTextAnswer } from '../contracts/kit/commonSteps';
import { readStep, type StepDefinition, type StepFieldError } from '../contracts/kit/step';
import { findProcedure } from './procedures';
import { html, type Html } from './views/html';
import { formToInput, inputToForm, jsonSchemaOf, schemaFormFields, type FormParty, type FormValues } from './views/schemaForm';

/** Every step the secretariat can take on a case of this procedure: its own, then the blocks' common ones. */
export function secretariatSteps(procedure: string): StepDefinition[] {
  return [...(findProcedure(procedure)?.steps ?? []), ...COMMON_STEPS] as StepDefinition[];
}

export function findStep(procedure: string, name: string): StepDefinition | undefined {
  return secretariatSteps(procedure).find((s) => s.name === name);
}

/** The steps due now, as the workflow judges them (CaseState.openSteps), in the procedure's order. */
export function openStepsOf(state: CaseState): StepDefinition[] {
  if (state.status === 'withdrawn') return [];
  return secretariatSteps(state.procedure).filter((s) => state.openSteps?.includes(s.name));
}

/** The answer a party gives to a round of the case; a round without its own definition takes a text. */
export function answerOf(procedure: string, collection: string): StepDefinition {
  return (findProcedure(procedure)?.answers?.find((a) => a.name === collection) ?? freeTextAnswer) as StepDefinition;
}

/** The step's form hints with what the case adds (choices, labels of prefilled rows). */
export function hintsFor(def: StepDefinition, state: CaseState): FormHints {
  const extra = def.fromCase?.(state);
  return { ...def.form, labels: { ...def.form.labels, ...extra?.labels }, choices: { ...def.form.choices, ...extra?.choices } };
}

/** Reads a posted form (text fields) as the step's input: the value, or every problem by its field's label. */
export function readPostedStep(def: StepDefinition, state: CaseState, body: FormValues): ReturnType<typeof readStep> {
  const hints = hintsFor(def, state);
  return readStep(def, formToInput(jsonSchemaOf(def.input), hints, body), hints.labels);
}

/** The step's fields: prefilled from the case, or with what was posted and its errors. */
export function stepFields(def: StepDefinition, state: CaseState, opts: { values?: FormValues; errors?: StepFieldError[]; idPrefix?: string; parties?: FormParty[] } = {}): Html {
  const hints = hintsFor(def, state);
  // What was posted wins; the rows the case gives (the quotas to adjust) stay when the post did not carry them.
  const values = { ...inputToForm(def.fromCase?.(state).values ?? {}), ...opts.values };
  return html`${def.form.intro ? html`<p>${def.form.intro}</p>` : ''}${schemaFormFields({
    schema: jsonSchemaOf(def.input),
    hints,
    values,
    errors: opts.errors ?? [],
    parties: opts.parties ?? [],
    idPrefix: opts.idPrefix ?? `${def.name}-`,
  })}`;
}
