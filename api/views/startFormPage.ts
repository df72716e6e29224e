import { html } from './html';
import { layout } from './layout';
import { alert } from './components';
import { danishDate } from './format';
import { schemaErrorSummary, schemaFormFields, type FormParty, type FormValues } from './schemaForm';
import type { FieldError } from '../validation';
import type { ProcedureDefinition, StartPreview } from '../procedures/types';
import { jsonSchemaOf } from './schemaForm';

/** The start page of a procedure with a generic form: fields, errors next to them, and the preview. */
export function startFormPage(opts: {
  proc: ProcedureDefinition;
  requestId: string;
  values: FormValues;
  errors: FieldError[];
  parties: FormParty[];
  preview?: StartPreview;
}): string {
  const form = opts.proc.startForm!;
  const p = opts.preview;
  return layout({
    title: `Ny sag: ${opts.proc.label}`,
    body: html`<h1>${opts.proc.label}</h1>
<p class="font-lead">${opts.proc.description}</p>
${schemaErrorSummary(opts.errors, form.hints)}
<form method="post" action="/sager/ny/${opts.proc.id}" novalidate>
<input type="hidden" name="requestId" value="${opts.requestId}">
${schemaFormFields({ schema: jsonSchemaOf(opts.proc.inputSchema), hints: form.hints, values: opts.values, errors: opts.errors, parties: opts.parties })}
<div class="form-actions"><button type="submit" class="button button-secondary" name="intent" value="preview">Vis forhåndsvisning</button> <button type="submit" class="button button-primary" name="intent" value="start">Opret sag</button></div>
</form>
${p ? html`<section aria-labelledby="preview"><h2 id="preview">Forhåndsvisning</h2>
<p class="muted">Intet er gemt endnu. Sagen oprettes først, når du vælger "Opret sag".</p>
${p.warnings.length ? alert({ variant: 'warning', role: 'status', heading: 'Advarsler', headingLevel: 'h3', content: html`<ul>${p.warnings.map((w) => html`<li>${w}</li>`)}</ul>` }) : ''}
${p.deadlines.length ? html`<h3>Frister</h3><ul>${p.deadlines.map((d) => html`<li>${d.label}: <strong>${danishDate(d.deadline.dueDate)}</strong> ("${d.deadline.wording}")${d.deadline.reason ? html` <span class="deadline-shift">– ${d.deadline.reason}</span>` : ''}</li>`)}</ul>` : ''}
${p.tables.map((t) => html`<h3>${t.title}</h3><table class="table"><thead><tr>${t.head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>
${t.rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody></table>${t.note ? html`<p class="muted">${t.note}</p>` : ''}`)}
</section>` : ''}`,
  });
}
