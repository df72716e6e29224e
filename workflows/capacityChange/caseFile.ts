/** The capacity case: its record, its deadlines and approvals, the details it shows and the facts its steps record. */
import { CaseRecord } from '../blocks/caseRecord';
import { DeadlineBook } from '../blocks/deadlines';
import { Approvals } from '../blocks/approvals';
import type { CapacityChangeDetails, CapacityChangeInput, TilbudRef } from './contract';

/** One capacity case: its record, its deadlines and approvals, the details it shows and the facts its steps record. */
export interface Capacity {
  input: CapacityChangeInput;
  details: CapacityChangeDetails;
  c: CaseRecord<CapacityChangeDetails>;
  deadlines: DeadlineBook;
  approvals: Approvals;
  operatorParty: { partyId: string; name: string };
  facts: {
    /** Rounds of justifications the flow asked for, and the round last given (reviseJustifications). */
    justificationsAsked: number;
    justificationsGiven: number;
    /** The forum step is behind: the political decision may be recorded. */
    forumDone: boolean;
    /** The case has reached its outcome (registered, rejected, not adopted, handed over). */
    finished: boolean;
    /** The permanent change is being written to the register: no temporary staffing any more. */
    registering: boolean;
    temporaryInFlight: number;
    temporarySeq: number;
    /** The tilbud's id in the register, once it has one. */
    registerId: number | undefined;
  };
}

export function openCase(input: CapacityChangeInput): Capacity {
  const details: CapacityChangeDetails = {
    operator: input.operator,
    tilbud: input.tilbud,
    kind: input.kind,
    currentPlaces: input.currentPlaces,
    newPlaces: input.newPlaces,
    effectiveDate: input.effectiveDate,
    politicalTreatmentDate: input.politicalTreatmentDate ?? null,
    justifications: [],
    justificationRound: 0,
    broadcasts: [],
    reportLate: false,
    temporaryStaffing: [],
  };
  const c = new CaseRecord({
    procedure: 'capacityChange',
    title: `${input.kind === 'closure' ? 'Lukning' : input.kind === 'newTilbud' ? 'Nyt tilbud' : 'Kapacitetsændring'}: ${input.tilbud.name} (${input.operator.name})`,
    stage: 'Oprettet',
    details: details,
  });
  return {
    input,
    details,
    c,
    deadlines: new DeadlineBook(c),
    approvals: new Approvals(c),
    operatorParty: { partyId: input.operator.partyId, name: input.operator.name },
    facts: { justificationsAsked: 0, justificationsGiven: 0, forumDone: false, finished: false, registering: false, temporaryInFlight: 0, temporarySeq: 0, registerId: input.tilbud.id },
  };
}

export const warn = (k: Capacity, w: string) => {
  if (!k.c.state.warnings.includes(w)) k.c.state.warnings.push(w);
};
export const reportDue = (k: Capacity) => k.details.classification?.reportDeadline != null && k.c.state.deadlines.report !== undefined;
export const tilbudRef = (k: Capacity): TilbudRef => ({
  id: k.facts.registerId,
  name: k.input.tilbud.name,
  operatorPartyId: k.input.operator.partyId,
  targetGroup: k.input.tilbud.targetGroup,
  basePlaces: k.input.kind === 'newTilbud' ? 0 : k.input.currentPlaces,
});

export function partyStates(k: Capacity) {
  const { details, operatorParty } = k;
  const reported = details.report ? `indberettet${details.report.late ? ' (for sent)' : ''}` : details.reportLate ? 'mangler indberetning (for sent)' : 'afventer indberetning';
  return [{ ...operatorParty, state: `driftsherre${reportDue(k) ? ` – ${reported}` : ''}` }, ...k.c.state.parties.filter((p) => p.partyId !== operatorParty.partyId)];
}
