/**
 * The refugee-quota procedure's contract (aftale om kommunekvoter): its start input and the details the case
 * carries, which the notification document is rendered from.
 */
import { z } from 'zod';
import type { ReminderLadderInput } from '../../domain/calendar/reminders';
import type { DeadlineSpecInput } from '../../contracts/deadlines';
import type { CaseState } from '../../contracts/caseState';
import { councilRatificationAnswer } from '../../contracts/kit/commonSteps';
import { defineStep, isoDate, type WorkflowContract } from '../../contracts/kit/step';

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


// ---------------------------------------------------------------------------------------------------------------
// The steps: what the secretariat records and what the municipalities answer
// ---------------------------------------------------------------------------------------------------------------

const quotaLines = z.array(z.object({ kommunenr: z.number().int('Kommunenummeret skal være et helt tal'), quota: z.number({ error: 'Kvoten skal være et tal' }).int('Kvoten skal være et helt tal').min(0, 'Kvoten kan ikke være negativ') }));

/** The quota table as form rows: one row per municipality of the case, its kommunenummer carried hidden. */
function quotaRows(path: string, lines: { kommunenr: number; name: string; quota: number }[], what: string) {
  return {
    values: { [path]: lines.map((q) => ({ kommunenr: q.kommunenr, quota: q.quota })) },
    labels: Object.fromEntries(lines.map((q, i) => [`${path}.${i}.quota`, `${q.name} (${what} ${q.quota})`])),
  };
}
const quotaForm = (path: string, label: string) => ({
  [path]: label,
  [`${path}.*.kommunenr`]: 'Kommunenummer',
  [`${path}.*.quota`]: 'Kvote',
});
const calculated = (s: CaseState) => (s.details as Partial<RefugeeQuotaDetails>).calculatedQuotas ?? [];

export const recordKkrDecisionStep = defineStep<RefugeeQuotaDetails>()({
  name: 'recordKkrDecision',
  label: 'Registrér KKR’s beslutning om fordelingen',
  takenBy: 'secretariat',
  input: z
    .object({
      choice: z.enum(['followCalculated', 'ownAgreement'], { error: 'Vælg om KKR følger de beregnede kvoter eller indgår egen aftale' }),
      quotas: quotaLines.optional(),
      landstalClause: z.enum(['survives', 'lapses', 'rescale'], { error: 'Vælg aftalens klausul om ændret landstal' }),
      meetingDate: isoDate(),
    })
    .superRefine((d, ctx) => {
      if (d.choice === 'ownAgreement' && !d.quotas?.length) ctx.addIssue({ code: 'custom', path: ['quotas'], message: 'En egen aftale skal angive kvoten for hver kommune' });
    }),
  form: {
    labels: { choice: 'Beslutning', landstalClause: 'Klausul om ændret landstal', meetingDate: 'Dato for KKR-mødet', ...quotaForm('quotas', 'Kvoter ved egen aftale') },
    enumLabels: {
      choice: { followCalculated: 'KKR følger Udlændingestyrelsens beregnede kvoter', ownAgreement: 'KKR indgår egen aftale (kvoter nedenfor)' },
      landstalClause: LANDSTAL_CLAUSE_LABELS,
    },
    widgets: { meetingDate: 'date', 'quotas.*.kommunenr': 'hidden' },
    hints: { quotas: 'Bruges kun ved egen aftale; summen skal være regionskvoten.' },
    blankRows: 0,
  },
  notDue: 'Sagen afventer ikke KKR’s beslutning nu',
  example: { choice: 'followCalculated', landstalClause: 'lapses', meetingDate: '2027-06-14' },
  fromCase: (s) => quotaRows('quotas', calculated(s), 'beregnet'),
});

export const sendNotificationStep = defineStep<{ sentTo: string }>()({
  name: 'sendNotification',
  label: 'Send meddelelsen til Udlændingestyrelsen',
  takenBy: 'secretariat',
  input: z.object({ withReservation: z.boolean({ error: 'Angiv om aftalen meddeles med forbehold' }).default(false) }),
  form: { labels: { withReservation: 'Med forbehold for politisk godkendelse i de enkelte kommuner' } },
  notDue: 'Aftalen kan ikke meddeles Udlændingestyrelsen nu',
  example: { withReservation: false },
});

export const recordFixedQuotasStep = defineStep<RefugeeQuotaDetails>()({
  name: 'recordFixedQuotas',
  label: 'Registrér Udlændingestyrelsens fastsættelse (bilag B)',
  takenBy: 'secretariat',
  input: z.object({
    /** Omitted: the agency fixed the quotas of Bilag B (the calculated ones), as it announced it would. */
    quotas: quotaLines.optional(),
    fixedDate: isoDate(),
  }),
  form: { labels: { fixedDate: 'Dato for fastsættelsen', ...quotaForm('quotas', 'Fastsatte kvoter') }, widgets: { fixedDate: 'date' }, omit: ['quotas'] },
  notDue: 'Kvoterne fastsættes kun af Udlændingestyrelsen, når der ikke er meddelt en aftale inden fristen',
  example: { fixedDate: '2027-09-28' },
});

export const landstalChangedStep = defineStep<RefugeeQuotaDetails>()({
  name: 'landstalChanged',
  label: 'Registrér et ændret landstal',
  takenBy: 'secretariat',
  input: z.object({
    newLandstal: z.number({ error: 'Landstallet skal være et tal' }).int('Landstallet skal være et helt tal').min(0, 'Landstallet kan ikke være negativt'),
    newRegionQuota: z.number({ error: 'Regionskvoten skal være et tal' }).int('Regionskvoten skal være et helt tal').min(0, 'Regionskvoten kan ikke være negativ'),
    newCalculatedQuotas: quotaLines.min(1, 'Angiv de nye beregnede kvoter'),
  }),
  form: {
    labels: { newLandstal: 'Nyt landstal', newRegionQuota: 'Ny regionskvote', ...quotaForm('newCalculatedQuotas', 'Udlændingestyrelsens nye beregnede kvoter') },
    widgets: { 'newCalculatedQuotas.*.kommunenr': 'hidden' },
    blankRows: 0,
  },
  notDue: 'Et ændret landstal kan ikke registreres på sagen nu',
  example: { newLandstal: 3000, newRegionQuota: 600, newCalculatedQuotas: [{ kommunenr: 461, quota: 120 }] },
  fromCase: (s) => quotaRows('newCalculatedQuotas', calculated(s), 'nu'),
});

/** A municipality's position on the proposed distribution. */
export const positionAnswer = defineStep()({
  name: 'positions',
  label: 'Kommunens holdning til fordelingen',
  takenBy: 'party',
  input: z
    .object({
      position: z.enum(['agree', 'object', 'propose'], { error: 'Vælg om kommunen tilslutter sig, gør indsigelse eller foreslår andre tal' }),
      reason: z.string().trim().max(5000, 'Må højst være 5.000 tegn').optional(),
      quotas: quotaLines.optional(),
    })
    .superRefine((a, ctx) => {
      if (a.position === 'object' && (a.reason ?? '').length < 5) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Angiv en begrundelse for indsigelsen (mindst 5 tegn)' });
      if (a.position === 'propose' && !a.quotas?.length) ctx.addIssue({ code: 'custom', path: ['quotas'], message: 'Angiv de foreslåede kvoter' });
    }),
  form: {
    labels: { position: 'Kommunens holdning', reason: 'Begrundelse', ...quotaForm('quotas', 'Foreslåede kvoter (kun ved forslag om andre tal)') },
    enumLabels: { position: { agree: 'Kommunen tilslutter sig fordelingen', object: 'Kommunen gør indsigelse', propose: 'Kommunen foreslår andre tal' } },
    widgets: { reason: 'textarea', 'quotas.*.kommunenr': 'hidden' },
    hints: { reason: 'Skal udfyldes ved indsigelse.' },
    blankRows: 0,
  },
  notDue: 'Der tages ikke imod svar på fordelingen nu',
  example: { position: 'agree' },
  fromCase: (s) => quotaRows('quotas', calculated(s), 'beregnet'),
});
export type PositionAnswer = z.output<typeof positionAnswer.input>;

/** The council's ratification of the notified agreement. */
export const ratificationAnswer = councilRatificationAnswer('aftalen');

export const refugeeQuotaSteps = [recordKkrDecisionStep, sendNotificationStep, recordFixedQuotasStep, landstalChangedStep] as const;
export const refugeeQuotaAnswers = [positionAnswer, ratificationAnswer] as const;

/** The workflow type: started as "refugeeQuotaAgreement" with these arguments, returning this result. */
export type RefugeeQuotaWorkflow = WorkflowContract<'refugeeQuotaAgreement', [RefugeeQuotaInput], { basis: QuotaBasis; status: string }>;
