import { html } from './html';
import { layout } from './layout';
import { errorSummary } from './pages';
import { danishDate } from './format';
import type { FieldError } from '../validation';
import type { Deadline } from '../../domain/calendar/deadline';
import { parseQuotaTable } from '../../domain/refugeeQuota';
import { municipalityData2024, type QuotaSource } from '../procedures/refugeeQuota';
import { DANISH_REGIONS, HOME_REGION } from '../../domain/region';

export const REFUGEE_REGIONS: readonly string[] = DANISH_REGIONS;
const REGION_FIELD = (r: string) => `rq-${r.replace('Region ', '').toLowerCase().replace(/æ/g, 'ae').replace(/[^a-z]/g, '')}`;
export const regionField = REGION_FIELD;

export interface RefugeeFormValues {
  [key: string]: string | undefined;
}

export interface RefugeePreview {
  source: QuotaSource;
  quotas: { kommunenr: number; name: string; quota: number; ideal: string }[];
  deadlines: { label: string; deadline: Deadline }[];
}

const LABELS: Record<string, string> = {
  quotaYear: 'Kvoteår',
  landstal: 'Landstal',
  region: 'Region',
  regionQuotas: 'Regionskvoter',
  announcementDate: 'Udlændingestyrelsens meddelelse (dato)',
  deadlines: 'Frister',
  agencyEmail: 'Udlændingestyrelsens e-mailadresse',
  ratificationRequired: 'Ratifikation',
  agencyQuotas: 'Udlændingestyrelsens beregnede kommunekvoter (bilag B)',
  ratificationDeadline: 'Frist for ratifikation',
};

function input(name: string, label: string, v: RefugeeFormValues, errors: FieldError[], type = 'text', hint?: string) {
  const err = errors.find((e) => e.field === name || e.field.startsWith(`${name}.`) || e.field.replace(/\./g, '-') === name);
  return html`<div class="field${err ? ' invalid' : ''}"><label for="${name}">${label}</label>
${hint ? html`<p class="muted" id="${name}-hint">${hint}</p>` : ''}
${err ? html`<p class="error" id="${name}-fejl">${label}: ${err.reason}</p>` : ''}
<input type="${type}" id="${name}" name="${name}" value="${v[name] ?? ''}"${err ? html` aria-invalid="true" aria-describedby="${name}-fejl"` : ''}></div>`;
}

function ruleSelect(name: string, v: RefugeeFormValues, dflt: string) {
  const cur = v[name] ?? dflt;
  return html`<div class="field"><label for="${name}">Regel hvis fristen falder på en lørdag, søndag eller helligdag</label><select id="${name}" name="${name}">
<option value="generalShift"${cur === 'generalShift' ? html` selected` : ''}>Flyttes til næste hverdag (den almindelige fristregel)</option>
<option value="noShift"${cur === 'noShift' ? html` selected` : ''}>Flyttes ikke (dato fastsat af myndigheden)</option>
<option value="backwardShift"${cur === 'backwardShift' ? html` selected` : ''}>Flyttes til hverdagen før (forsigtig læsning af en frist, som en anden myndighed har sat)</option></select></div>`;
}

/** How "inden den X" is read, for a deadline the agency sets: strictly (X itself is too late) unless chosen otherwise. */
function indenSelect(name: string, v: RefugeeFormValues) {
  const cur = v[name] ?? 'strictlyBefore';
  return html`<div class="field"><label for="${name}">Læsning af "inden den"</label><select id="${name}" name="${name}">
<option value="strictlyBefore"${cur === 'strictlyBefore' ? html` selected` : ''}>Før den nævnte dag (dagen selv er for sent) – den forsigtige læsning</option>
<option value="onOrBefore"${cur === 'onOrBefore' ? html` selected` : ''}>Til og med den nævnte dag</option></select></div>`;
}

function quotaTable(v: RefugeeFormValues, errors: FieldError[]) {
  const err = errors.find((x) => x.field === 'agencyQuotas' || x.field.startsWith('agencyQuotas.'));
  const label = LABELS.agencyQuotas!;
  return html`<div class="field${err ? ' invalid' : ''}"><label for="agencyQuotas">${label}</label>
<p class="muted" id="agencyQuotas-hint">Indsæt regionens kommunekvoter fra bilag B til styrelsens brev eller fra styrelsens CSV-fil: én kommune pr. linje med kommunenummer eller navn og kvote, fx "461;Odense;45". Skal udfyldes for alle kvoteår undtagen 2024, hvor sagsmotoren selv har talgrundlaget (bilag A).</p>
${err ? html`<p class="error" id="agencyQuotas-fejl">${label}: ${err.reason}</p>` : ''}
<textarea id="agencyQuotas" name="agencyQuotas" rows="8" aria-describedby="agencyQuotas-hint${err ? ' agencyQuotas-fejl' : ''}"${err ? html` aria-invalid="true"` : ''}>${v.agencyQuotas ?? ''}</textarea></div>`;
}


export function refugeeFormPage(opts: { requestId: string; values: RefugeeFormValues; errors: FieldError[]; preview?: RefugeePreview }): string {
  const v = opts.values;
  const e = opts.errors;
  const deadlineBlock = (key: string, title: string, dfltRule: string) => html`<fieldset id="deadlines-${key}"><legend>${title}</legend>
${input(`dl-${key}-wording`, 'Ordlyd', v, e.map((x) => ({ ...x, field: x.field.replace(`deadlines.${key}.wording`, `dl-${key}-wording`) })))}
${input(`dl-${key}-date`, 'Dato', v, e.map((x) => ({ ...x, field: x.field.replace(`deadlines.${key}.nominalDate`, `dl-${key}-date`) })), 'date')}
${key === 'agreement' ? indenSelect(`dl-${key}-inden`, v) : ''}
${ruleSelect(`dl-${key}-rule`, v, dfltRule)}</fieldset>`;
  return layout({
    title: 'Ny sag: kommunekvoter for flygtninge',
    body: html`<h1>Aftale om kommunekvoter for flygtninge</h1>
<p class="muted">Integrationslovens §§ 6-8. Ukrainske fordrevne er ikke omfattet af landstallet.</p>
${errorSummary(e, LABELS)}
<form method="post" action="/sager/ny/refugeeQuota" novalidate>
<input type="hidden" name="requestId" value="${opts.requestId}">
${input('quotaYear', LABELS.quotaYear!, v, e, 'number')}
${input('landstal', LABELS.landstal!, v, e, 'number')}
<div class="field"><label for="region">Region</label><select id="region" name="region">${REFUGEE_REGIONS.map((r) => html`<option${(v.region ?? HOME_REGION) === r ? html` selected` : ''}>${r}</option>`)}</select></div>
<fieldset id="regionQuotas"><legend>Regionskvoter (fra Udlændingestyrelsens brev)</legend>
${REFUGEE_REGIONS.map((r) => input(REGION_FIELD(r), r, v, e.map((x) => ({ ...x, field: x.field === `regionQuotas.${r}` ? REGION_FIELD(r) : x.field })), 'number'))}</fieldset>
${input('announcementDate', LABELS.announcementDate!, v, e, 'date')}
${deadlineBlock('positions', 'Frist for kommunernes tilbagemelding', 'generalShift')}
${deadlineBlock('agreement', 'Frist for meddelelse af aftale til Udlændingestyrelsen', 'backwardShift')}
${deadlineBlock('fallback', 'Udlændingestyrelsens frist for fastsættelse', 'noShift')}
${quotaTable(v, e)}
${input('agencyEmail', LABELS.agencyEmail!, v, e, 'email')}
<div><input type="checkbox" id="ratificationRequired" name="ratificationRequired" value="yes"${v.ratificationRequired === 'yes' ? html` checked` : ''}> <label for="ratificationRequired" style="display:inline">Aftalen skal ratificeres i hver kommunalbestyrelse</label></div>
${deadlineBlock('ratification', 'Frist for ratifikation i kommunalbestyrelserne (kun hvis aftalen skal ratificeres)', 'generalShift')}
<p><button type="submit" name="intent" value="preview">Vis beregning og frister</button> <button type="submit" name="intent" value="start">Opret sag</button></p>
</form>
${opts.preview ? html`<section aria-labelledby="preview"><h2 id="preview">Forhåndsvisning</h2>
<h3>Frister</h3><ul>${opts.preview.deadlines.map((d) => html`<li>${d.label}: <strong>${danishDate(d.deadline.dueDate)}</strong> ("${d.deadline.wording}")${d.deadline.reason ? html` <span class="deadline-shift">– ${d.deadline.reason}</span>` : ''}</li>`)}</ul>
<h3>Beregnede kommunekvoter</h3>
<p>${opts.preview.source === 'agency' ? 'Kilde: Udlændingestyrelsens beregnede kommunekvoter (bilag B), som indsat. Summen og kommunerne er kontrolleret mod regionskvoten.' : 'Kilde: beregnet efter landstallet og talgrundlaget for 2024 (bilag A); det svarer til styrelsens bilag B for 2024.'}</p><table><thead><tr><th scope="col">Kommune</th><th scope="col">Kommunenr.</th><th scope="col">Beregnet andel</th><th scope="col">Kvote</th></tr></thead><tbody>
${opts.preview.quotas.map((q) => html`<tr><td>${q.name}</td><td>${q.kommunenr}</td><td>${q.ideal}</td><td>${q.quota}</td></tr>`)}
<tr><th scope="row">I alt</th><td></td><td></td><td>${opts.preview.quotas.reduce((a, q) => a + q.quota, 0)}</td></tr></tbody></table></section>` : ''}`,
  });
}

export function refugeeDefaults(today: Date): RefugeeFormValues {
  const y = today.getUTCFullYear();
  return {
    quotaYear: String(y + 1),
    region: HOME_REGION,
    announcementDate: `${y}-04-30`,
    'dl-positions-wording': `senest den 2. juni ${y}`,
    'dl-positions-date': `${y}-06-02`,
    'dl-agreement-wording': `inden den 10. september ${y}`,
    'dl-agreement-date': `${y}-09-10`,
    'dl-fallback-wording': `inden den 30. september ${y}`,
    'dl-fallback-date': `${y}-09-30`,
    agencyEmail: '',
  };
}

/** The posted form as the procedure's JSON input (numbers stay strings when not numbers, so zod names them), and
 * the pasted quota table's own errors (a line that names no municipality or has no quota), found before the schema. */
export function refugeeFormToInput(v: RefugeeFormValues): { input: Record<string, unknown>; tableErrors: FieldError[] } {
  const table = v.agencyQuotas?.trim() ? parseQuotaTable(v.agencyQuotas, municipalityData2024()) : undefined;
  const tableErrors = (table?.errors ?? []).map((reason) => ({ field: 'agencyQuotas', reason }));
  return { input: refugeeFormInput(v, table?.quotas), tableErrors };
}

function refugeeFormInput(v: RefugeeFormValues, agencyQuotas: { kommunenr: number; quota: number }[] | undefined): Record<string, unknown> {
  const num = (s: string | undefined) => (s !== undefined && /^-?\d+$/.test(s.trim()) ? Number(s) : s);
  const dl = (k: string) => ({ wording: v[`dl-${k}-wording`] ?? '', rule: v[`dl-${k}-rule`] ?? 'generalShift', nominalDate: v[`dl-${k}-date`] ?? '' });
  return {
    quotaYear: num(v.quotaYear),
    landstal: num(v.landstal),
    region: v.region,
    regionQuotas: Object.fromEntries(REFUGEE_REGIONS.map((r) => [r, num(v[REGION_FIELD(r)])])),
    announcementDate: v.announcementDate,
    deadlines: {
      positions: dl('positions'),
      agreement: { ...dl('agreement'), rule: v['dl-agreement-rule'] ?? 'backwardShift', indenMeans: v['dl-agreement-inden'] ?? 'strictlyBefore' },
      fallback: dl('fallback'),
    },
    ratificationRequired: v.ratificationRequired === 'yes',
    ...(v.ratificationRequired === 'yes' || v['dl-ratification-date']?.trim() ? { ratificationDeadline: dl('ratification') } : {}),
    agencyEmail: v.agencyEmail,
    ...(agencyQuotas ? { agencyQuotas } : {}),
  };
}
