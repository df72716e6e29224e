/** Row 5 of Tabel 4.1: a closure is handed over to the closure procedure as a child case. */
import { startChild } from '@temporalio/workflow';
import type { CapacityChangeClassification } from '../../../domain/capacityChange';
import type { ClosureInput } from '../../closure/contract';
import { acts } from '../../blocks/proxies';
import type { Capacity } from '../caseFile';
import { justificationStep } from './justifications';
import { finish } from './registration';

/** Row 5: the closure procedure (P3) runs the SDF hearing, the notices and the settlement; this case hands over. */
export async function handOverToClosure(k: Capacity, cls: CapacityChangeClassification): Promise<void> {
  const { c, details, input } = k;
  await justificationStep(k, cls, false);
  const fuRecipients = await acts.forumRecipients({ body: 'FU' });
  const closureCaseId = `${c.state.caseId}-LUK`;
  const closureInput: ClosureInput = {
    tilbudName: input.tilbud.name,
    operator: { ...k.operatorParty, type: input.operator.type },
    classification: 'closure',
    reason: details.justifications[0]!.text,
    // "vil tilbuddet betragtes som en del af en økonomisk enhed" unless marked stand-alone (002:1930-1935).
    structure: input.closure?.structure ?? 'economicUnit',
    turnoverDecisionYear: input.closure?.turnoverDecisionYear,
    otherUnitsTurnoverDecisionYear: input.closure?.otherUnitsTurnoverDecisionYear,
    payers: input.closure?.payers ?? [],
    actingMunicipalities: input.closure?.actingMunicipalities ?? [],
    otherRegionalTilbud: input.closure?.otherRegionalTilbud,
    fuRecipients,
    noticeReading: input.closure?.noticeReading,
    ladder: input.closure?.ladder,
    parentCaseId: c.state.caseId,
    startedBy: input.startedBy,
  };
  // The closure outlives this case: it runs for months after the hand-over.
  await startChild('closureOfTilbud', { workflowId: closureCaseId, args: [closureInput], parentClosePolicy: 'ABANDON' });
  details.closureCaseId = closureCaseId;
  await finish(
    k,
    'Overdraget til lukningsproceduren',
    `Lukningen behandles i sagen ${closureCaseId} (høring i Socialdirektørforum, meddelelse til kommunerne og lukkeregnskab, Rammeaftalens bilag 4 og 5)` +
      (input.closure?.structure ? '' : '. Tilbuddet behandles som en del af en økonomisk enhed, da det ikke er angivet som selvstændigt (002:1930-1935)'),
    'handedToClosure',
  );
}
