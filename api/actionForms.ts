/**
 * The steps a secretariat user can take on a case page, as plain HTML forms (usable without JavaScript). Each
 * form posts to /sager/{caseId}/handlinger/{action}; `toInput` turns the posted fields into the Update's input
 * (the actor is added by the server from the session, never taken from the form).
 */
import { html, type Html } from './views/html';
import type { CaseState } from '../workflows/blocks/caseRecord';
import { BODY_NAMES, type Body } from '../workflows/blocks/approvals';

export interface ActionForm {
  action: string;
  label: string;
  fields(state: CaseState): Html;
  toInput(body: Record<string, string>, state: CaseState): Record<string, unknown>;
}

const dateField = (name: string, label: string) =>
  html`<div class="field"><label for="${name}">${label}</label><input type="date" id="${name}" name="${name}" required></div>`;
const textArea = (name: string, label: string) =>
  html`<div class="field"><label for="${name}">${label}</label><textarea id="${name}" name="${name}" rows="3"></textarea></div>`;

const extendDeadline: ActionForm = {
  action: 'extendDeadline',
  label: 'Forlæng en frist (fristforlængelse)',
  fields: (s) => html`<div class="field"><label for="deadlineKey">Frist</label><select id="deadlineKey" name="deadlineKey">
${Object.values(s.deadlines).filter((d) => d.status === 'open').map((d) => html`<option value="${d.key}">${d.label} (${d.plan.deadline.dueDate})</option>`)}
</select></div>${dateField('newDate', 'Ny frist')}${textArea('reason', 'Begrundelse')}`,
  toInput: (b) => ({ deadlineKey: b.deadlineKey, newDate: b.newDate, reason: b.reason }),
};

const recordDecision: ActionForm = {
  action: 'recordDecision',
  label: 'Registrér beslutning i et organ',
  fields: (s) => {
    const current = Object.values(s.approvals).flatMap((a) => a.steps.filter((x) => x.status === 'current').map((x) => ({ chain: a.key, label: a.label, body: x.body, planned: x.plannedMeeting })));
    return html`<div class="field"><label for="chainBody">Behandling</label><select id="chainBody" name="chainBody">
${current.map((c) => html`<option value="${c.chain}|${c.body}">${c.label}: ${BODY_NAMES[c.body as Body]}${c.planned ? ` (planlagt ${c.planned})` : ''}</option>`)}</select></div>
<div class="field"><label for="outcome">Udfald</label><select id="outcome" name="outcome">
<option value="approved">Godkendt / anbefalet</option><option value="amend">Sendt tilbage til ændring</option><option value="rejected">Afvist</option></select></div>
${dateField('meetingDate', 'Mødedato')}${textArea('note', 'Bemærkning (valgfri)')}`;
  },
  toInput: (b) => {
    const [chain, body] = (b.chainBody ?? '').split('|');
    return { chain, body, outcome: b.outcome, meetingDate: b.meetingDate, ...(b.note?.trim() ? { note: b.note.trim() } : {}) };
  },
};

const withdraw: ActionForm = {
  action: 'withdraw',
  label: 'Træk sagen tilbage',
  fields: () => textArea('reason', 'Begrundelse'),
  toInput: (b) => ({ reason: b.reason }),
};

const kkrDecision: ActionForm = {
  action: 'recordKkrDecision',
  label: 'Registrér KKR’s beslutning om fordelingen',
  fields: (s) => {
    const quotas = (s.details as { calculatedQuotas?: { kommunenr: number; name: string; quota: number }[] }).calculatedQuotas ?? [];
    return html`<fieldset><legend>Beslutning</legend>
<div><input type="radio" id="c-follow" name="choice" value="followCalculated" checked> <label for="c-follow" style="display:inline">KKR følger Udlændingestyrelsens beregnede kvoter</label></div>
<div><input type="radio" id="c-own" name="choice" value="ownAgreement"> <label for="c-own" style="display:inline">KKR indgår egen aftale (kvoter nedenfor)</label></div></fieldset>
<div class="field"><label for="landstalClause">Klausul om ændret landstal</label><select id="landstalClause" name="landstalClause">
<option value="lapses">Aftalen bortfalder (Udlændingestyrelsen fastsætter)</option><option value="survives">Aftalen gælder fortsat</option><option value="rescale">Kvoterne omregnes forholdsmæssigt</option></select></div>
${dateField('meetingDate', 'Dato for KKR-mødet')}
<details><summary>Kvoter ved egen aftale</summary><table><thead><tr><th scope="col">Kommune</th><th scope="col">Beregnet</th><th scope="col">Aftalt</th></tr></thead><tbody>
${quotas.map((q) => html`<tr><td><label for="q-${q.kommunenr}">${q.name}</label></td><td>${q.quota}</td><td><input type="number" min="0" step="1" id="q-${q.kommunenr}" name="q-${q.kommunenr}" value="${q.quota}"></td></tr>`)}
</tbody></table></details>`;
  },
  toInput: (b, s) => {
    const quotas = (s.details as { calculatedQuotas?: { kommunenr: number }[] }).calculatedQuotas ?? [];
    return {
      choice: b.choice,
      landstalClause: b.landstalClause,
      meetingDate: b.meetingDate,
      ...(b.choice === 'ownAgreement' ? { quotas: quotas.map((q) => ({ kommunenr: q.kommunenr, quota: Number(b[`q-${q.kommunenr}`]) })) } : {}),
    };
  },
};

const sendNotification: ActionForm = {
  action: 'sendNotification',
  label: 'Send meddelelsen til Udlændingestyrelsen',
  fields: () => html`<div><input type="checkbox" id="withReservation" name="withReservation" value="yes"> <label for="withReservation" style="display:inline">Med forbehold for politisk godkendelse i de enkelte kommuner</label></div>`,
  toInput: (b) => ({ withReservation: b.withReservation === 'yes' }),
};

const recordFixedQuotas: ActionForm = {
  action: 'recordFixedQuotas',
  label: 'Registrér Udlændingestyrelsens fastsættelse (bilag B)',
  fields: () => dateField('fixedDate', 'Dato for fastsættelsen'),
  toInput: (b) => ({ fixedDate: b.fixedDate }),
};

/** The forms open to the user now, judged from the case state (the workflow still validates every step). */
export function openActions(state: CaseState): ActionForm[] {
  if (state.status === 'withdrawn') return [];
  const out: ActionForm[] = [];
  const stage = state.stage;
  if (state.procedure === 'refugeeQuota') {
    if (stage === 'Afventer KKR’s beslutning') out.push(kkrDecision);
    if (stage === 'Klar til meddelelse til Udlændingestyrelsen') out.push(sendNotification);
    if (stage === 'Afventer Udlændingestyrelsens fastsættelse') out.push(recordFixedQuotas);
  }
  if (Object.values(state.approvals).some((a) => a.steps.some((s) => s.status === 'current'))) out.push(recordDecision);
  if (Object.values(state.deadlines).some((d) => d.status === 'open')) out.push(extendDeadline);
  if (state.status === 'open') out.push(withdraw);
  return out;
}

export function findActionForm(state: CaseState, action: string): ActionForm | undefined {
  return openActions(state).find((a) => a.action === action);
}
