/**
 * A start form drawn from a procedure's zod schema (through its JSON Schema), so a new procedure gets a working,
 * accessible form without JavaScript by registering Danish labels for its fields. Field names are the JSON input's
 * dotted paths ("closure.payers.0.partyId"), so a zod issue's path names the field it belongs next to.
 */
import { z } from 'zod';
import { html, type Html } from './html';
import { checkbox, describedBy, errorMessage, errorSummaryBox, fieldsetGroup, formGroup, radio } from './components';
import { userReason } from './format';
import type { FieldError } from '../validation';
import { HOME_REGION } from '../../domain/region';
import { fieldLabel, pathPattern, type FormHints, type Widget } from '../../contracts/forms';

export type FormValues = Record<string, string | string[] | undefined>;

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: string[];
  format?: string;
  default?: unknown;
  anyOf?: Schema[];
};

export type { FormHints, Widget };

export interface FormParty {
  partyId: string;
  name: string;
  kind: string;
  region: string;
}


const pattern = pathPattern;
const idOf = (path: string) => path.replace(/\./g, '-');
const typeOf = (s: Schema): string | undefined => {
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null');
  if (s.type) return s.type;
  return s.anyOf?.map(typeOf).find((t) => t && t !== 'null');
};
const nullable = (s: Schema) => (Array.isArray(s.type) && s.type.includes('null')) || !!s.anyOf?.some((x) => x.type === 'null');

export function jsonSchemaOf(schema: z.ZodType): Schema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema;
}

function widgetFor(hints: FormHints, path: string, key: string, s: Schema): Widget | undefined {
  const w = hints.widgets?.[pattern(path)];
  if (w) return w;
  if (typeOf(s) === 'string' && (/Date$/.test(key) || key === 'nominalDate')) return 'date';
  return undefined;
}

function labelFor(hints: FormHints, path: string): string {
  return fieldLabel(hints.labels, path);
}

const str = (v: string | string[] | undefined): string => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

// ---------------------------------------------------------------------------------------------------------------
// Posted form → JSON input
// ---------------------------------------------------------------------------------------------------------------

/** The posted fields as the procedure's JSON input. Values that are not what the schema wants stay as typed,
 * so zod names the field and the reason; empty optional fields are left out. */
export function formToInput(schema: Schema, hints: FormHints, values: FormValues): Record<string, unknown> {
  return objectFrom(schema, hints, values, '') ?? {};
}

function objectFrom(s: Schema, hints: FormHints, v: FormValues, prefix: string): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(s.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (hints.omit?.includes(pattern(path))) continue;
    const required = s.required?.includes(key) ?? false;
    const value = valueFrom(prop, hints, v, path, key, required);
    if (value !== undefined) out[key] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

function valueFrom(s: Schema, hints: FormHints, v: FormValues, path: string, key: string, required: boolean): unknown {
  const t = typeOf(s);
  const widget = widgetFor(hints, path, key, s);
  if (t === 'object') {
    // An optional group (e.g. the ratification deadline) with nothing typed into it is absent, not half-filled;
    // choices with a preset value (rules, kinds) do not count as typed.
    if (!required && !hasTyped(s, v, path)) return undefined;
    return objectFrom(s, hints, v, path) ?? {};
  }
  if (t === 'array') {
    const item = s.items ?? {};
    if (typeOf(item) === 'object') {
      const rows: unknown[] = [];
      for (let i = 0; i < 500; i++) {
        const keys = Object.keys(item.properties ?? {});
        if (!keys.some((k) => v[`${path}.${i}.${k}`] !== undefined)) break;
        if (keys.every((k) => str(v[`${path}.${i}.${k}`]).trim() === '')) continue;
        rows.push(objectFrom(item, hints, v, `${path}.${i}`) ?? {});
      }
      return rows.length || required ? rows : undefined;
    }
    if (widget === 'textRows') {
      const texts = list(v[path]).map((x) => x.trim());
      return texts.length || required ? texts : undefined;
    }
    const raw = widget === 'parties' ? list(v[path]) : str(v[path]).split(/\r?\n/);
    const items = raw.map((x) => x.trim()).filter(Boolean);
    const typed = typeOf(item) === 'integer' || typeOf(item) === 'number' ? items.map(numberOr) : items;
    return typed.length || required ? typed : undefined;
  }
  if (t === 'boolean') {
    if (widget !== 'yesno') return str(v[path]) === 'yes';
    return str(v[path]) === 'yes' ? true : str(v[path]) === 'no' ? false : undefined;
  }
  const text = str(v[path]).trim();
  if (text === '') {
    if (nullable(s)) return null;
    return required ? '' : undefined;
  }
  if (t === 'integer' || t === 'number') return numberOr(text);
  if (widget === 'kroner') return kronerFromDanish(text);
  return text;
}

/** "1.000.000", "1 000 000" and "1.234,50" as the API's "1000000" and "1234.50"; anything else stays as typed,
 * so the amount's own validation explains what is wrong. */
export function kronerFromDanish(text: string): string {
  const t = text.replace(/\s/g, '').replace(/kr\.?$/i, '');
  if (t.includes(',')) return t.replace(/\./g, '').replace(',', '.');
  if (/^-?\d{1,3}(\.\d{3})+$/.test(t)) return t.replace(/\./g, '');
  return t;
}

function hasTyped(s: Schema, v: FormValues, path: string): boolean {
  return Object.entries(s.properties ?? {}).some(([k, p]) => {
    const t = typeOf(p);
    if (t === 'object') return hasTyped(p, v, `${path}.${k}`);
    // A ticked box is a choice the user made; an enum always carries a preset value, so it does not count.
    if (t === 'boolean') return str(v[`${path}.${k}`]) === 'yes';
    if (p.enum) return false;
    if (t === 'array' && typeOf(p.items ?? {}) === 'object') {
      return Object.entries(v).some(([name, x]) => name.startsWith(`${path}.${k}.`) && list(x).some((e) => e.trim() !== '') && !p.items?.properties?.[name.split('.').pop()!]?.enum);
    }
    return list(v[`${path}.${k}`]).some((e) => e.trim() !== '');
  });
}

function numberOr(text: string): number | string {
  const n = text.replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(n) ? Number(n) : text;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON input → form values (for defaults and for a form filled from a previous input)
// ---------------------------------------------------------------------------------------------------------------

export function inputToForm(input: unknown, prefix = ''): FormValues {
  const out: FormValues = {};
  const walk = (x: unknown, path: string) => {
    if (Array.isArray(x)) {
      if (x.every((e) => typeof e !== 'object' || e === null)) out[path] = x.map(String);
      else x.forEach((e, i) => walk(e, `${path}.${i}`));
    } else if (x && typeof x === 'object') {
      for (const [k, e] of Object.entries(x)) walk(e, path ? `${path}.${k}` : k);
    } else if (typeof x === 'boolean') {
      if (x) out[path] = 'yes';
    } else if (x !== undefined && x !== null) out[path] = String(x);
  };
  walk(input, prefix);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------------------------

interface RenderCtx {
  /** Several forms on one page (the case page's steps) keep their ids apart. */
  idPrefix: string;
  hints: FormHints;
  values: FormValues;
  errors: FieldError[];
  parties: FormParty[];
}

function errorsAt(ctx: RenderCtx, path: string, exact: boolean): FieldError[] {
  return ctx.errors.filter((e) => e.field === path || (!exact && e.field.startsWith(`${path}.`)));
}

function fieldShell(ctx: RenderCtx, path: string, control: (describedBy: string, invalid: boolean) => Html, exact = true): Html {
  const id = ctx.idPrefix + idOf(path);
  const label = labelFor(ctx.hints, path);
  const hint = ctx.hints.hints?.[pattern(path)];
  const errs = errorsAt(ctx, path, exact);
  const describedBy = [hint ? `${id}-hint` : '', errs.length ? `${id}-fejl` : ''].filter(Boolean).join(' ');
  return formGroup({ id, label, hint, errors: errs.map((e) => `${label}: ${userReason(e.reason)}`), control: control(describedBy, errs.length > 0) });
}

const aria = (describedBy: string, invalid: boolean) => html`${invalid ? html` aria-invalid="true"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}`;

function partyOptions(ctx: RenderCtx, path: string): FormParty[] {
  const filter = ctx.hints.partyFilter?.[pattern(path)] ?? 'region';
  if (filter === 'municipalities') return ctx.parties.filter((p) => p.kind === 'municipality');
  if (filter === 'regionMunicipalities') return ctx.parties.filter((p) => p.kind === 'municipality' && p.region === HOME_REGION);
  if (filter === 'region') return ctx.parties.filter((p) => p.region === HOME_REGION);
  return ctx.parties;
}

/** A group of fields (an object, a list of parties, yes/no): a fieldset whose legend reads like a label. */
function group(ctx: RenderCtx, path: string, id: string, errs: FieldError[], content: Html): Html {
  const label = labelFor(ctx.hints, path);
  return fieldsetGroup({ id, legend: label, hint: ctx.hints.hints?.[pattern(path)], errors: errs.map((e) => `${label}: ${userReason(e.reason)}`), content });
}

function renderProperty(ctx: RenderCtx, s: Schema, path: string, key: string): Html {
  if (ctx.hints.omit?.includes(pattern(path))) return html``;
  const t = typeOf(s);
  const widget = widgetFor(ctx.hints, path, key, s);
  const id = ctx.idPrefix + idOf(path);
  const value = str(ctx.values[path]);
  if (widget === 'hidden') return html`<input type="hidden" name="${path}" value="${value}">`;
  if (t === 'object') {
    return group(ctx, path, id, errorsAt(ctx, path, true), html`${Object.entries(s.properties ?? {}).map(([k, p]) => renderProperty(ctx, p, `${path}.${k}`, k))}`);
  }
  if (t === 'array') {
    const item = s.items ?? {};
    if (typeOf(item) === 'object') return renderRows(ctx, item, path);
    if (widget === 'parties') {
      const chosen = new Set(list(ctx.values[path]));
      return group(ctx, path, id, errorsAt(ctx, path, false), html`<div class="checks">${partyOptions(ctx, path).map((p) =>
        checkbox({ id: `${id}-${p.partyId}`, name: path, value: p.partyId, label: p.name, checked: chosen.has(p.partyId) }),
      )}</div>`);
    }
    if (widget === 'textRows') {
      const items = list(ctx.values[path]);
      return html`${(items.length ? items : ['']).map((x, i) => {
        const errs = errorsAt(ctx, `${path}.${i}`, true);
        const label = labelFor(ctx.hints, `${path}.${i}`);
        return formGroup({
          id: `${id}-${i}`,
          label,
          errors: errs.map((e) => `${label}: ${userReason(e.reason)}`),
          control: html`<textarea class="form-input" id="${id}-${i}" name="${path}" rows="3"${describedBy(`${id}-${i}`, false, errs.length > 0)}>${x}</textarea>`,
        });
      })}`;
    }
    const text = list(ctx.values[path]).join('\n');
    return fieldShell(ctx, path, (d, inv) => html`<textarea class="form-input" id="${id}" name="${path}" rows="4"${aria(d, inv)}>${text}</textarea>`, false);
  }
  if (t === 'boolean' && widget === 'yesno') {
    const errs = errorsAt(ctx, path, true);
    return group(ctx, path, id, errs.slice(0, 1), html`${radio({ id: `${id}-ja`, name: path, value: 'yes', label: 'Ja', checked: value === 'yes' })}
${radio({ id: `${id}-nej`, name: path, value: 'no', label: 'Nej', checked: value === 'no' })}`);
  }
  if (t === 'boolean') {
    const errs = errorsAt(ctx, path, true);
    const label = labelFor(ctx.hints, path);
    return html`<div class="form-group${errs.length ? ' form-error' : ''}">${errorMessage(id, errs.slice(0, 1).map((e) => `${label}: ${userReason(e.reason)}`))}
${checkbox({ id, name: path, value: 'yes', label, checked: value === 'yes' })}</div>`;
  }
  if (s.enum) {
    const names = ctx.hints.enumLabels?.[pattern(path)] ?? {};
    const current = value || String(s.default ?? '');
    return fieldShell(ctx, path, (d, inv) => html`<select class="form-select" id="${id}" name="${path}"${aria(d, inv)}>
${current ? '' : html`<option value="">Vælg</option>`}${s.enum!.map((o) => html`<option value="${o}"${o === current ? html` selected` : ''}>${names[o] ?? o}</option>`)}</select>`);
  }
  const choices = ctx.hints.choices?.[pattern(path)];
  if (choices) {
    return fieldShell(ctx, path, (d, inv) => html`<select class="form-select" id="${id}" name="${path}"${aria(d, inv)}>
${value || choices.length !== 1 ? html`<option value="">Vælg</option>` : ''}${choices.map((o) => html`<option value="${o.value}"${o.value === value || (!value && choices.length === 1) ? html` selected` : ''}>${o.label}</option>`)}</select>`);
  }
  if (widget === 'party') {
    return fieldShell(ctx, path, (d, inv) => html`<select class="form-select" id="${id}" name="${path}"${aria(d, inv)}><option value="">Vælg</option>
${partyOptions(ctx, path).map((p) => html`<option value="${p.partyId}"${p.partyId === value ? html` selected` : ''}>${p.name}</option>`)}</select>`);
  }
  if (widget === 'textarea') {
    return fieldShell(ctx, path, (d, inv) => html`<textarea class="form-input" id="${id}" name="${path}" rows="5"${aria(d, inv)}>${value}</textarea>`);
  }
  const type = widget === 'date' ? 'date' : s.format === 'email' ? 'email' : 'text';
  const mode = t === 'integer' || t === 'number' ? html` inputmode="numeric"` : widget === 'kroner' ? html` inputmode="decimal"` : '';
  const width = widget === 'date' ? ' input-width-s' : t === 'integer' || t === 'number' || widget === 'kroner' ? ' input-width-m' : '';
  return fieldShell(ctx, path, (d, inv) => html`<input type="${type}" class="form-input${width}" id="${id}" name="${path}" value="${value}"${mode}${aria(d, inv)}>`);
}

function renderRows(ctx: RenderCtx, item: Schema, path: string): Html {
  const keys = Object.keys(item.properties ?? {});
  let filled = 0;
  while (keys.some((k) => ctx.values[`${path}.${filled}.${k}`] !== undefined)) filled++;
  const count = filled + (ctx.hints.blankRows ?? 3);
  const id = ctx.idPrefix + idOf(path);
  const rows = Array.from({ length: count }, (_, i) => i);
  return group(ctx, path, id, errorsAt(ctx, path, true), html`${rows.map((i) => html`<div class="form-row-group" role="group" aria-label="${labelFor(ctx.hints, path)}, række ${i + 1}">
${keys.map((k) => renderProperty(ctx, item.properties![k]!, `${path}.${i}.${k}`, k))}</div>`)}
<p class="form-hint">Tomme rækker ignoreres. Brug "Vis forhåndsvisning" for at få flere tomme rækker.</p>`);
}

export function schemaFormFields(opts: { schema: Schema; hints: FormHints; values: FormValues; errors: FieldError[]; parties: FormParty[]; idPrefix?: string }): Html {
  const ctx: RenderCtx = { idPrefix: opts.idPrefix ?? '', hints: opts.hints, values: opts.values, errors: opts.errors, parties: opts.parties };
  return html`${Object.entries(opts.schema.properties ?? {}).map(([k, p]) => renderProperty(ctx, p, k, k))}`;
}

/** The summary at the top links each error to its field; errors on fields the form does not show are listed too. */
export function schemaErrorSummary(errors: FieldError[], hints: FormHints, heading = 'Sagen blev ikke oprettet. Ret venligst:', idPrefix = ''): Html {
  return errorSummaryBox(heading, errors.map((e) => ({ href: `#${idPrefix}${idOf(e.field)}`, text: `${labelFor(hints, e.field)}: ${userReason(e.reason)}` })));
}
