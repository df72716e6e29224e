/**
 * The capacity-change procedure's contract (kapacitetsændring, Tabel 4.1): its start input, and what it hands
 * over to a closure it starts.
 */
import type { CapacityChangeKind, OperatorType } from '../../domain/capacityChange';
import type { ReminderLadderInput } from '../../domain/calendar/reminders';
import type { ClosureInput } from '../../contracts/closure';

/** The closure procedure's own data, when the capacity case already knows it; the rest it collects itself. */
export type ClosureHandover = Partial<
  Pick<ClosureInput, 'structure' | 'turnoverDecisionYear' | 'otherUnitsTurnoverDecisionYear' | 'payers' | 'actingMunicipalities' | 'otherRegionalTilbud' | 'noticeReading' | 'ladder'>
>;

export interface CapacityChangeInput {
  /** The driftsherre, as the directory names it. */
  operator: { partyId: string; name: string; type: OperatorType };
  /** `id` is the tilbud's id in the capacity register; absent for a tilbud the register does not hold yet. */
  tilbud: { id?: number; name: string; targetGroup: string };
  kind: CapacityChangeKind;
  currentPlaces: number;
  newPlaces: number;
  effectiveDate: string;
  politicalTreatmentDate?: string | null;
  /** The answers to the row's "Begrundelser" of Tabel 4.1, in the table's order. */
  justifications: string[];
  /** "eventuelle andre brugerkommuner" (002:1564-1565): user municipalities outside the region. */
  otherUserMunicipalities: { partyId: string; name: string }[];
  /** Reminder ladder of the report deadline; the calendar's default (14, 7, 1 working days, due day, escalation). */
  ladder?: ReminderLadderInput;
  closure?: ClosureHandover;
  startedBy: string;
  caseUrl: string;
}

/** A tilbud as the procedure knows it: by its register id, or by name for one the register does not hold yet. */
export interface TilbudRef {
  id?: number;
  name: string;
  operatorPartyId: string;
  targetGroup: string;
  /** Fixed places to enter it with when the register does not hold it yet. */
  basePlaces: number;
}
