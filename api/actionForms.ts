/**
 * The steps a secretariat user can take on a case page, as plain HTML forms (usable without JavaScript). Each
 * form posts to /sager/{caseId}/handlinger/{action}; `toInput` turns the posted fields into the Update's input
 * (the actor is added by the server from the session, never taken from the form).
 */
import { html, type Html } from './views/html';
import type { CaseState } from '../contracts/caseState';
import { bodyName } from '../domain/bodies';
import { kronerFromDanish } from './views/schemaForm';

/** The directory's names by party id, for steps that name parties (the workflow records names, not ids). */
export type PartyNames = ReadonlyMap<string, string>;

export interface ActionForm {
  action: string;
  label: string;
  fields(state: CaseState): Html;
  toInput(body: Record<string, string>, state: CaseState, names: PartyNames): Record<string, unknown>;
}

/** A field of a step form; the declarative forms below cover most steps. */
interface StepField {
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'date' | 'number' | 'kroner' | 'signedKroner' | 'yesno';
  optional?: boolean;
  hint?: string;
}

function stepField(f: StepField, id: string): Html {
  const hint = f.hint ? html`<p class="muted" id="${id}-hint">${f.hint}</p>` : '';
  const described = f.hint ? html` aria-describedby="${id}-hint"` : '';
  const req = f.optional ? '' : html` required`;
  const label = html`<label for="${id}">${f.label}${f.optional ? ' (valgfri)' : ''}</label>`;
  switch (f.kind) {
    case 'textarea':
      return html`<div class="field">${label}${hint}<textarea id="${id}" name="${f.name}" rows="4"${described}${req}></textarea></div>`;
    case 'yesno':
      return html`<fieldset><legend>${f.label}</legend>
<div><input type="radio" id="${id}-ja" name="${f.name}" value="yes"${req}> <label for="${id}-ja" style="display:inline">Ja</label></div>
<div><input type="radio" id="${id}-nej" name="${f.name}" value="no"> <label for="${id}-nej" style="display:inline">Nej</label></div></fieldset>`;
    default: {
      const type = f.kind === 'date' ? 'date' : 'text';
      const mode = f.kind === 'number' ? html` inputmode="numeric"` : f.kind === 'text' || f.kind === 'date' ? '' : html` inputmode="decimal"`;
      return html`<div class="field">${label}${hint}<input type="${type}" id="${id}" name="${f.name}"${mode}${described}${req}></div>`;
    }
  }
}

function stepValue(f: StepField, raw: string | undefined): unknown {
  const v = (raw ?? '').trim();
  if (f.kind === 'yesno') return v === 'yes' ? true : v === 'no' ? false : undefined;
  if (v === '') return f.optional ? undefined : f.kind === 'number' ? undefined : '';
  if (f.kind === 'number') return /^[+-]?\d+$/.test(v) ? Number(v) : v;
  if (f.kind === 'kroner' || f.kind === 'signedKroner') return kronerFromDanish(v);
  return v;
}

/** A step form from a list of fields: each field becomes the Update input's property of the same name. */
function stepForm(action: string, label: string, fields: StepField[], intro?: string): ActionForm {
  return {
    action,
    label,
    fields: () => html`${intro ? html`<p>${intro}</p>` : ''}${fields.map((f) => stepField(f, `${action}-${f.name}`))}`,
    toInput: (b) => Object.fromEntries(fields.map((f) => [f.name, stepValue(f, b[f.name])]).filter(([, v]) => v !== undefined)),
  };
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
${current.map((c) => html`<option value="${c.chain}|${c.body}">${c.label}: ${bodyName(c.body)}${c.planned ? ` (planlagt ${c.planned})` : ''}</option>`)}</select></div>
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

// ---- Central announcement ----
const recordDraft = stepForm('recordDraft', 'Registrér udkast til afrapportering', [
  { name: 'text', label: 'Udkastets tekst', kind: 'textarea', hint: 'Parternes besvarelser vedlægges afrapporteringen automatisk.' },
]);
const submitAnnouncementReport = stepForm('submitReport', 'Indsend afrapporteringen til styrelsen', [], 'Afrapporteringen dannes af det godkendte udkast og parternes besvarelser og sendes til styrelsens e-mailadresse.');

// ---- Capacity change ----
const reviseJustifications: ActionForm = {
  action: 'reviseJustifications',
  label: 'Registrér begrundelser efter tabel 4.1',
  fields: (s) => {
    const d = s.details as { justifications?: { requirement: string; text: string }[]; classification?: { justifications?: string[] } };
    const required = d.justifications?.length ? d.justifications.map((j) => j.requirement) : (d.classification?.justifications ?? []);
    return html`${required.map((r, i) => html`<div class="field"><label for="justification-${i}">${r}</label><textarea id="justification-${i}" name="justification-${i}" rows="3" required>${d.justifications?.[i]?.text ?? ''}</textarea></div>`)}`;
  },
  toInput: (b) => {
    const texts: string[] = [];
    for (let i = 0; b[`justification-${i}`] !== undefined; i++) texts.push(b[`justification-${i}`]!.trim());
    return { justifications: texts };
  },
};
const submitCapacityReport = stepForm('submitReport', 'Indberet kapacitetsændringen', [{ name: 'text', label: 'Indberetningens tekst', kind: 'textarea' }]);
const recordPoliticalDecision = stepForm('recordPoliticalDecision', 'Registrér den politiske beslutning', [
  { name: 'approved', label: 'Er ændringen vedtaget?', kind: 'yesno' },
  { name: 'meetingDate', label: 'Mødedato', kind: 'date' },
]);
const recordTemporaryStaffing = stepForm('recordTemporaryStaffing', 'Registrér midlertidig op- eller nednormering', [
  { name: 'places', label: 'Pladser i forhold til de faste pladser', kind: 'number', hint: '+ for opnormering, − for nednormering, 0 når den midlertidige normering ophører.' },
  { name: 'from', label: 'Fra dato', kind: 'date' },
  { name: 'reason', label: 'Begrundelse', kind: 'textarea' },
]);

// ---- Closure of a tilbud ----
const recordContinuationCost = stepForm('recordContinuationCost', 'Dokumentér omkostningerne ved at videreføre tilbuddet', [
  { name: 'text', label: 'De økonomiske konsekvenser ved at videreføre tilbuddet', kind: 'textarea' },
  { name: 'amount', label: 'Beløb (kr.)', kind: 'kroner' },
]);
const recordClosureDecision = stepForm('recordClosureDecision', 'Registrér beslutningen om lukning', [
  { name: 'decisionDate', label: 'Beslutningsdato', kind: 'date', hint: 'Beslutningsåret fastlægger fordelingsnøglen (de to foregående år) og regelsættet.' },
  { name: 'closingDate', label: 'Lukkedato', kind: 'date' },
]);
const accountFields = (): StepField[] => [
  { name: 'income', label: 'Indtægter (kr.)', kind: 'kroner' },
  { name: 'costs', label: 'Udgifter (kr.)', kind: 'kroner' },
  { name: 'carriedForward', label: 'Overført over-/underskud fra tidligere år (kr., underskud med minus)', kind: 'signedKroner' },
];
const submitProvisionalAccount = stepForm('submitProvisionalAccount', 'Indsend det foreløbige lukkeregnskab', accountFields());
const announceMaterialChange = stepForm('announceMaterialChange', 'Meddel en væsentlig ændring', [{ name: 'text', label: 'Den væsentlige ændring', kind: 'textarea' }]);
const submitFinalAccount = stepForm('submitFinalAccount', 'Indsend det endelige, reviderede lukkeregnskab', [
  ...accountFields(),
  { name: 'auditorStatement', label: 'Revisors påtegning', kind: 'textarea', optional: true, hint: 'Skal udfyldes, når der skal ske en efterregulering.' },
]);
/** Betalingskommuner and handlekommuner as lines of kommunenumre (and turnover), names from the directory. */
const recordSettlementBasis: ActionForm = {
  action: 'recordSettlementBasis',
  label: 'Registrér grundlaget for efterreguleringen',
  fields: () => html`<p class="muted">Udfyld kun det, der skal ændres. Tomme felter bevarer det registrerede.</p>
${stepField({ name: 'turnoverDecisionYear', label: 'Takstbaseret omsætning i beslutningsåret (kr.)', kind: 'kroner', optional: true }, 'basis-turnover')}
${stepField({ name: 'otherUnitsTurnoverDecisionYear', label: 'Centrets øvrige tilbuds omsætning i beslutningsåret (kr.)', kind: 'kroner', optional: true }, 'basis-other')}
<div class="field"><label for="basis-payers">Betalingskommuner (valgfri)</label><p class="muted" id="basis-payers-hint">Én pr. linje: kommunenummer; omsætning to år før; omsætning året før beslutningsåret, fx "461; 1650000; 1650000".</p>
<textarea id="basis-payers" name="payers" rows="4" aria-describedby="basis-payers-hint"></textarea></div>
<div class="field"><label for="basis-acting">Handlekommuner (valgfri)</label><p class="muted" id="basis-acting-hint">Kommunenumre, ét pr. linje.</p>
<textarea id="basis-acting" name="actingMunicipalities" rows="3" aria-describedby="basis-acting-hint"></textarea></div>`,
  toInput: (b, _s, names) => {
    const lines = (v: string | undefined) => (v ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    const out: Record<string, unknown> = {};
    for (const k of ['turnoverDecisionYear', 'otherUnitsTurnoverDecisionYear']) if (b[k]?.trim()) out[k] = kronerFromDanish(b[k]);
    const payers = lines(b.payers).map((l) => {
      const [partyId = '', y2 = '', y1 = ''] = l.split(/\s*;\s*/);
      return { partyId, name: names.get(partyId) ?? '', turnoverYearMinus2: kronerFromDanish(y2), turnoverYearMinus1: kronerFromDanish(y1) };
    });
    if (payers.length) out.payers = payers;
    const acting = lines(b.actingMunicipalities).map((id) => ({ partyId: id, name: names.get(id) ?? '' }));
    if (acting.length) out.actingMunicipalities = acting;
    return out;
  },
};

/** Each procedure's own steps; a step is offered when the workflow says it is due (CaseState.openSteps). */
const PROCEDURE_STEPS: Record<string, ActionForm[]> = {
  centralAnnouncement: [recordDraft, submitAnnouncementReport],
  capacityChange: [reviseJustifications, submitCapacityReport, recordPoliticalDecision, recordTemporaryStaffing],
  closure: [recordContinuationCost, recordClosureDecision, submitProvisionalAccount, announceMaterialChange, submitFinalAccount, recordSettlementBasis],
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
  for (const form of PROCEDURE_STEPS[state.procedure] ?? []) if (state.openSteps?.includes(form.action)) out.push(form);
  if (Object.values(state.approvals).some((a) => a.steps.some((s) => s.status === 'current'))) out.push(recordDecision);
  if (Object.values(state.deadlines).some((d) => d.status === 'open')) out.push(extendDeadline);
  if (state.status === 'open') out.push(withdraw);
  return out;
}

export function findActionForm(state: CaseState, action: string): ActionForm | undefined {
  return openActions(state).find((a) => a.action === action);
}
