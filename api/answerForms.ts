/**
 * The answer form for each round of answers (procedure + collection): Danish fields, and the parsing of the
 * posted form into the answer the workflow's schema takes. A round without its own form gets a free-text one.
 */
import { html, type Html } from './views/html';
import type { CaseState } from '../contracts/caseState';

export interface AnswerForm {
  render(values: Record<string, unknown>, state: CaseState): Html;
  parse(body: Record<string, unknown>, state: CaseState): { ok: true; answer: unknown } | { ok: false; errors: string[] };
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

const refugeePositions: AnswerForm = {
  render(values, state) {
    const quotas = (state.details as { calculatedQuotas?: { kommunenr: number; name: string; quota: number }[] }).calculatedQuotas ?? [];
    const position = str(values.position) || 'agree';
    return html`<fieldset><legend>Kommunens holdning til fordelingen</legend>
<div><input type="radio" id="p-agree" name="position" value="agree"${position === 'agree' ? html` checked` : ''}> <label for="p-agree" style="display:inline">Kommunen tilslutter sig fordelingen</label></div>
<div><input type="radio" id="p-object" name="position" value="object"${position === 'object' ? html` checked` : ''}> <label for="p-object" style="display:inline">Kommunen gør indsigelse</label></div>
<div><input type="radio" id="p-propose" name="position" value="propose"${position === 'propose' ? html` checked` : ''}> <label for="p-propose" style="display:inline">Kommunen foreslår andre tal</label></div>
</fieldset>
<div class="field"><label for="reason">Begrundelse (skal udfyldes ved indsigelse)</label><textarea id="reason" name="reason" rows="4">${str(values.reason)}</textarea></div>
<details${position === 'propose' ? html` open` : ''}><summary>Foreslåede kvoter (kun ved forslag om andre tal)</summary>
<table><thead><tr><th scope="col">Kommune</th><th scope="col">Beregnet</th><th scope="col">Forslag</th></tr></thead><tbody>
${quotas.map((q) => html`<tr><td><label for="q-${q.kommunenr}">${q.name}</label></td><td>${q.quota}</td><td><input type="number" min="0" step="1" id="q-${q.kommunenr}" name="q-${q.kommunenr}" value="${str(values[`q-${q.kommunenr}`]) || String(q.quota)}"></td></tr>`)}
</tbody></table></details>`;
  },
  parse(body, state) {
    const position = str(body.position);
    if (position === 'agree') return { ok: true, answer: { position: 'agree' } };
    if (position === 'object') {
      const reason = str(body.reason).trim();
      return reason.length >= 5 ? { ok: true, answer: { position: 'object', reason } } : { ok: false, errors: ['Begrundelse: angiv en begrundelse for indsigelsen (mindst 5 tegn)'] };
    }
    if (position === 'propose') {
      const quotas = (state.details as { calculatedQuotas?: { kommunenr: number; name: string }[] }).calculatedQuotas ?? [];
      const errors: string[] = [];
      const proposed = quotas.map((q) => {
        const raw = str(body[`q-${q.kommunenr}`]).trim();
        const n = Number(raw);
        if (!/^\d+$/.test(raw)) errors.push(`${q.name}: kvoten skal være et helt tal på 0 eller mere`);
        return { kommunenr: q.kommunenr, quota: n };
      });
      if (errors.length) return { ok: false, errors };
      return { ok: true, answer: { position: 'propose', reason: str(body.reason).trim() || undefined, quotas: proposed } };
    }
    return { ok: false, errors: ['Holdning: vælg om kommunen tilslutter sig, gør indsigelse eller foreslår andre tal'] };
  },
};

const councilRatification: AnswerForm = {
  render(values) {
    const r = str(values.ratified);
    return html`<fieldset><legend>Kommunalbestyrelsens behandling</legend>
<div><input type="radio" id="r-yes" name="ratified" value="yes"${r !== 'no' ? html` checked` : ''}> <label for="r-yes" style="display:inline">Godkendt</label></div>
<div><input type="radio" id="r-no" name="ratified" value="no"${r === 'no' ? html` checked` : ''}> <label for="r-no" style="display:inline">Ikke godkendt</label></div></fieldset>
<div class="field"><label for="councilMeetingDate">Dato for kommunalbestyrelsens møde</label><input type="date" id="councilMeetingDate" name="councilMeetingDate" value="${str(values.councilMeetingDate)}"></div>
<div class="field"><label for="note">Bemærkning (valgfri)</label><textarea id="note" name="note" rows="3">${str(values.note)}</textarea></div>`;
  },
  parse(body) {
    const date = str(body.councilMeetingDate);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return { ok: false, errors: ['Dato for kommunalbestyrelsens møde: angiv en dato'] };
    const note = str(body.note).trim();
    return { ok: true, answer: { ratified: str(body.ratified) !== 'no', councilMeetingDate: date, ...(note ? { note } : {}) } };
  },
};

const freeText: AnswerForm = {
  render(values) {
    return html`<div class="field"><label for="text">Svar</label><textarea id="text" name="text" rows="8">${str(values.text)}</textarea></div>`;
  },
  parse(body) {
    const text = str(body.text).trim();
    return text.length >= 2 ? { ok: true, answer: { text } } : { ok: false, errors: ['Svar: skriv et svar'] };
  },
};

const forms: Record<string, AnswerForm> = {
  'refugeeQuota:positions': refugeePositions,
  'refugeeQuota:ratification': councilRatification,
};

/** Procedures register their own forms here by `procedure:collection`. */
export function registerAnswerForm(procedure: string, collection: string, form: AnswerForm): void {
  forms[`${procedure}:${collection}`] = form;
}

export function answerFormFor(procedure: string, collection: string): AnswerForm {
  return forms[`${procedure}:${collection}`] ?? (collection === 'ratification' ? councilRatification : freeText);
}
