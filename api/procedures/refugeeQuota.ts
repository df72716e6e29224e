import type { RefugeeQuotaWorkflow } from '../../workflows/refugeeQuota/contract';
import { z } from 'zod';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProcedureDefinition } from './types';
import { refugeeQuotaAnswers, refugeeQuotaSteps, type RefugeeQuotaInput } from '../../workflows/refugeeQuota/contract';
import { parseMunicipalitiesCsv } from '../../domain/municipalities';
import { calculateRefugeeQuotas, validateQuotaAgreement } from '../../domain/refugeeQuota';
import { authorityDeadlineSpecSchema, deadlineSpecSchema } from '../../domain/calendar/schemas';
import { DANISH_REGIONS } from '../../domain/region';

const REGIONS = DANISH_REGIONS;

let municipalityData: ReturnType<typeof parseMunicipalitiesCsv> | undefined;
/** Bilag A of the 2024 landstal letter: the statistics behind the calculated quotas. */
export function municipalityData2024() {
  municipalityData ??= parseMunicipalitiesCsv(readFileSync(path.join(__dirname, '..', '..', 'data', 'municipalities-2024.csv'), 'utf8'));
  return municipalityData;
}

const count = (label: string) => z.number(`${label} skal være et tal`).int(`${label} skal være et helt tal`).min(0, `${label} kan ikke være negativ`);

export const refugeeQuotaStartSchema = z.object({
  quotaYear: z.number('Kvoteåret skal være et årstal').int().min(2024, 'Kvoteåret skal være 2024 eller senere').max(2100),
  landstal: count('Landstallet'),
  region: z.enum(REGIONS, 'Vælg en region'),
  regionQuotas: z.record(z.enum(REGIONS, 'Ukendt region'), count('Regionskvoten')),
  announcementDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Datoen for meddelelsen skal være en dato (ÅÅÅÅ-MM-DD)'),
  deadlines: z.object({
    positions: deadlineSpecSchema,
    // Set by Udlændingestyrelsen: missing it means the agency fixes the quotas (001:867), so the prudent reading.
    agreement: authorityDeadlineSpecSchema,
    // The agency's own date for fixing the quotas: it does not move.
    fallback: deadlineSpecSchema,
  }),
  ratificationRequired: z.boolean().default(false),
  /** The councils' deadline for ratifying the agreement; required when ratification is required. */
  ratificationDeadline: deadlineSpecSchema.optional(),
  agencyEmail: z.email('Udlændingestyrelsens e-mailadresse er ugyldig'),
  /** Udlændingestyrelsen's calculated kommunekvoter for the region and year (Bilag B of its letter). Required
   * for every year but 2024, whose Bilag A data the engine holds (the worked example). */
  agencyQuotas: z
    .array(z.object({ kommunenr: z.number('Kommunenummeret skal være et tal').int('Kommunenummeret skal være et helt tal'), quota: count('Kvoten') }), 'Styrelsens beregnede kommunekvoter skal være en liste')
    .max(100, 'Styrelsens beregnede kommunekvoter: højst 100 linjer')
    .optional(),
}).superRefine((v, ctx) => {
  if (v.ratificationRequired && !v.ratificationDeadline) {
    ctx.addIssue({ code: 'custom', path: ['ratificationDeadline'], message: 'Fristen for ratifikation i kommunalbestyrelserne skal angives, når aftalen skal ratificeres' });
  }
});
export type RefugeeQuotaStart = z.infer<typeof refugeeQuotaStartSchema>;

/** The year whose municipality data (Bilag A) the engine holds in data/municipalities-2024.csv. */
export const DATA_YEAR = 2024;

export type QuotaSource = 'agency' | 'calculated2024';

/**
 * The region's calculated kommunekvoter for the case: the agency's own Bilag B for the year when given (the
 * seeds' fallback, 001:869, is the agency's calculation for that year), checked against the regional quota
 * (each municipality of the region once, summing to it); otherwise, for 2024 only, the national formula over
 * the 2024 Bilag A (which reproduces Bilag B 2024).
 */
export function regionQuotasFor(input: Pick<RefugeeQuotaStart, 'quotaYear' | 'landstal' | 'regionQuotas' | 'region' | 'agencyQuotas'>) {
  const data = municipalityData2024();
  if (input.agencyQuotas) {
    const municipalities = data.filter((m) => m.region === input.region).map((m) => ({ kommunenr: m.kommunenr, name: m.name }));
    const regionQuota = input.regionQuotas[input.region];
    if (regionQuota === undefined) throw new QuotaInputError(`Regionskvoten for ${input.region} mangler`);
    const check = validateQuotaAgreement({ region: input.region, regionQuota, municipalities, proposed: input.agencyQuotas });
    if (!check.ok) throw new QuotaInputError(`Styrelsens beregnede kommunekvoter: ${check.errors.map((e) => e.message).join('; ')}`, 'agencyQuotas');
    const quota = new Map(input.agencyQuotas.map((q) => [q.kommunenr, q.quota]));
    return {
      source: 'agency' as QuotaSource,
      quotas: municipalities.map((m) => ({ kommunenr: m.kommunenr, partyId: String(m.kommunenr), name: m.name, quota: quota.get(m.kommunenr)!, ideal: '–' })),
    };
  }
  if (input.quotaYear !== DATA_YEAR) {
    throw new QuotaInputError(
      `For kvoteåret ${input.quotaYear} skal Udlændingestyrelsens beregnede kommunekvoter for ${input.region} indsættes (bilag B til styrelsens brev); sagsmotoren har kun talgrundlaget for ${DATA_YEAR}.`,
      'agencyQuotas',
    );
  }
  return { source: 'calculated2024' as QuotaSource, quotas: calculatedQuotasFor(input) };
}

/** The region's calculated kommunekvoter: the national formula over Bilag A (reproduces Bilag B 2024). */
export function calculatedQuotasFor(input: Pick<RefugeeQuotaStart, 'landstal' | 'regionQuotas' | 'region'>) {
  const data = municipalityData2024();
  const result = calculateRefugeeQuotas({ landstal: input.landstal, regionQuotas: input.regionQuotas, municipalities: data });
  const names = new Map(data.map((m) => [m.kommunenr, m.name]));
  return result.quotas
    .filter((q) => q.region === input.region)
    .map((q) => ({ kommunenr: q.kommunenr, partyId: String(q.kommunenr), name: names.get(q.kommunenr)!, quota: q.quota, ideal: q.ideal }));
}

export class QuotaInputError extends Error {
  constructor(
    message: string,
    readonly field: 'regionQuotas' | 'agencyQuotas' = 'regionQuotas',
  ) {
    super(message);
  }
}

export const refugeeQuotaProcedure: ProcedureDefinition<typeof refugeeQuotaStartSchema, RefugeeQuotaWorkflow> = {
  id: 'refugeeQuota',
  steps: refugeeQuotaSteps,
  answers: refugeeQuotaAnswers,
  casePrefix: 'FLY',
  label: 'Aftale om kommunekvoter for flygtninge',
  description:
    'Landstal og regionskvote fra Udlændingestyrelsen; kommunernes tilbagemelding, K22 og KKR; meddelelse af aftalen inden fristen (integrationslovens § 8), ellers fastsætter styrelsen kvoterne.',
  workflowType: 'refugeeQuotaAgreement',
  inputSchema: refugeeQuotaStartSchema,
  caseTitle: (input) => `Kommunekvoter for flygtninge ${input.quotaYear}, ${input.region}`,
  async toWorkflowArgs(input, ctx) {
    if (input.regionQuotas[input.region] === undefined) throw new QuotaInputError(`Regionskvoten for ${input.region} mangler`);
    let quotas;
    try {
      quotas = regionQuotasFor(input).quotas;
    } catch (e) {
      if (e instanceof QuotaInputError) throw e;
      throw new QuotaInputError(`Kvoterne kan ikke beregnes: ${(e as Error).message}`);
    }
    const args: RefugeeQuotaInput = {
      quotaYear: input.quotaYear,
      landstal: input.landstal,
      region: input.region,
      regionQuota: input.regionQuotas[input.region]!,
      announcementDate: input.announcementDate,
      calculatedQuotas: quotas.map(({ ideal: _ideal, ...q }) => q),
      deadlines: input.deadlines,
      ratificationRequired: input.ratificationRequired,
      ...(input.ratificationRequired && input.ratificationDeadline ? { ratificationDeadline: input.ratificationDeadline } : {}),
      agencyEmail: input.agencyEmail,
      startedBy: ctx.actor,
    };
    return [args];
  },
};
