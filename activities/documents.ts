/**
 * Documents the procedures produce, generated from the case data in Danish and kept with the case (in the
 * journal entry of the step that produced them).
 */
import type { createEmailActivities } from './email';
import { renderCaseEmail } from './emailTemplate';
import { allocateLargestRemainder } from '../domain/money';
import { formatDanishDate } from '../domain/calendar/format';
import type { PlainDate } from '../domain/calendar/plainDate';
import type { RefugeeQuotaDetails } from '../workflows/refugeeQuota/contract';
import type { CaseDocument, DocumentRef, StepDocument } from '../contracts/documents';
import type { DocumentStore } from '../db/documents';
import { PermanentInputError } from './failures';
import type { OutgoingEmail } from '../contracts/email';

export type { CaseDocument };

/** The attachments for a step's documents (inline or kept); a reference the store lacks is permanent. */
export async function attachmentsOf(store: DocumentStore, caseId: string, docs: StepDocument[] = []): Promise<NonNullable<OutgoingEmail['attachments']>> {
  const { documents, missing } = await store.contents(caseId, docs);
  if (missing.length) throw new PermanentInputError('InvalidData', `Dokumentet findes ikke i sagen: ${missing.join(', ')}`);
  return documents.map((d) =>
    d.mediaType.startsWith('text/')
      ? { filename: d.name, contentType: d.mediaType, content: d.content.toString('utf8') }
      : { filename: d.name, contentType: d.mediaType, content: d.content.toString('base64'), encoding: 'base64' as const },
  );
}

export function refugeeNotificationText(input: { caseId: string; details: RefugeeQuotaDetails; withReservation: boolean; date: string }): string {
  const d = input.details;
  const lines = [
    'Til Udlændingestyrelsen',
    '',
    `Meddelelse om aftale om kommunekvoter for ${d.quotaYear} – ${d.region}`,
    `Dato: ${formatDanishDate(input.date as PlainDate)}`,
    `Sagsnummer: ${input.caseId}`,
    '',
    `Kommunalbestyrelserne i ${d.region} meddeler hermed, jf. integrationslovens § 8, stk. 1, aftale om kommunekvoter for ${d.quotaYear}.`,
    `Landstal: ${d.landstal}. Regionskvote: ${d.regionQuota}.`,
    d.kkrDecision?.choice === 'followCalculated'
      ? 'Aftalen følger Udlændingestyrelsens beregnede kommunekvoter (bilag B).'
      : 'Aftalen fordeler regionskvoten således:',
    '',
    'Kommune (kommunenr.): kvote',
    ...d.quotas.map((q) => `${q.name} (${q.kommunenr}): ${q.quota}`),
    `I alt: ${d.quotas.reduce((a, q) => a + q.quota, 0)}`,
    '',
    `Ændret landstal: ${
      d.kkrDecision?.landstalClause === 'survives'
        ? 'Aftalen gælder fortsat, hvis landstallet ændres.'
        : d.kkrDecision?.landstalClause === 'rescale'
          ? 'Hvis landstallet ændres, omregnes kvoterne forholdsmæssigt til den nye regionskvote.'
          : 'Aftalen bortfalder, hvis landstallet ændres, og Udlændingestyrelsen fastsætter da kvoterne.'
    }`,
    `Besluttet af KKR Syddanmark på mødet ${d.kkrDecision ? formatDanishDate(d.kkrDecision.meetingDate as PlainDate) : '(ikke angivet)'}.`,
    ...(input.withReservation ? ['', 'Aftalen meddeles med forbehold for politisk godkendelse i de enkelte kommunalbestyrelser.'] : []),
    '',
    'Ukrainske fordrevne er ikke omfattet af landstallet og af denne aftale.',
    '',
    'Med venlig hilsen',
    'KKR Syddanmark, sekretariatet',
  ];
  return lines.join('\n');
}

export function createDocumentActivities(deps: { documents: DocumentStore; email: ReturnType<typeof createEmailActivities> }) {
  const renderRefugeeNotification = (input: { caseId: string; details: RefugeeQuotaDetails; withReservation: boolean; date: string }): CaseDocument => ({
    name: `Meddelelse til Udlændingestyrelsen – kommunekvoter ${input.details.quotaYear}.txt`,
    mediaType: 'text/plain; charset=utf-8',
    content: refugeeNotificationText(input),
  });
  return {
    /** Histories before `documents-by-reference`: the document's content travels through the workflow. */
    async renderRefugeeNotification(input: { caseId: string; details: RefugeeQuotaDetails; withReservation: boolean; date: string }): Promise<CaseDocument> {
      return renderRefugeeNotification(input);
    },

    /** The notification rendered and kept in the document store; the workflow holds the reference. */
    async keepRefugeeNotification(input: { caseId: string; details: RefugeeQuotaDetails; withReservation: boolean; date: string }): Promise<DocumentRef> {
      return deps.documents.keep(input.caseId, renderRefugeeNotification(input));
    },

    /** Sends a document to an outside body (e.g. Udlændingestyrelsen) through the same outbox as every e-mail. */
    async sendDocument(input: { caseId: string; step: string; recipient: string; subject: string; body: string; document: StepDocument }): Promise<void> {
      const attachments = await attachmentsOf(deps.documents, input.caseId, [input.document]);
      const { text, html } = renderCaseEmail({ greeting: 'Til rette modtager', heading: input.subject, paragraphs: [input.body] });
      await deps.email.sendEmails([
        {
          caseId: input.caseId,
          step: input.step,
          recipient: input.recipient,
          subject: input.subject,
          text,
          html,
          attachments,
        },
      ]);
    },

    /** Proportional rescaling of agreed quotas to a new regional quota, by largest remainder. */
    async rescaleQuotas(input: { quotas: { kommunenr: number; quota: number }[]; newTotal: number }): Promise<{ kommunenr: number; quota: number }[]> {
      const sorted = [...input.quotas].sort((a, b) => a.kommunenr - b.kommunenr);
      const parts = allocateLargestRemainder(input.newTotal, sorted.map((q) => q.quota));
      return sorted.map((q, i) => ({ kommunenr: q.kommunenr, quota: parts[i]!.toNumber() }));
    },
  };
}
