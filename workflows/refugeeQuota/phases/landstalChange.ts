/** A changed landstal (integrationsloven § 7): what it does to the quotas in force, at each stage of the case. */
import { patched } from '@temporalio/workflow';
import { acts } from '../../blocks/proxies';
import { quotaProblem, withQuotas, type QuotaCase } from '../caseFile';
import type { LandstalClause } from '../contract';
import { quotaTable } from '../messages';

/** What a changed landstal does to the quotas in force: an agreement follows its clause; otherwise the agency
 * fixes the new calculated quotas. Versioned (README, "Changing a running procedure"): from 3 December 2026 a
 * change before anything is notified or fixed keeps the agreement process going on the new numbers (it used
 * to switch the case to "fastsat" with no decision of anyone); histories recorded before replay without it. */
export async function applyLandstalChange(q: QuotaCase, newRegionQuota: number): Promise<string> {
  const { details, facts, input } = q;
  if (details.basis === 'beregnet' && !facts.awaitingAgency && !facts.agencyFixed && patched('refugee-landstal-change-by-stage')) return landstalChangedBeforeAgreement(q, newRegionQuota);
  const wasAgreed = details.basis === 'aftalt';
  const clause: LandstalClause = wasAgreed ? (details.kkrDecision?.landstalClause ?? 'lapses') : 'lapses';
  if (wasAgreed && clause === 'survives') return 'Aftalen gælder fortsat efter sin klausul; kvoterne er uændrede';
  if (wasAgreed && clause === 'rescale') {
    const rescaled = await acts.rescaleQuotas({ quotas: details.quotas.map((q) => ({ kommunenr: q.kommunenr, quota: q.quota })), newTotal: newRegionQuota });
    details.quotas = withQuotas(input.calculatedQuotas, rescaled);
    return `Aftalens kvoter er omregnet forholdsmæssigt til regionskvoten ${newRegionQuota}: ${quotaTable(details.quotas)}`;
  }
  details.basis = 'fastsat';
  details.quotas = details.calculatedQuotas;
  return `${wasAgreed ? 'Aftalen bortfalder. ' : ''}Udlændingestyrelsen fastsætter de nye kvoter: ${quotaTable(details.quotas)}`;
}

/** A changed landstal while the agreement is still being made: the calculated quotas are the new ones, and
 * KKR's own distribution, made for the old region quota, is decided again if it no longer adds up. */
function landstalChangedBeforeAgreement(q: QuotaCase, newRegionQuota: number): string {
  const { c, details, facts } = q;
  const decision = facts.kkrDecided ? details.kkrDecision : undefined;
  if (decision?.choice === 'ownAgreement') {
    const problem = quotaProblem(details, details.quotas, newRegionQuota);
    if (!problem) return `KKR’s egen aftale om fordelingen passer også til den nye regionskvote og gælder fortsat: ${quotaTable(details.quotas)}`;
    facts.kkrDecided = false;
    details.kkrDecision = undefined;
    details.quotas = details.calculatedQuotas;
    const w = `KKR’s egen aftale om fordelingen passer ikke til den nye regionskvote ${newRegionQuota} (${problem}); KKR skal træffe beslutning igen`;
    c.state.warnings.push(w);
    return w;
  }
  details.quotas = details.calculatedQuotas;
  return decision
    ? `KKR’s beslutning om at følge Udlændingestyrelsens beregning gælder de nye beregnede kvoter: ${quotaTable(details.quotas)}`
    : `Der er endnu ikke meddelt en aftale; aftaleforløbet fortsætter med de nye beregnede kvoter: ${quotaTable(details.quotas)}`;
}
