/**
 * The steps a secretariat user can take on a case page, as plain HTML forms (usable without JavaScript): one per
 * step the workflow says is due (CaseState.openSteps), drawn from the step's definition in the procedure's
 * contract. Each form posts to /sager/{caseId}/handlinger/{action} and is read back with the same definition
 * (api/steps.ts); the actor is added by the server from the session, never taken from the form.
 */
import type { CaseState } from '../contracts/caseState';
import { COMMON_STEPS } from '../contracts/kit/commonSteps';
import type { StepDefinition, StepFieldError } from '../contracts/kit/step';
import type { FormParty, FormValues } from './views/schemaForm';
import type { Html } from './views/html';
import { openStepsOf, stepFields } from './steps';

export interface ActionForm {
  action: string;
  label: string;
  definition: StepDefinition;
  /** The form's fields: prefilled from the case, or with what was posted and its errors (a refused post). */
  fields(state: CaseState, posted?: { values: FormValues; errors: StepFieldError[] }): Html;
}

/** The forms open to the user now, the procedure's own steps first, then the common ones (decision, extension,
 * withdrawal); the workflow still validates every step. `parties` feed the party pickers. */
export function openActions(state: CaseState, parties: FormParty[] = []): ActionForm[] {
  const common = new Set<string>(COMMON_STEPS.map((c) => c.name));
  const steps = openStepsOf(state);
  return [...steps.filter((d) => !common.has(d.name)), ...steps.filter((d) => common.has(d.name))].map((def) => ({
    action: def.name,
    label: def.label,
    definition: def,
    fields: (s, posted) => stepFields(def, s, { parties, values: posted?.values, errors: posted?.errors }),
  }));
}

export function findActionForm(state: CaseState, action: string): ActionForm | undefined {
  return openActions(state).find((a) => a.action === action);
}
