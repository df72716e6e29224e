/** The notice to all municipalities of the region and other user municipalities, and of an outcome to them. */
import type { CapacityChangeClassification } from '../../../domain/capacityChange';
import { HOME_REGION } from '../../../domain/region';
import { acts } from '../../blocks/proxies';
import { partyStates, type Capacity } from '../caseFile';
import { broadcastNotice, outcomeNotice } from '../messages';

export const CAPACITY_REGION = HOME_REGION;

/** What a notice that could not be sent reached: nobody (the case shows why, see CaseRecord.attempt). */
const NOTHING_SENT = { recipients: 0, partiesWithoutContact: [] as string[] };

async function broadcastParties(k: Capacity): Promise<{ partyId: string; name: string }[]> {
  const region = await acts.listRegionParties({ region: CAPACITY_REGION });
  const all = [...region];
  for (const p of k.input.otherUserMunicipalities) if (!all.some((x) => x.partyId === p.partyId)) all.push(p);
  return all;
}

/** "Meddeles alle kommuner i Syddanmark og eventuelle andre brugerkommuner" (002:1564-1565). */
export async function broadcast(k: Capacity, cls: CapacityChangeClassification, round: number): Promise<void> {
  const { c, details, input, operatorParty } = k;
  const parties = await broadcastParties(k);
  const revised = round > 1;
  const r = await c.orElse('Meddelelsen til parterne kunne ikke sendes', NOTHING_SENT, () => acts.notifyParties({
    caseId: c.state.caseId,
    procedure: 'capacityChange',
    step: 'broadcast',
    reminder: revised ? `revision:${round}` : '',
    partyIds: parties.map((p) => p.partyId),
    ...broadcastNotice(input, cls, details, revised, c.state.caseId),
  }));
  details.broadcasts.push({ round, parties: parties.length, emails: r.recipients, withoutContact: r.partiesWithoutContact });
  const others = parties.filter((p) => p.partyId !== operatorParty.partyId).map((p) => ({ ...p, state: revised ? 'meddelt (revideret)' : 'meddelt' }));
  c.state.parties = [{ ...operatorParty, state: 'driftsherre' }, ...others];
  await c.publish(
    { parties: partyStates(k) },
    {
      description:
        `${revised ? 'Revideret meddelelse' : 'Meddelelse'} sendt til ${parties.length} parter (${r.recipients} e-mails): alle kommuner i Syddanmark og Region Syddanmark` +
        (input.otherUserMunicipalities.length ? ` samt andre brugerkommuner: ${input.otherUserMunicipalities.map((p) => p.name).join(', ')}` : '') +
        (r.partiesWithoutContact.length ? `; uden kontaktadresse: ${r.partiesWithoutContact.join(', ')}` : ''),
      actor: 'system',
    },
  );
}

/** Tells everyone who was told of the proposal that it will not take effect. */
export async function broadcastOutcome(k: Capacity, outcome: { subject: string; text: string }): Promise<void> {
  const { c } = k;
  if (!k.details.broadcasts.length) return;
  const parties = await broadcastParties(k);
  const r = await c.orElse('Meddelelsen til parterne kunne ikke sendes', NOTHING_SENT, () => acts.notifyParties({
    caseId: c.state.caseId,
    procedure: 'capacityChange',
    step: 'outcome',
    partyIds: parties.map((p) => p.partyId),
    ...outcomeNotice(k.input, outcome, c.state.caseId),
  }));
  await c.publish({}, { description: `${outcome.subject}: meddelt ${parties.length} parter (${r.recipients} e-mails)`, actor: 'system' });
}
