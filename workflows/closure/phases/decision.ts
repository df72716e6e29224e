/** Steps 0-4 of §5.3: the notice of a possible closure, the orientation of FU, the hearing in SDF and the decision. */
import { condition } from '@temporalio/workflow';
import { HOME_REGION } from '../../../domain/region';
import { acts } from '../../blocks/proxies';
import type { ClosureCaseFile } from '../caseFile';
import type { ClosureDetails } from '../contract';
import { fuOrientation, hearingNotice, possibleClosureNotice } from '../messages';

/** Steps 0 and 1: the possible closure to the affected municipalities and the orientation of FU; they do not
 * depend on each other (nor on the list of the region's parties the hearing needs), so they go out together.
 * Returns the region's parties. */
export async function firstNotices(x: ClosureCaseFile): Promise<{ partyId: string; name: string }[]> {
  const { c, input, ordinary } = x;
  const [possible, fu, regionParties] = await Promise.all([
    ordinary && x.affected().length
      ? acts.notifyParties({ caseId: c.state.caseId, procedure: 'closure', step: 'possibleClosure', partyIds: x.affected().map((a) => a.partyId), ...possibleClosureNotice(x.k) })
      : Promise.resolve(undefined),
    input.fuRecipients.length
      ? acts.sendClosureMail({ caseId: c.state.caseId, step: 'fuOrientation', addresses: { greeting: 'Til Forretningsudvalget', emails: input.fuRecipients }, ...fuOrientation(x.k) })
      : Promise.resolve(undefined),
    ordinary ? acts.listRegionParties({ region: HOME_REGION }) : Promise.resolve([]),
  ]);
  if (possible) {
    await c.publish({ parties: x.partyList('orienteret om mulig lukning') }, { description: `Handlekommuner og betalingskommuner orienteret om mulig lukning (${possible.recipients} e-mails)`, actor: 'system' });
  }
  if (fu) await c.publish({}, { description: `Forretningsudvalget orienteret (${fu.recipients} e-mails: ${input.fuRecipients.join(', ')})`, actor: 'system' });
  return regionParties;
}

/** Steps 2-3: the hearing in SDF, announced to every municipality of the region and other user municipalities.
 * Then the decision step opens, with the stage it is shown under. */
export async function hearing(x: ClosureCaseFile, regionParties: { partyId: string }[]): Promise<void> {
  const { c, facts, details } = x;
  const hearingParties = [...regionParties.map((p) => p.partyId), ...x.affected().map((a) => a.partyId).filter((id) => !regionParties.some((p) => p.partyId === id))];
  const broadcast = await acts.sendClosureMail({ caseId: c.state.caseId, step: 'hearing', partyIds: hearingParties, ...hearingNotice(x.k) });
  await c.publish({}, { description: `Lukningen meddelt alle kommuner i Syddanmark og andre brugerkommuner (${broadcast.recipients} e-mails)`, actor: 'system' });
  // Reading of the Approvals outcome for a hearing: 'approved' = SDF has no objection; 'amend' or 'rejected'
  // = SDF finds the places important "for den samlede udbudsvifte", so the cost of continuing must be shown
  // (002:1632-1636). The hearing is advisory; the decision remains the operator's.
  const heard = await x.approvals.run('hearing', 'Høring om lukningen', ['SDF'], { stagePrefix: 'Høring' });
  facts.continuationRequired = heard !== 'approved';
  details.hearing = { outcome: heard, placesImportant: facts.continuationRequired, meetingDate: c.state.approvals.hearing!.steps[0]!.meetingDate };
  // The decision step is open as soon as the case shows its stage (a user who sees the stage may act at once,
  // while the read model is still being written).
  facts.waitingFor = 'decision';
  await c.publish(
    { stage: facts.continuationRequired ? 'Afventer dokumentation af omkostninger ved videreførelse' : 'Afventer beslutning om lukning' },
    {
      description: facts.continuationRequired
        ? 'Socialdirektørforum finder pladserne vigtige for den samlede udbudsvifte: de økonomiske konsekvenser ved at videreføre tilbuddet skal fremgå, før der træffes beslutning'
        : 'Socialdirektørforum har ingen indvendinger mod lukningen',
      actor: 'system',
    },
  );
}

/** Step 4: the decision (an authority's is registered without a hearing); it pins the rule version. */
export async function decision(x: ClosureCaseFile): Promise<NonNullable<ClosureDetails['decision']>> {
  if (!x.ordinary) {
    x.facts.waitingFor = 'decision';
    await x.c.publish({ stage: 'Afventer registrering af myndighedens afgørelse' }, { description: 'Myndighedens afgørelse om lukning skal registreres med dato og lukkedato', actor: 'system' });
  }
  await condition(() => !!x.details.decision);
  x.facts.waitingFor = undefined;
  return x.details.decision!;
}
