/**
 * The syddansk report on a central announcement, as the board receives it: generated from the case (the
 * announcement, the collected answers, the approved draft, the political handling with dates and the
 * reservation), so that a report changed by KKR is never sent in an outdated wording (other-procedures.md §2.3
 * notes).
 */
import { formatDanishDate } from '../domain/calendar/format';
import type { PlainDate } from '../domain/calendar/plainDate';
import { euCentralOffsetMinutes } from '../domain/calendar/timeZone';
import type { CaseDocument } from './documents';
import type { DocumentRef } from '../contracts/documents';
import type { DocumentStore } from '../db/documents';
import type { CentralAnnouncementDetails, ReportAnswer } from '../workflows/centralAnnouncement/contract';

export interface CentralAnnouncementReportInput {
  caseId: string;
  details: CentralAnnouncementDetails;
  answers: ReportAnswer[];
  /** The submission date (Copenhagen), as the workflow saw it. */
  date: string;
}

const day = (d: string) => formatDanishDate(d as PlainDate);

function copenhagenDate(iso: string): string {
  const ms = Date.parse(iso);
  return new Date(ms + euCentralOffsetMinutes(ms) * 60_000).toISOString().slice(0, 10);
}

export const RESERVATION_SENTENCE =
  'Afrapporteringen fremsendes med forbehold for politisk godkendelse i de enkelte kommunalbestyrelser i Syddanmark. Sekretariatet orienterer styrelsen, hvis en kommunalbestyrelse ikke godkender afrapporteringen.';

export function centralAnnouncementReportText(input: CentralAnnouncementReportInput): string {
  const d = input.details;
  const a = d.announcement;
  const draft = d.drafts[d.drafts.length - 1];
  const answered = input.answers.filter((x) => x.answer);
  const missing = input.answers.filter((x) => !x.answer);
  const lines = [
    `Til ${a.issuedBy}`,
    '',
    `KKR Syddanmarks afrapportering på den centrale udmelding om ${a.title}`,
    `Dato: ${day(input.date)}`,
    `Sagsnummer: ${input.caseId}`,
    '',
    'Den centrale udmelding',
    `${a.issuedBy} udmeldte ${day(a.announcementDate)} en central udmelding til landets kommunalbestyrelser. Afrapporteringen sker i regi af rammeaftalen og er derfor behandlet i KKR Syddanmark.`,
    `Målgruppe: ${a.targetGroup}`,
    '',
    'Afrapportering',
    draft ? draft.text : '(intet udkast registreret)',
    '',
    'Grundlag: indsamlede oplysninger',
    ...answered.map((x) => {
      const ans = x.answer!;
      const when = x.answeredAt ? `, modtaget ${day(copenhagenDate(x.answeredAt))}${x.late ? ' (efter fristen)' : ''}` : '';
      const att = ans.attachmentNames?.length ? `\n  Bilag: ${ans.attachmentNames.join(', ')}` : '';
      return `- ${x.name}${when}: ${ans.text}${att}`;
    }),
    ...(missing.length ? [`- Intet svar fra: ${missing.map((x) => x.name).join(', ')}`] : []),
    '',
    'Politisk behandling',
    ...d.decisions.map((x) => `- ${x.bodyName}: ${x.outcomeLabel} (${day(x.meetingDate)})${x.note ? `. ${x.note}` : ''}`),
    ...(input.details.withReservation ? ['', 'Forbehold', RESERVATION_SENTENCE] : []),
    '',
    'Med venlig hilsen',
    'KKR Syddanmark, sekretariatet',
  ];
  return lines.join('\n');
}

const centralAnnouncementReport = (input: CentralAnnouncementReportInput): CaseDocument => ({
  name: `Syddansk afrapportering – ${input.details.announcement.title.replace(/[\\/:*?"<>|]+/g, '-')}.txt`,
  mediaType: 'text/plain; charset=utf-8',
  content: centralAnnouncementReportText(input),
});

export function createCentralAnnouncementActivities(documents: DocumentStore) {
  return {
    /** Histories before `documents-by-reference`: the report's content travels through the workflow. */
    async renderCentralAnnouncementReport(input: CentralAnnouncementReportInput): Promise<CaseDocument> {
      return centralAnnouncementReport(input);
    },

    /** The report rendered and kept in the document store; the workflow holds the reference. */
    async keepCentralAnnouncementReport(input: CentralAnnouncementReportInput): Promise<DocumentRef> {
      return documents.keep(input.caseId, centralAnnouncementReport(input));
    },
  };
}
