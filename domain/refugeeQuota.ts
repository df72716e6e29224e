/**
 * Kommunekvoter for boligplacering af flygtninge (Integrationsloven §§ 6-8) and the check of a regional
 * agreement on them. Domain notes: refugee-quota.md §2.5 (the formula, which reproduces all 98 values of
 * Bilag B) and §4 (edge cases).
 *
 * The seeds never state the formula; it was reconstructed from the data and a third-party copy of BEK 550/2022
 * § 4. The regionskvoter cannot be reproduced from the data, so they are an input (refugee-quota.md §2.5, §4.10).
 *
 * Pure and deterministic: decimal.js throughout, no I/O, so it can run in workflow code.
 */
import { z } from 'zod';
import type Decimal from 'decimal.js';
import { D, allocateLargestRemainder } from './money';

// ---------------------------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------------------------

function wholeCount(label: string) {
  return z
    .number({ error: (iss) => (iss.input === undefined ? `${label} skal udfyldes` : `${label} skal være et tal`) })
    .int({ error: `${label} skal være et helt tal` })
    .min(0, { error: `${label} må ikke være negativ` });
}

const kommunenrSchema = z
  .number({
    error: (iss) => (iss.input === undefined ? 'Kommunenummer (kommunenr) skal udfyldes' : 'Kommunenummer (kommunenr) skal være et tal'),
  })
  .int({ error: 'Kommunenummer (kommunenr) skal være et helt tal' })
  .min(1, { error: 'Kommunenummer (kommunenr) skal være mellem 1 og 999' })
  .max(999, { error: 'Kommunenummer (kommunenr) skal være mellem 1 og 999' });

const regionNameSchema = z
  .string({ error: (iss) => (iss.input === undefined ? 'Region skal udfyldes' : 'Region skal være tekst') })
  .min(1, { error: 'Region skal udfyldes' });

const municipalityInputSchema = z.object(
  {
    kommunenr: kommunenrSchema,
    /** Optional; only used to name the municipality in messages. */
    name: z.string({ error: 'Kommunens navn (name) skal være tekst' }).optional(),
    region: regionNameSchema,
    population: wholeCount('Indbyggertal (population)'),
    nonWesternForeigners: wholeCount('Antal ikke-vestlige udenlandske statsborgere (nonWesternForeigners)'),
    familyReunified: wholeCount('Antal familiesammenførte til flygtninge (familyReunified)'),
  },
  { error: 'Skal være en kommune med kommunenr, region, population, nonWesternForeigners og familyReunified' },
);

const baseQuotaInputSchema = z.object(
  {
    landstal: wholeCount('Landstallet (landstal)'),
    regionQuotas: z.record(regionNameSchema, wholeCount('Regionskvoten (regionQuotas)'), {
      error: 'Regionskvoter (regionQuotas) skal være et objekt som { "Region Syddanmark": 125 }',
    }),
    municipalities: z
      .array(municipalityInputSchema, { error: 'Kommuner (municipalities) skal være en liste' })
      .min(1, { error: 'Angiv alle landets kommuner (municipalities); andelene er landsdækkende' }),
  },
  { error: 'Skal være et objekt med landstal, regionQuotas og municipalities' },
);

type QuotaInput = z.output<typeof baseQuotaInputSchema>;
type MunicipalityInput = QuotaInput['municipalities'][number];

export const refugeeQuotaInputSchema = baseQuotaInputSchema.superRefine(checkQuotaCrossFieldRules);
export type RefugeeQuotaInput = z.input<typeof refugeeQuotaInputSchema>;

export interface MunicipalQuota {
  kommunenr: number;
  region: string;
  /** Whole persons; the quotas of a region add up to its regionskvote. */
  quota: number;
  /** Foreløbigt fordelingstal with negatives set to 0, 6 decimals. */
  weight: string;
  /** The region's quota in proportion to the weights, before rounding to whole persons, 6 decimals. */
  ideal: string;
}

export interface RefugeeQuotaResult {
  /** Sorted by kommunenr, whatever the input order. */
  quotas: MunicipalQuota[];
  warnings: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Formula
// ---------------------------------------------------------------------------------------------------------------

interface NationalTotals {
  population: Decimal;
  foreigners: Decimal;
  reunified: Decimal;
}

function nationalTotals(ms: readonly MunicipalityInput[]): NationalTotals {
  const total = (f: (m: MunicipalityInput) => number) => ms.reduce((a, m) => a.plus(f(m)), new D(0));
  return {
    population: total((m) => m.population),
    foreigners: total((m) => m.nonWesternForeigners),
    reunified: total((m) => m.familyReunified),
  };
}

/**
 * w_k · P_DK · I_DK, where w_k = max(0, (2·P_k/P_DK − I_k/I_DK)·(L + F_DK) − F_k).
 * Multiplying out both denominators keeps every weight an exact integer, so the only division left is the one
 * inside the largest-remainder split, and exact ties stay exact.
 */
function scaledWeight(m: MunicipalityInput, t: NationalTotals, landstal: number): Decimal {
  const fordelingsandel = new D(2).times(m.population).times(t.foreigners).minus(new D(m.nonWesternForeigners).times(t.population));
  const beregnet = fordelingsandel.times(t.reunified.plus(landstal));
  const forelobig = beregnet.minus(new D(m.familyReunified).times(t.population).times(t.foreigners));
  return D.max(forelobig, 0);
}

function byKommunenr<T extends { kommunenr: number }>(a: T, b: T): number {
  return a.kommunenr - b.kommunenr;
}

function groupByRegion(ms: readonly MunicipalityInput[]): Map<string, MunicipalityInput[]> {
  const groups = new Map<string, MunicipalityInput[]>();
  for (const m of ms) groups.set(m.region, [...(groups.get(m.region) ?? []), m]);
  return groups;
}

function label(m: { kommunenr: number; name?: string | undefined }): string {
  return m.name ? `${m.name} (${m.kommunenr})` : `Kommune ${m.kommunenr}`;
}

function sixDecimals(x: Decimal): string {
  return x.toFixed(6, D.ROUND_HALF_UP);
}

function allocateRegion(
  regionQuota: number,
  members: readonly MunicipalityInput[],
  t: NationalTotals,
  landstal: number,
): MunicipalQuota[] {
  // Sorting by kommunenr makes "ties to the earlier part" mean "ties to the lower kommunenr".
  const sorted = [...members].sort(byKommunenr);
  const weights = sorted.map((m) => scaledWeight(m, t, landstal));
  const weightSum = weights.reduce((a, b) => a.plus(b), new D(0));
  const quotas = allocateLargestRemainder(regionQuota, weights);
  const scale = t.population.times(t.foreigners);
  return sorted.map((m, i) => ({
    kommunenr: m.kommunenr,
    region: m.region,
    quota: quotas[i]!.toNumber(),
    weight: sixDecimals(weights[i]!.div(scale)),
    ideal: sixDecimals(weightSum.isZero() ? new D(0) : weights[i]!.times(regionQuota).div(weightSum)),
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// Cross-field validation
// ---------------------------------------------------------------------------------------------------------------

type Issue = { message: string; path: (string | number)[] };

function isCount(x: number): boolean {
  return Number.isInteger(x) && x >= 0;
}

function structureIssues(input: QuotaInput): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<number>();
  input.municipalities.forEach((m, i) => {
    if (seen.has(m.kommunenr)) {
      issues.push({
        path: ['municipalities', i, 'kommunenr'],
        message: `${label(m)}: kommunenummeret forekommer mere end én gang`,
      });
    }
    seen.add(m.kommunenr);
    if (!Object.hasOwn(input.regionQuotas, m.region)) {
      issues.push({
        path: ['municipalities', i, 'region'],
        message: `${label(m)}: regionen "${m.region}" har ingen regionskvote i regionQuotas`,
      });
    }
  });
  const regionsWithMunicipalities = new Set(input.municipalities.map((m) => m.region));
  for (const region of Object.keys(input.regionQuotas)) {
    if (!regionsWithMunicipalities.has(region)) {
      issues.push({ path: ['regionQuotas', region], message: `Regionen "${region}" har en kvote, men ingen kommuner` });
    }
  }
  return issues;
}

function allCountsValid(input: QuotaInput): boolean {
  return (
    isCount(input.landstal) &&
    Object.values(input.regionQuotas).every(isCount) &&
    input.municipalities.every((m) => [m.population, m.nonWesternForeigners, m.familyReunified].every(isCount))
  );
}

function weightIssues(input: QuotaInput): Issue[] {
  const t = nationalTotals(input.municipalities);
  if (t.population.isZero()) {
    return [{ path: ['municipalities'], message: 'Det samlede indbyggertal (population) er 0, så andelene kan ikke beregnes' }];
  }
  if (t.foreigners.isZero()) {
    return [
      {
        path: ['municipalities'],
        message: 'Det samlede antal ikke-vestlige udenlandske statsborgere (nonWesternForeigners) er 0, så andelene kan ikke beregnes',
      },
    ];
  }
  const issues: Issue[] = [];
  for (const [region, members] of groupByRegion(input.municipalities)) {
    const quota = input.regionQuotas[region] ?? 0;
    const positive = members.some((m) => scaledWeight(m, t, input.landstal).gt(0)); // isPositive() is true for 0
    if (quota > 0 && !positive) {
      issues.push({
        path: ['regionQuotas', region],
        message: `Ingen kommune i regionen "${region}" har et positivt fordelingstal, så kvoten på ${quota} kan ikke fordeles`,
      });
    }
  }
  return issues;
}

function checkQuotaCrossFieldRules(input: QuotaInput, ctx: z.RefinementCtx<QuotaInput>): void {
  const issues = structureIssues(input);
  // Weights are only meaningful on a consistent data set; otherwise the messages above say what to fix first.
  if (issues.length === 0 && allCountsValid(input)) issues.push(...weightIssues(input));
  for (const issue of issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
}

// ---------------------------------------------------------------------------------------------------------------
// Public calculation
// ---------------------------------------------------------------------------------------------------------------

/**
 * Calculated kommunekvoter (Bilag B). Validates the input (throws the ZodError of `refugeeQuotaInputSchema`).
 * Shares are national (all municipalities of the country); each region's regionskvote is then split among its
 * municipalities by largest remainder, ties to the lower kommunenr.
 */
export function calculateRefugeeQuotas(raw: RefugeeQuotaInput): RefugeeQuotaResult {
  const input = refugeeQuotaInputSchema.parse(raw);
  const t = nationalTotals(input.municipalities);
  const quotas = [...groupByRegion(input.municipalities)]
    .flatMap(([region, members]) => allocateRegion(input.regionQuotas[region]!, members, t, input.landstal))
    .sort(byKommunenr);
  const regionSum = Object.values(input.regionQuotas).reduce((a, b) => a + b, 0);
  const warnings =
    regionSum === input.landstal
      ? []
      : [
          `Regionskvoterne summer til ${regionSum}, men landstallet er ${input.landstal}; kommunekvoterne følger regionskvoterne.`,
        ];
  return { quotas, warnings };
}

// ---------------------------------------------------------------------------------------------------------------
// Agreement check (integrationslovens § 8, stk. 1: the municipalities of a region agree on the kommunekvoter)
// ---------------------------------------------------------------------------------------------------------------

export const quotaAgreementInputSchema = z.object(
  {
    region: regionNameSchema,
    regionQuota: wholeCount('Regionskvoten (regionQuota)'),
    municipalities: z
      .array(
        z.object({
          kommunenr: kommunenrSchema,
          name: z
            .string({ error: 'Kommunens navn (name) skal udfyldes' })
            .min(1, { error: 'Kommunens navn (name) skal udfyldes' }),
        }),
        { error: 'Regionens kommuner (municipalities) skal være en liste' },
      )
      .min(1, { error: 'Angiv regionens kommuner (municipalities)' }),
    // Entries are checked one by one below so that each message can name the municipality.
    proposed: z.array(z.object({ kommunenr: z.unknown(), quota: z.unknown() }), {
      error: 'Forslaget (proposed) skal være en liste af { kommunenr, quota }',
    }),
  },
  { error: 'Skal være et objekt med region, regionQuota, municipalities og proposed' },
);

export type QuotaAgreementInput = z.input<typeof quotaAgreementInputSchema>;

export interface QuotaAgreementError {
  kommunenr?: number;
  /** The field to show the message next to: "quota", "kommunenr", "sum", or the input path of a shape error. */
  field: string;
  message: string;
}

export interface QuotaAgreementResult {
  ok: boolean;
  errors: QuotaAgreementError[];
}

function shapeErrors(error: z.ZodError): QuotaAgreementError[] {
  return error.issues.map((iss) => ({ field: iss.path.map(String).join('.') || 'input', message: iss.message }));
}

function isWholeNonNegative(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0;
}

/** Every municipality of the region exactly once, whole numbers ≥ 0, summing to the regionskvote. */
export function validateQuotaAgreement(raw: QuotaAgreementInput): QuotaAgreementResult {
  const parsed = quotaAgreementInputSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: shapeErrors(parsed.error) };
  const { region, regionQuota, municipalities, proposed } = parsed.data;
  const errors: QuotaAgreementError[] = [];

  const byNr = new Map<number, { kommunenr: number; name: string }>();
  for (const m of municipalities) {
    if (byNr.has(m.kommunenr)) {
      errors.push({ kommunenr: m.kommunenr, field: 'municipalities', message: `${label(m)}: står mere end én gang på listen over regionens kommuner` });
    }
    byNr.set(m.kommunenr, m);
  }

  const counts = new Map<number, number>();
  const allQuotasValid = proposed.every((p) => isWholeNonNegative(p.quota));
  proposed.forEach((p, i) => {
    if (typeof p.kommunenr !== 'number' || !byNr.has(p.kommunenr)) {
      errors.push({
        ...(typeof p.kommunenr === 'number' ? { kommunenr: p.kommunenr } : {}),
        field: 'kommunenr',
        message: `Forslagets linje ${i + 1}: kommune ${String(p.kommunenr)} hører ikke til ${region}`,
      });
      return;
    }
    const m = byNr.get(p.kommunenr)!;
    counts.set(m.kommunenr, (counts.get(m.kommunenr) ?? 0) + 1);
    if (counts.get(m.kommunenr) === 2) {
      errors.push({ kommunenr: m.kommunenr, field: 'kommunenr', message: `${label(m)}: står mere end én gang i forslaget` });
    }
    if (!isWholeNonNegative(p.quota)) {
      errors.push({
        kommunenr: m.kommunenr,
        field: 'quota',
        message: `${label(m)}: kvoten skal være et helt tal på 0 eller derover (fik ${JSON.stringify(p.quota) ?? 'intet'})`,
      });
    }
  });

  for (const m of byNr.values()) {
    if (!counts.has(m.kommunenr)) errors.push({ kommunenr: m.kommunenr, field: 'quota', message: `${label(m)}: mangler en kvote` });
  }

  // A sum over malformed quotas would only repeat those errors in a confusing form.
  if (allQuotasValid) {
    const total = proposed.reduce((a, p) => a + (isWholeNonNegative(p.quota) ? p.quota : 0), 0);
    if (total !== regionQuota) {
      const diff = total - regionQuota;
      const how = diff < 0 ? `${-diff} for lidt` : `${diff} for mange`;
      errors.push({ field: 'sum', message: `Kvoterne summer til ${total}, men regionskvoten for ${region} er ${regionQuota} (${how})` });
    }
  }

  return { ok: errors.length === 0, errors };
}

// ---------------------------------------------------------------------------------------------------------------
// The agency's calculated kommunekvoter for a year (Bilag B of its letter), as pasted from the annex or its CSV
// ---------------------------------------------------------------------------------------------------------------

export interface QuotaTableLine {
  kommunenr: number;
  quota: number;
}

export interface QuotaTableResult {
  quotas: QuotaTableLine[];
  /** Danish, naming the line. */
  errors: string[];
}

const normaliseName = (s: string) => s.normalize('NFC').trim().toLowerCase().replace(/\s+kommune$/, '').replace(/\s+/g, ' ');

/**
 * Reads a table of kommunekvoter as pasted from the agency's annex or its CSV: one municipality a line, named by
 * its kommunenummer or its name (or both), with the quota as the last whole number on the line; separators may
 * be ";", ",", a tab or spaces. A first line without a quota is a header. Thousands separators are not expected
 * (a quota is a few hundred at most).
 */
export function parseQuotaTable(text: string, municipalities: readonly { kommunenr: number; name: string }[]): QuotaTableResult {
  const byName = new Map(municipalities.map((m) => [normaliseName(m.name), m.kommunenr]));
  const known = new Set(municipalities.map((m) => m.kommunenr));
  const quotas: QuotaTableLine[] = [];
  const errors: string[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const cells = line.split(/[;\t,]|\s{2,}/).map((c) => c.trim()).filter(Boolean);
    const last = cells.length > 1 ? cells[cells.length - 1]! : (/(\d+)\s*$/.exec(line)?.[1] ?? '');
    const label = cells.length > 1 ? cells.slice(0, -1).join(' ') : line.slice(0, line.length - last.length).trim();
    if (!/^\d+$/.test(last)) {
      if (quotas.length === 0 && errors.length === 0) return; // a header line
      errors.push(`Linje ${i + 1}: "${line}" slutter ikke med en kvote (et helt tal)`);
      return;
    }
    const nr = /^(\d{3})\b/.exec(label)?.[1];
    let kommunenr: number | undefined = nr !== undefined && known.has(Number(nr)) ? Number(nr) : undefined;
    if (kommunenr === undefined) kommunenr = byName.get(normaliseName(label.replace(/^\d{3}\s*/, '')));
    if (kommunenr === undefined) {
      errors.push(`Linje ${i + 1}: "${label}" er hverken et kendt kommunenummer eller et kendt kommunenavn`);
      return;
    }
    quotas.push({ kommunenr, quota: Number(last) });
  });
  if (!quotas.length && !errors.length) errors.push('Tabellen er tom: indsæt én linje pr. kommune med kommunenummer eller navn og kvote');
  return { quotas, errors };
}
