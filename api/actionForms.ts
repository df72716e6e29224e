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

/** Each procedure's own steps; a step is offered when the workflow says it is due (CaseState.openSteps). */
const PROCEDURE_STEPS: Record<string, ActionForm[]> = {
  centralAnnouncement: [recordDraft, submitAnnouncementReport],
  capacityChange: [reviseJustifications, submitCapacityReport, recordPoliticalDecision, recordTemporaryStaffing],
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
