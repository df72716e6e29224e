import { html, type Html } from './html';
import { layout } from './layout';
import { alert, checkbox, describedBy, errorSummaryBox, fieldsetGroup, formGroup } from './components';
import { danishDate, danishDateTime, daysLeft, deadlineClass, statusLabel } from './format';
import type { CaseRow } from '../caseService';
import type { CaseState, JournalView } from '../../contracts/caseState';
import type { ProcedureDefinition } from '../procedures/types';
import type { FieldError } from '../validation';
import type { ActionForm } from '../actionForms';
import type { DeliveryRow } from '../deliveryLog';
import { bodyName } from '../../domain/bodies';

export function chooseProcedurePage(procs: ProcedureDefinition[]): string {
  return layout({
    title: 'Start en sag',
    body: html`<h1>Start en sag</h1><ul>${procs.map(
      (p) => html`<li><a href="/sager/ny/${p.id}">${p.label}</a><br><span class="muted">${p.description}</span></li>`,
    )}</ul>`,
  });
}

function errorFor(errors: FieldError[], field: string): FieldError | undefined {
  return errors.find((e) => e.field === field || e.field.startsWith(field + '.'));
}

export function errorSummary(errors: FieldError[], labels: Record<string, string>, heading = 'Sagen blev ikke oprettet. Ret venligst:'): Html {
  return errorSummaryBox(heading, errors.map((e) => ({ href: `#${e.field.split('.')[0]}`, text: `${labels[e.field.split('.')[0]!] ?? e.field}: ${e.reason}` })));
}

export function textField(opts: { name: string; label: string; value: string; errors: FieldError[]; multiline?: boolean; hint?: string }): Html {
  const err = errorFor(opts.errors, opts.name);
  const aria = describedBy(opts.name, !!opts.hint, !!err);
  return formGroup({
    id: opts.name,
    label: opts.label,
    hint: opts.hint,
    errors: err ? [`${opts.label}: ${err.reason}`] : [],
    control: opts.multiline
      ? html`<textarea class="form-input" id="${opts.name}" name="${opts.name}" rows="6"${aria}>${opts.value}</textarea>`
      : html`<input type="text" class="form-input" id="${opts.name}" name="${opts.name}" value="${opts.value}"${aria}>`,
  });
}

export function orientationFormPage(opts: {
  requestId: string;
  values: { title?: string; message?: string; partyIds?: string[] };
  parties: { partyId: string; name: string }[];
  errors: FieldError[];
}): string {
  const labels = { title: 'Titel', message: 'Orientering', partyIds: 'Modtagere' };
  const chosen = new Set(opts.values.partyIds ?? opts.parties.map((p) => p.partyId));
  const partyErr = errorFor(opts.errors, 'partyIds');
  return layout({
    title: 'Ny orientering',
    body: html`<h1>Orientering om væsentlige ændringer</h1>
<p class="font-lead">Rammeaftalens bilag 4, tabel 4.1: kommunerne i Syddanmark og regionen orienteres hurtigst muligt.</p>
${errorSummary(opts.errors, labels)}
<form method="post" action="/sager/ny/orientation" novalidate>
<input type="hidden" name="requestId" value="${opts.requestId}">
${textField({ name: 'title', label: labels.title, value: opts.values.title ?? '', errors: opts.errors })}
${textField({ name: 'message', label: labels.message, value: opts.values.message ?? '', errors: opts.errors, multiline: true, hint: 'Teksten sendes i e-mailen til modtagerne. Skriv ikke CPR-numre eller borgeres navne.' })}
${fieldsetGroup({
  id: 'partyIds',
  legend: labels.partyIds,
  errors: partyErr ? [`${labels.partyIds}: ${partyErr.reason}`] : [],
  content: html`<div class="checks">${opts.parties.map((p) => checkbox({ id: `party-${p.partyId}`, name: 'partyIds', value: p.partyId, label: p.name, checked: chosen.has(p.partyId) }))}</div>`,
})}
<div class="form-actions"><button type="submit" class="button button-primary">Opret sag og send orientering</button></div>
</form>`,
  });
}

const RULE_LABELS: Record<string, string> = {
  generalShift: 'Den almindelige fristregel (flyttes til næste hverdag)',
  noShift: 'Fastsat dato (flyttes ikke)',
  backwardShift: 'Regnes bagud (flyttes til forrige hverdag)',
};
const DEADLINE_STATUS: Record<string, string> = { open: 'Åben', met: 'Overholdt', expired: 'Udløbet', cancelled: 'Bortfaldet' };
const STEP_STATUS: Record<string, string> = { waiting: 'Venter', current: 'Afventer behandling', approved: 'Godkendt', amend: 'Sendt tilbage', rejected: 'Afvist' };

function deadlinesSection(live: CaseState): Html {
  const ds = Object.values(live.deadlines);
  if (!ds.length) return html``;
  return html`<h2>Frister</h2><table class="table"><thead><tr><th scope="col">Frist</th><th scope="col">Ordlyd og regel</th><th scope="col">Dato</th><th scope="col">Status</th></tr></thead><tbody>
${ds.map((d) => {
  const v = d.plan.deadline;
  return html`<tr data-deadline="${d.key}"><td>${d.label}</td><td>"${v.wording}"<br><span class="muted">${RULE_LABELS[v.rule] ?? v.rule}</span></td>
<td><strong>${danishDate(v.dueDate)}</strong>${v.reason ? html`<br><span class="deadline-shift" role="note">⚠ ${v.reason}</span>` : ''}
${d.extensions.map((e) => html`<br><span class="muted">Forlænget ${danishDate(e.oldDueDate)} → ${danishDate(e.newDueDate)} af ${e.actor}: ${e.reason}</span>`)}</td>
<td class="${d.status === 'expired' ? 'overdue' : ''}">${DEADLINE_STATUS[d.status] ?? d.status}</td></tr>`;
})}</tbody></table>`;
}

function collectionsSection(live: CaseState): Html {
  return html`${Object.values(live.collections).map(
    (c) => html`<h2>${c.label}</h2>
<p>${c.parties.filter((p) => p.state === 'answered').length} af ${c.parties.length} har svaret.</p>
<table class="table"><thead><tr><th scope="col">Part</th><th scope="col">Status</th><th scope="col">Svar</th><th scope="col">Påmindelser</th></tr></thead><tbody>
${c.parties.map(
  (p) => html`<tr data-party="${p.partyId}"><td>${p.name}</td>
<td class="${p.late && p.state === 'pending' ? 'overdue' : ''}">${p.state === 'answered' ? `Svaret ${p.answeredAt ? danishDateTime(p.answeredAt) : ''}${p.late ? ' (efter fristen)' : ''}` : p.late ? 'Mangler svar – for sent' : 'Afventer svar'}</td>
<td>${p.answerText ?? ''}</td><td>${Math.max(0, p.notices.length - 1)}</td></tr>`,
)}</tbody></table>`,
  )}`;
}

function approvalsSection(live: CaseState): Html {
  const as = Object.values(live.approvals);
  if (!as.length) return html``;
  return html`<h2>Politisk og administrativ behandling</h2>${as.map(
    (a) => html`<h3>${a.label}${a.round > 1 ? ` (runde ${a.round})` : ''}</h3><ol>${a.steps.map(
      (st) => html`<li>${bodyName(st.body)}: ${STEP_STATUS[st.status] ?? st.status}${st.plannedMeeting && st.status === 'current' ? `, planlagt møde ${danishDate(st.plannedMeeting)}` : ''}${st.meetingDate ? `, møde ${danishDate(st.meetingDate)}` : ''}${st.note ? ` – ${st.note}` : ''}</li>`,
    )}</ol>`,
  )}`;
}

function actionsSection(caseId: string, live: CaseState, actions: ActionForm[]): Html {
  if (!actions.length) return html``;
  return html`<h2>Handlinger</h2>${actions.map(
    (a) => html`<details class="action"><summary>${a.label}</summary>
<form method="post" action="/sager/${encodeURIComponent(caseId)}/handlinger/${a.action}">${a.fields(live)}<p><button type="submit" class="button button-primary">${a.label}</button></p></form></details>`,
  )}`;
}

const DELIVERY_STATUS: Record<DeliveryRow['status'], string> = { pending: 'Venter', sending: 'Sendes', sent: 'Sendt', failed: 'Forsøges igen', rejected: 'Afvist af modtagerens mailserver' };

function deliverySection(caseId: string, rows: DeliveryRow[], canAct: boolean): Html {
  if (!rows.length) return html``;
  const rejected = rows.filter((r) => r.status === 'rejected' && !rows.some((x) => x.resendOf === r.id && x.status === 'sent'));
  const waiting = rows.filter((r) => r.status === 'pending' || r.status === 'failed' || r.status === 'sending');
  return html`<h2 id="udsendte-emails">Udsendte e-mails</h2>
${rejected.length ? html`<div class="errorsummary" role="alert"><p><strong>${rejected.length} e-mail${rejected.length === 1 ? ' blev' : 's blev'} afvist</strong> af modtagerens mailserver og sendes ikke igen af sig selv: ${rejected.map((r) => r.recipient).join(', ')}. Sekretariatet har fået besked. Ret adressen, og send igen nedenfor.</p></div>` : ''}
${waiting.length ? html`<p class="warning">${waiting.length} e-mail${waiting.length === 1 ? '' : 's'} venter på at blive sendt (mailserveren svarer ikke lige nu; der forsøges igen automatisk).</p>` : ''}
<table class="table"><caption class="muted">${rows.length} e-mails på sagen, ældste først</caption>
<thead><tr><th scope="col">Oprettet</th><th scope="col">Modtager</th><th scope="col">Emne</th><th scope="col">Status</th>${canAct ? html`<th scope="col">Send igen</th>` : ''}</tr></thead><tbody>
${rows.map(
  (r) => html`<tr data-email-id="${r.id}" class="${r.status === 'rejected' ? 'overdue' : ''}"><td>${danishDateTime(r.createdAt)}</td><td>${r.recipient}</td><td>${r.subject}${r.resendOf ? html`<br><span class="muted">Gensendt${r.requestedBy ? ` af ${r.requestedBy}` : ''}</span>` : ''}</td>
<td>${DELIVERY_STATUS[r.status]}${r.sentAt ? html`<br><span class="muted">${danishDateTime(r.sentAt)}</span>` : ''}${r.lastError && r.status !== 'sent' ? html`<br><span class="muted">${r.lastError}</span>` : ''}</td>
${canAct ? html`<td><details><summary>Send igen</summary><form method="post" action="/sager/${encodeURIComponent(caseId)}/emails/${r.id}/gensend">
<div class="field"><label for="resend-${r.id}">Ny adresse (tom: samme adresse)</label><input type="email" id="resend-${r.id}" name="recipient"></div>
<button type="submit" class="button button-primary">Send igen</button></form></details></td>` : ''}</tr>`,
)}</tbody></table>`;
}

/** A step an activity refused for good: what the secretariat must deal with, first on the page. */
function attentionBox(a: { reason: string; since: string } | null | undefined): Html | '' {
  if (!a) return '';
  return html`<div class="errorsummary attention" role="alert" data-testid="attention"><h2>Kræver handling</h2><p>${a.reason}</p><p class="muted">Siden ${danishDateTime(a.since)}. Sagen er ført videre, hvor det var muligt; trinnet skal rettes af sekretariatet.</p></div>`;
}

export function casePage(c: { summary: CaseRow; journal: JournalView[]; live: CaseState | null }, actions: ActionForm[] = [], delivery: DeliveryRow[] = [], canAct = true): string {
  const s = c.summary;
  const live = c.live;
  const parties = live?.parties ?? s.parties;
  return layout({
    title: s.title,
    body: html`<h1>${s.title}</h1>
${attentionBox(live?.attention ?? s.attention)}
${live?.warnings.length ? html`<div class="errorsummary" role="alert"><h2>Advarsler</h2><ul>${live.warnings.map((w) => html`<li>${w}</li>`)}</ul></div>` : ''}
<dl>
<dt>Sagsnummer</dt><dd>${s.caseId}</dd>
<dt>Procedure</dt><dd>${s.procedure}</dd>
<dt>Fase</dt><dd data-testid="stage">${live?.stage ?? s.stage}</dd>
<dt>Status</dt><dd>${statusLabel[live?.status ?? s.status] ?? s.status}</dd>
<dt>Næste frist</dt><dd>${s.nextDeadline ? html`${s.nextDeadline.wording}: ${danishDate(s.nextDeadline.dueDate)}${s.nextDeadline.reason ? html` <span class="deadline-shift">(${s.nextDeadline.reason})</span>` : ''}` : 'Ingen'}</dd>
</dl>
${live?.stageHistory?.length ? html`<h2>Forløb</h2><ol class="timeline">${live.stageHistory.map(
  (x, i, all) => html`<li${i === all.length - 1 ? html` aria-current="step"` : ''}><span class="muted">${danishDateTime(x.at)}</span> ${x.stage}</li>`,
)}</ol>` : ''}
${live ? html`${actionsSection(s.caseId, live, actions)}${deadlinesSection(live)}${approvalsSection(live)}${collectionsSection(live)}` : html`<p class="muted">Sagens detaljer kan ikke hentes lige nu; oversigten nedenfor er fra sagsoversigten.</p>`}
${!live || !Object.keys(live.collections).length ? html`<h2>Parter</h2>
${parties.length ? html`<table class="table"><thead><tr><th scope="col">Part</th><th scope="col">Status</th></tr></thead><tbody>
${parties.map((p) => html`<tr><td>${p.name}</td><td>${p.state}</td></tr>`)}</tbody></table>` : html`<p>Ingen parter.</p>`}` : ''}
${deliverySection(s.caseId, delivery, canAct)}
<h2>Journal</h2>
<p><a href="/sager/${encodeURIComponent(s.caseId)}/journal.zip">Hent journalen med dokumenter (ZIP til aktindsigt og journalisering)</a></p>
<table class="table"><thead><tr><th scope="col">Tidspunkt</th><th scope="col">Beskrivelse</th><th scope="col">Aktør</th><th scope="col">Dokumenter</th></tr></thead><tbody>
${c.journal.map((j, i) => html`<tr><td>${danishDateTime(j.at)}</td><td>${j.description}</td><td>${j.actor}</td>
<td>${j.documents.map((d, k) => html`<a href="/sager/${encodeURIComponent(s.caseId)}/dokumenter/${i}/${k}">${d.name}</a> `)}</td></tr>`)}
</tbody></table>`,
  });
}

export function messagePage(title: string, text: string, status = 200): { status: number; body: string } {
  return { status, body: layout({ title, body: html`<h1>${title}</h1><p>${text}</p><p><a href="/">Til overblikket</a></p>` }) };
}
