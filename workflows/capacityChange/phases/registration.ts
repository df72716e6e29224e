/** Step 7 of rammeaftale.md §3.4: the change enters the capacity register on the effective date; the case's outcome. */
import { condition, sleep } from '@temporalio/workflow';
import type { CapacityChangeClassification } from '../../../domain/capacityChange';
import { acts } from '../../blocks/proxies';
import { partyStates, reportDue, tilbudRef, warn, type Capacity } from '../caseFile';
import type { CapacityChangeDetails } from '../contract';
import { danishDate as date, registeredNotice, signed } from '../messages';

/** Waits for the effective date (00:00 Copenhagen time) on a durable timer. */
export async function untilEffective(effectiveFrom: string): Promise<void> {
  const wait = Date.parse(effectiveFrom) - Date.now();
  if (wait > 0) await sleep(wait);
}

/** The permanent change enters the capacity register (and ends a temporary staffing). */
export async function register(k: Capacity, cls: CapacityChangeClassification, reason: string): Promise<void> {
  const { c, details, facts, input } = k;
  // A temporary staffing being written now must land before the permanent change ends it.
  facts.registering = true;
  await condition(() => facts.temporaryInFlight === 0);
  const r = await acts.registerPermanentCapacity({
    caseId: c.state.caseId,
    tilbud: tilbudRef(k),
    newPlaces: input.newPlaces,
    changeDate: input.effectiveDate,
    reason,
    actor: 'system',
    endTemporary: details.temporaryStaffing.length > 0,
  });
  facts.registerId = r.tilbudId;
  details.registration = { tilbudId: r.tilbudId, oldPlaces: r.oldPlaces, newPlaces: r.newPlaces, date: input.effectiveDate, endedTemporaryPlaces: r.endedTemporaryPlaces };
  details.outcome = 'registered';
  if (cls.route !== 'free') await acts.notifySecretariat({ caseId: c.state.caseId, step: 'registered', ...registeredNotice(input, r, reason) });
  await c.publish(
    {},
    {
      description:
        `Kapacitetsregistret er opdateret (tilbud nr. ${r.tilbudId}): ${r.oldPlaces} → ${r.newPlaces} faste pladser med virkning fra ${date(input.effectiveDate)}` +
        (r.endedTemporaryPlaces !== null ? `; den midlertidige normering (${signed(r.endedTemporaryPlaces)} pladser) ophører` : ''),
      actor: 'system',
    },
  );
}

/** The case's outcome: the report deadline closes, a temporary staffing left standing is flagged. */
export async function finish(k: Capacity, stage: string, description: string, outcome: CapacityChangeDetails['outcome']): Promise<void> {
  const { c, deadlines, details } = k;
  k.facts.finished = true;
  details.outcome = outcome;
  if (reportDue(k) && deadlines.get('report').status === 'open') {
    if (outcome === 'registered') {
      warn(k, 'Ændringen er registreret, uden at den er indberettet');
      await deadlines.close('report', 'expired');
    } else {
      await deadlines.close('report', 'cancelled');
    }
  }
  const temporary = details.temporaryStaffing.at(-1);
  if (outcome !== 'registered' && temporary && temporary.places !== 0) {
    warn(k, `Den midlertidige normering (${signed(temporary.places)} pladser) står fortsat i kapacitetsregistret; driftsherren skal tilpasse driften`);
  }
  await c.publish({ stage, status: 'completed', parties: partyStates(k) }, { description, actor: 'system' });
}
