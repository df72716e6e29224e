import { z } from 'zod';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProcedureDefinition } from './types';
import type { RefugeeQuotaInput } from '../../contracts/refugeeQuota';
import { parseMunicipalitiesCsv } from '../../domain/municipalities';
import { calculateRefugeeQuotas } from '../../domain/refugeeQuota';
import { deadlineSpecSchema } from '../../domain/calendar/schemas';
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
    agreement: deadlineSpecSchema,
    fallback: deadlineSpecSchema,
  }),
  ratificationRequired: z.boolean().default(false),
  agencyEmail: z.email('Udlændingestyrelsens e-mailadresse er ugyldig'),
});
export type RefugeeQuotaStart = z.infer<typeof refugeeQuotaStartSchema>;

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
  readonly field = 'regionQuotas';
}

export const refugeeQuotaProcedure: ProcedureDefinition<typeof refugeeQuotaStartSchema> = {
  id: 'refugeeQuota',
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
      quotas = calculatedQuotasFor(input);
    } catch (e) {
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
      agencyEmail: input.agencyEmail,
      startedBy: ctx.actor,
    };
    return [args];
  },
};
