import { html } from './html';
import { checkbox, describedBy, fieldsetGroup, formGroup } from './components';
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
  const width = type === 'date' ? ' input-width-s' : type === 'number' ? ' input-width-s' : '';
  return formGroup({
    id: name,
    label,
    hint,
    errors: err ? [`${label}: ${err.reason}`] : [],
    control: html`<input type="${type === 'number' ? 'text' : type}" class="form-input${width}" id="${name}" name="${name}" value="${v[name] ?? ''}"${type === 'number' ? html` inputmode="numeric"` : ''}${describedBy(name, !!hint, !!err)}>`,
  });
}

function selectField(name: string, label: string, options: [string, string][], current: string) {
  return formGroup({
    id: name,
    label,
    control: html`<select class="form-select" id="${name}" name="${name}">${options.map(([value, text]) => html`<option value="${value}"${current === value ? html` selected` : ''}>${text}</option>`)}</select>`,
  });
}

function ruleSelect(name: string, v: RefugeeFormValues, dflt: string) {
  return selectField(name, 'Regel hvis fristen falder på en lørdag, søndag eller helligdag', [
    ['generalShift', 'Flyttes til næste hverdag (den almindelige fristregel)'],
    ['noShift', 'Flyttes ikke (dato fastsat af myndigheden)'],
    ['backwardShift', 'Flyttes til hverdagen før (forsigtig læsning af en frist, som en anden myndighed har sat)'],
  ], v[name] ?? dflt);
}

/** How "inden den X" is read, for a deadline the agency sets: strictly (X itself is too late) unless chosen otherwise. */
function indenSelect(name: string, v: RefugeeFormValues) {
  return selectField(name, 'Læsning af "inden den"', [
    ['strictlyBefore', 'Før den nævnte dag (dagen selv er for sent) – den forsigtige læsning'],
    ['onOrBefore', 'Til og med den nævnte dag'],
  ], v[name] ?? 'strictlyBefore');
}

function quotaTable(v: RefugeeFormValues, errors: FieldError[]) {
  const err = errors.find((x) => x.field === 'agencyQuotas' || x.field.startsWith('agencyQuotas.'));
  const label = LABELS.agencyQuotas!;
  return formGroup({
    id: 'agencyQuotas',
    label,
    hint: 'Indsæt regionens kommunekvoter fra bilag B til styrelsens brev eller fra styrelsens CSV-fil: én kommune pr. linje med kommunenummer eller navn og kvote, fx "461;Odense;45". Skal udfyldes for alle kvoteår undtagen 2024, hvor sagsmotoren selv har talgrundlaget (bilag A).',
    errors: err ? [`${label}: ${err.reason}`] : [],
    control: html`<textarea class="form-input" id="agencyQuotas" name="agencyQuotas" rows="8"${describedBy('agencyQuotas', true, !!err)}>${v.agencyQuotas ?? ''}</textarea>`,
  });
}


export function refugeeFormPage(opts: { requestId: string; values: RefugeeFormValues; errors: FieldError[]; preview?: RefugeePreview }): string {
  const v = opts.values;
  const e = opts.errors;
  const deadlineBlock = (key: string, title: string, dfltRule: string) => fieldsetGroup({
    id: `deadlines-${key}`,
    legend: title,
    content: html`${input(`dl-${key}-wording`, 'Ordlyd', v, e.map((x) => ({ ...x, field: x.field.replace(`deadlines.${key}.wording`, `dl-${key}-wording`) })), 'text', 'Fristen med de ord, brevet bruger, fx "senest den 2. juni".')}
${input(`dl-${key}-date`, 'Dato', v, e.map((x) => ({ ...x, field: x.field.replace(`deadlines.${key}.nominalDate`, `dl-${key}-date`) })), 'date')}
${key === 'agreement' ? indenSelect(`dl-${key}-inden`, v) : ''}
${ruleSelect(`dl-${key}-rule`, v, dfltRule)}`,
  });
  return layout({
    title: 'Ny sag: kommunekvoter for flygtninge',
    body: html`<h1>Aftale om kommunekvoter for flygtninge</h1>
<p class="muted">Integrationslovens §§ 6-8. Ukrainske fordrevne er ikke omfattet af landstallet.</p>
${errorSummary(e, LABELS)}
<form method="post" action="/sager/ny/refugeeQuota" novalidate>
<input type="hidden" name="requestId" value="${opts.requestId}">
${input('quotaYear', LABELS.quotaYear!, v, e, 'number')}
${input('landstal', LABELS.landstal!, v, e, 'number')}
${selectField('region', 'Region', REFUGEE_REGIONS.map((r) => [r, r]), v.region ?? HOME_REGION)}
${fieldsetGroup({
  id: 'regionQuotas',
  legend: 'Regionskvoter (fra Udlændingestyrelsens brev)',
  content: html`${REFUGEE_REGIONS.map((r) => input(REGION_FIELD(r), r, v, e.map((x) => ({ ...x, field: x.field === `regionQuotas.${r}` ? REGION_FIELD(r) : x.field })), 'number'))}`,
})}
${input('announcementDate', LABELS.announcementDate!, v, e, 'date')}
${deadlineBlock('positions', 'Frist for kommunernes tilbagemelding', 'generalShift')}
${deadlineBlock('agreement', 'Frist for meddelelse af aftale til Udlændingestyrelsen', 'backwardShift')}
${deadlineBlock('fallback', 'Udlændingestyrelsens frist for fastsættelse', 'noShift')}
${quotaTable(v, e)}
${input('agencyEmail', LABELS.agencyEmail!, v, e, 'email')}
<div class="form-group">${checkbox({ id: 'ratificationRequired', name: 'ratificationRequired', value: 'yes', label: 'Aftalen skal ratificeres i hver kommunalbestyrelse', checked: v.ratificationRequired === 'yes' })}</div>
${deadlineBlock('ratification', 'Frist for ratifikation i kommunalbestyrelserne (kun hvis aftalen skal ratificeres)', 'generalShift')}
<div class="form-actions"><button type="submit" class="button button-secondary" name="intent" value="preview">Vis beregning og frister</button> <button type="submit" class="button button-primary" name="intent" value="start">Opret sag</button></div>
</form>
${opts.preview ? html`<section aria-labelledby="preview"><h2 id="preview">Forhåndsvisning</h2>
<h3>Frister</h3><ul>${opts.preview.deadlines.map((d) => html`<li>${d.label}: <strong>${danishDate(d.deadline.dueDate)}</strong> ("${d.deadline.wording}")${d.deadline.reason ? html` <span class="deadline-shift">– ${d.deadline.reason}</span>` : ''}</li>`)}</ul>
<h3>Beregnede kommunekvoter</h3>
<p>${opts.preview.source === 'agency' ? 'Kilde: Udlændingestyrelsens beregnede kommunekvoter (bilag B), som indsat. Summen og kommunerne er kontrolleret mod regionskvoten.' : 'Kilde: beregnet efter landstallet og talgrundlaget for 2024 (bilag A); det svarer til styrelsens bilag B for 2024.'}</p><table class="table"><thead><tr><th scope="col">Kommune</th><th scope="col">Kommunenr.</th><th scope="col">Beregnet andel</th><th scope="col">Kvote</th></tr></thead><tbody>
${opts.preview.quotas.map((q) => html`<tr><td>${q.name}</td><td>${q.kommunenr}</td><td>${/^\d+(\.\d+)?$/.test(q.ideal) ? Number(q.ideal).toFixed(2).replace('.', ',') : q.ideal}</td><td>${q.quota}</td></tr>`)}
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
