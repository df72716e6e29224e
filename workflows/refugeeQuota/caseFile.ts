/** The refugee quota case: its record, deadlines, collections and approvals, its parties and the facts the steps
 * record; and the checks of a proposed quota table. */
import { validateQuotaAgreement } from '../../domain/refugeeQuota';
import { CaseRecord } from '../blocks/caseRecord';
import { DeadlineBook } from '../blocks/deadlines';
import { Collections } from '../blocks/responses';
import { Approvals } from '../blocks/approvals';
import type { MunicipalQuotaLine, RefugeeQuotaDetails, RefugeeQuotaInput } from './contract';

/** The proposed table is the region's municipalities, each once, summing to the region quota; or why not. */
export function quotaProblem(details: RefugeeQuotaDetails, quotas: { kommunenr: number; quota: number }[] | undefined, regionQuota: number): string | undefined {
  if (!quotas) return undefined;
  const result = validateQuotaAgreement({
    region: details.region,
    regionQuota,
    municipalities: details.calculatedQuotas.map((q) => ({ kommunenr: q.kommunenr, name: q.name })),
    proposed: quotas,
  });
  return result.ok ? undefined : result.errors.map((e) => e.message).join('; ');
}

export function withQuotas(base: MunicipalQuotaLine[], quotas: { kommunenr: number; quota: number }[]): MunicipalQuotaLine[] {
  return base.map((b) => ({ ...b, quota: quotas.find((q) => q.kommunenr === b.kommunenr)!.quota }));
}

export interface QuotaCase {
  input: RefugeeQuotaInput;
  details: RefugeeQuotaDetails;
  c: CaseRecord<RefugeeQuotaDetails>;
  deadlines: DeadlineBook;
  collections: Collections;
  approvals: Approvals;
  parties: { partyId: string; name: string }[];
  facts: { kkrDecided: boolean; awaitingKkr: boolean; readyToNotify: boolean; notified: boolean; awaitingAgency: boolean; agencyFixed: boolean; landstalChanges: number };
}

export function openCase(input: RefugeeQuotaInput): QuotaCase {
  const details: RefugeeQuotaDetails = {
    quotaYear: input.quotaYear,
    landstal: input.landstal,
    region: input.region,
    regionQuota: input.regionQuota,
    calculatedQuotas: input.calculatedQuotas,
    quotas: input.calculatedQuotas,
    basis: 'beregnet',
  };
  const c = new CaseRecord({ procedure: 'refugeeQuota', title: `Kommunekvoter for flygtninge ${input.quotaYear}, ${input.region}`, stage: 'Oprettet', details: details });
  const deadlines = new DeadlineBook(c);
  const collections = new Collections(c, deadlines);
  const approvals = new Approvals(c);
  const parties = input.calculatedQuotas.map((q) => ({ partyId: q.partyId, name: q.name }));

  // ---- The facts the steps record ----
  const facts = { kkrDecided: false, awaitingKkr: false, readyToNotify: false, notified: false, awaitingAgency: false, agencyFixed: false, landstalChanges: 0 };
  return { input, details, c, deadlines, collections, approvals, parties, facts };
}
