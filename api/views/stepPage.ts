import { html } from './html';
import { layout } from './layout';
import type { CaseState } from '../../contracts/caseState';
import type { StepDefinition, StepFieldError } from '../../contracts/kit/step';
import { hintsFor, stepFields } from '../steps';
import { schemaErrorSummary, type FormParty, type FormValues } from './schemaForm';

/** A step form posted with errors: the form again with what was typed, each error next to its field and in the
 * summary, named by its label. Nothing was recorded. */
export function stepErrorPage(caseId: string, def: StepDefinition, state: CaseState, values: FormValues, errors: StepFieldError[], parties: FormParty[] = []): string {
  const prefix = `${def.name}-`;
  return layout({
    title: `${def.label} – ret fejl`,
    body: html`<a class="back-link" href="/sager/${encodeURIComponent(caseId)}">Tilbage til sagen ${caseId}</a>
<h1>${def.label}</h1>
${schemaErrorSummary(errors, hintsFor(def, state), 'Handlingen blev ikke udført. Ret venligst:', prefix)}
<form method="post" action="/sager/${encodeURIComponent(caseId)}/handlinger/${def.name}">${stepFields(def, state, { values, errors, idPrefix: prefix, parties })}
<div class="form-actions"><button type="submit" class="button button-primary">${def.label}</button></div></form>`,
  });
}
