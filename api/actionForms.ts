/**
 * The steps a secretariat user can take on a case page, as plain HTML forms (usable without JavaScript). Each
 * form posts to /sager/{caseId}/handlinger/{action}; `toInput` turns the posted fields into the Update's input
 * (the actor is added by the server from the session, never taken from the form).
 */
import { html, type Html } from './views/html';
import type { CaseState } from '../contracts/caseState';
import { COMMON_STEPS } from '../contracts/kit/commonSteps';
import type { StepDefinition } from '../contracts/kit/step';
import { openStepsOf, stepFields } from './steps';
import { kronerFromDanish } from './views/schemaForm';

/** The directory's names by party id, for steps that name parties (the workflow records names, not ids). */
export type PartyNames = ReadonlyMap<string, string>;

export interface ActionForm {
  action: string;
  label: string;
  /** Set for a step defined in a contract: its form is read with readPostedStep. */
  definition?: StepDefinition;
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
  closure: [recordContinuationCost, recordClosureDecision, submitProvisionalAccount, announceMaterialChange, submitFinalAccount, recordSettlementBasis],
};

/** A step defined in a procedure's contract, as a form on the case page. */
function kitForm(def: StepDefinition): ActionForm {
  return {
    action: def.name,
    label: def.label,
    definition: def,
    fields: (state) => stepFields(def, state),
    toInput: () => {
      throw new Error(`${def.name} is read from its definition (readPostedStep)`);
    },
  };
}

/** The forms open to the user now: the steps the workflow says are due (CaseState.openSteps); the workflow
 * still validates every step. */
export function openActions(state: CaseState): ActionForm[] {
  if (state.status === 'withdrawn') return [];
  const legacy = (PROCEDURE_STEPS[state.procedure] ?? []).filter((form) => state.openSteps?.includes(form.action));
  const kit = openStepsOf(state).map(kitForm);
  // The common steps (decision, extension, withdrawal) come last, after the procedure's own.
  const common = new Set<string>(COMMON_STEPS.map((c) => c.name));
  return [...kit.filter((f) => !common.has(f.action)), ...legacy, ...kit.filter((f) => common.has(f.action))];
}

export function findActionForm(state: CaseState, action: string): ActionForm | undefined {
  return openActions(state).find((a) => a.action === action);
}
