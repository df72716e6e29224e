/**
 * Aftale om kommunekvoter for flygtninge (integrationsloven §§ 6-8; refugee-quota.md §1).
 *
 * Udlændingestyrelsen announces the landstal and the regionskvoter by 1 May. The municipalities of the region
 * "søger at indgå en aftale om kommunekvoter"; the agreement must be notified "inden den 10. september",
 * otherwise the agency "fastsætter" the quotas "inden den 30. september". Agreed and fixed quotas are different
 * legal states (basis 'aftalt' / 'fastsat'). Ukrainian refugees are outside the landstal and this procedure.
 *
 * The steps' handlers (steps.ts) record facts (the decision, the notification, the fixing, a changed landstal); the
 * flow below acts on them in the order of the procedure, through the phases in phases/. The case is caseFile.ts.
 */
import { condition } from '@temporalio/workflow';
import { runUntilWithdrawn } from '../blocks/withdrawal';
import type { QuotaBasis, RefugeeQuotaDetails, RefugeeQuotaInput } from './contract';
import { quotaTable } from './messages';
import { openCase } from './caseFile';
import { registerSteps } from './steps';
import { agreementInTime } from './phases/agreement';
import { fixedByAgency, ratification, tellMunicipalities } from './phases/quotasInForce';

export type { RefugeeQuotaInput, RefugeeQuotaDetails };

export async function refugeeQuotaAgreement(input: RefugeeQuotaInput): Promise<{ basis: QuotaBasis; status: string }> {
  const q = openCase(input);
  registerSteps(q);
  const { c, deadlines, details, facts, parties } = q;

  const outcome = await runUntilWithdrawn(c, async () => {
    await c.publish(
      { parties: parties.map((p) => ({ ...p, state: 'afventer' })) },
      { description: `Sag oprettet: landstal ${input.landstal}, regionskvote ${input.regionQuota} for ${input.region} (meddelt ${input.announcementDate}). Ukrainske fordrevne er ikke omfattet af landstallet.`, actor: input.startedBy },
    );
    await deadlines.add('positions', 'Kommunernes tilbagemelding', input.deadlines.positions, input.ladder);
    await deadlines.add('agreement', 'Meddelelse af aftale til Udlændingestyrelsen', input.deadlines.agreement, input.ladder);
    await deadlines.add('fallback', 'Udlændingestyrelsens fastsættelse', input.deadlines.fallback, { workingDaysBefore: [], onTheDay: false, escalateWorkingDaysAfter: null });

    const agreement = await agreementInTime(q);
    if (agreement.inTime) {
      await deadlines.close('agreement', 'met');
      await deadlines.close('fallback', 'cancelled');
      await tellMunicipalities(q, 'aftalt');
      if (input.ratificationRequired) await ratification(q);
      await c.publish({ stage: 'Aftalt', status: 'completed' }, { description: `Kommunekvoterne for ${input.quotaYear} er aftalt: ${quotaTable(details.quotas)}`, actor: 'system' });
    } else {
      await fixedByAgency(q);
      await tellMunicipalities(q, 'fastsat');
      await c.publish({ stage: 'Fastsat af Udlændingestyrelsen', status: 'completed' }, { description: `Kommunekvoterne for ${input.quotaYear} er fastsat af Udlændingestyrelsen: ${quotaTable(details.quotas)}`, actor: 'system' });
    }
    await agreement.watch;

    // The case stays able to take a changed landstal until the quota year has ended.
    const endOfQuotaYear = Date.parse(`${input.quotaYear + 1}-01-01T00:00:00+01:00`);
    for (;;) {
      const seen = facts.landstalChanges;
      if (!(await condition(() => facts.landstalChanges !== seen, Math.max(0, endOfQuotaYear - Date.now())))) break;
    }
    return details.basis;
  });
  return { basis: details.basis, status: outcome === 'withdrawn' ? 'withdrawn' : c.state.status };
}
