/**
 * The refugee-quota procedure's contract (aftale om kommunekvoter): its start input and the details the case
 * carries, which the notification document is rendered from.
 */
import type { ReminderLadderInput } from '../domain/calendar/reminders';
import type { DeadlineSpecInput } from './deadlines';

export interface MunicipalQuotaLine {
  kommunenr: number;
  partyId: string;
  name: string;
  quota: number;
}

export type LandstalClause = 'survives' | 'lapses' | 'rescale';
export const LANDSTAL_CLAUSE_LABELS: Record<LandstalClause, string> = {
  survives: 'Aftalen gælder fortsat ved et ændret landstal',
  lapses: 'Aftalen bortfalder ved et ændret landstal (Udlændingestyrelsen fastsætter)',
  rescale: 'Aftalen gælder, men kvoterne omregnes forholdsmæssigt til den nye regionskvote',
};

export interface RefugeeQuotaInput {
  quotaYear: number;
  landstal: number;
  region: string;
  regionQuota: number;
  announcementDate: string;
  calculatedQuotas: MunicipalQuotaLine[];
  deadlines: { positions: DeadlineSpecInput; agreement: DeadlineSpecInput; fallback: DeadlineSpecInput };
  ladder?: ReminderLadderInput;
  ratificationRequired: boolean;
  /** The councils' ratification deadline as the secretariat sets it; cases started before 3 December 2026
   * have none and use 30 days from the notification. */
  ratificationDeadline?: DeadlineSpecInput;
  agencyEmail: string;
  startedBy: string;
}

export type QuotaBasis = 'beregnet' | 'aftalt' | 'fastsat';

export interface RefugeeQuotaDetails {
  quotaYear: number;
  landstal: number;
  region: string;
  regionQuota: number;
  calculatedQuotas: MunicipalQuotaLine[];
  /** The quotas in force and on what legal basis. */
  quotas: MunicipalQuotaLine[];
  basis: QuotaBasis;
  kkrDecision?: { choice: 'followCalculated' | 'ownAgreement'; landstalClause: LandstalClause; meetingDate: string; decidedBy: string };
  notifiedAt?: string;
  withReservation?: boolean;
}

