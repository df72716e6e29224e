/**
 * What the refugee-quota procedure writes to people: the e-mails to the municipalities and the agency, and the
 * reminders to the secretariat. Plain functions of the case's facts, so the texts are read and changed here,
 * not inside the flow.
 */
import type { MunicipalQuotaLine, RefugeeQuotaDetails, RefugeeQuotaInput } from './contract';

export const quotaTable = (rows: MunicipalQuotaLine[]): string => rows.map((r) => `${r.name} (${r.kommunenr}): ${r.quota}`).join(', ');

export const positionsNotice = (input: RefugeeQuotaInput) => ({
  procedure: 'refugeeQuota',
  subject: (k: string) => (k === 'invitation' ? `Fordeling af flygtninge ${input.quotaYear}: kommunens tilbagemelding` : `Påmindelse: fordeling af flygtninge ${input.quotaYear}`),
  heading: `Forslag til kommunekvoter for ${input.quotaYear} i ${input.region}`,
  paragraphs: [
    `Udlændingestyrelsen har ${input.announcementDate} meddelt landstallet ${input.landstal} og regionskvoten ${input.regionQuota} for ${input.region}.`,
    `De beregnede kommunekvoter er: ${quotaTable(input.calculatedQuotas)}.`,
    'Meld venligst tilbage, om kommunen kan tilslutte sig fordelingen, gør indsigelse eller foreslår andre tal.',
  ],
});

export const ratificationNotice = (input: RefugeeQuotaInput, details: RefugeeQuotaDetails) => ({
  procedure: 'refugeeQuota',
  subject: (k: string) => (k === 'invitation' ? `Ratifikation: aftale om kommunekvoter ${input.quotaYear}` : `Påmindelse: ratifikation af aftale om kommunekvoter ${input.quotaYear}`),
  heading: `Aftalen om kommunekvoter for ${input.quotaYear} er meddelt Udlændingestyrelsen`,
  paragraphs: [`Aftalen: ${quotaTable(details.quotas)}.`, 'Meld venligst tilbage, når kommunalbestyrelsen har behandlet aftalen.'],
});

export const agreementReminder = (dueDate: string, stage: string) => ({
  subject: `Påmindelse: aftale om kommunekvoter skal meddeles senest ${dueDate}`,
  heading: 'Aftalen om kommunekvoter er endnu ikke meddelt Udlændingestyrelsen',
  paragraphs: [`Sagen står i fasen "${stage}".`],
});

export const notificationEmail = (input: RefugeeQuotaInput) => ({
  subject: `Aftale om kommunekvoter ${input.quotaYear} – ${input.region}`,
  body: `Hermed meddeles aftalen om kommunekvoter for ${input.quotaYear} i ${input.region}. Aftalen er vedhæftet.`,
});

export const finalQuotasNotice = (input: RefugeeQuotaInput, details: RefugeeQuotaDetails, how: 'aftalt' | 'fastsat', caseId: string) => ({
  subject: `Kommunekvoter for flygtninge ${input.quotaYear} i ${input.region}: ${how}`,
  content: {
    heading: `Kommunekvoterne for ${input.quotaYear} i ${input.region} er ${how}`,
    paragraphs: [
      `Kommunekvoterne er ${details.basis === 'fastsat' ? 'fastsat af Udlændingestyrelsen' : details.kkrDecision?.choice === 'followCalculated' ? 'aftalt efter Udlændingestyrelsens beregning' : 'aftalt af kommunerne i regionen'} (integrationslovens § 8).`,
      `Kvoterne: ${quotaTable(details.quotas)}.`,
    ],
    facts: [{ label: 'Sagsnummer', value: caseId }],
  },
});
