/**
 * What the central-announcement procedure writes to people: the requests to the parties and the councils, the
 * e-mail that carries the report to the board, and the reminders and escalations to the secretariat. Plain
 * functions of the case's facts, so the texts are read and changed here, not inside the flow.
 */
import { formatDanishDate } from '../../domain/calendar/format';
import type { PlainDate } from '../../domain/calendar/plainDate';
import type { AnnouncementInfo, CentralAnnouncementInput } from './contract';

/** A deadline as the case page, the journal and the e-mails name it. */
export interface DueDate {
  dueDate: string;
  wording: string;
  reason?: string;
}

export const fmt = (d: string): string => formatDanishDate(d as PlainDate);

/** "lørdag 1. juli 2023 ("…wording…"); why it moved". */
export const describeDue = (d: DueDate): string => `${fmt(d.dueDate)} ("${d.wording}")${d.reason ? `; ${d.reason}` : ''}`;

/** Steps 1-2: the named parties are asked for their contribution to the report. */
export const collectionNotice = (input: CentralAnnouncementInput, submissionDueDate: string) => {
  const a = input.announcement;
  return {
    procedure: 'centralAnnouncement',
    subject: (k: string) => (k === 'invitation' ? `Central udmelding om ${a.title}: bidrag til den syddanske afrapportering` : `Påmindelse: bidrag til afrapportering om ${a.title}`),
    heading: `Bidrag til KKR Syddanmarks afrapportering på den centrale udmelding om ${a.title}`,
    paragraphs: [
      `${a.issuedBy} udmeldte ${fmt(a.announcementDate)} en central udmelding om ${a.title} til landets kommunalbestyrelser. Afrapporteringen sker i regi af rammeaftalen og behandles derfor i KKR Syddanmark.`,
      `Målgruppe: ${a.targetGroup}`,
      input.request,
      `Jeres svar indgår i udkastet til afrapportering, som behandles i Socialdirektørforum, K22 og KKR Syddanmark og sendes til ${a.issuedBy} senest ${fmt(submissionDueDate)}.`,
    ],
    facts: [
      { label: 'Udmeldt af', value: a.issuedBy },
      { label: 'Udmeldt', value: fmt(a.announcementDate) },
    ],
  };
};

/** Step 8: the e-mail that carries the report to the board. */
export const submissionEmail = (input: CentralAnnouncementInput, caseId: string, late: boolean, due: DueDate) => {
  const a = input.announcement;
  return {
    subject: `Syddansk afrapportering på den centrale udmelding: ${a.title}`,
    body:
      `Hermed fremsendes KKR Syddanmarks afrapportering på den centrale udmelding om ${a.title}, udmeldt ${fmt(a.announcementDate)}. Afrapporteringen er vedhæftet.` +
      (input.reservation ? ' Afrapporteringen fremsendes med forbehold for politisk godkendelse i de enkelte kommunalbestyrelser.' : '') +
      (late ? ` Afrapporteringen fremsendes efter fristen ${fmt(due.dueDate)}.` : '') +
      ` KKR Syddanmarks sagsnummer: ${caseId}.`,
  };
};

/** The secretariat is reminded of the board's date before it and on the day. */
export const submissionReminder = (a: AnnouncementInfo, due: DueDate, stage: string) => ({
  subject: `Påmindelse: afrapporteringen om ${a.title} skal indsendes senest ${fmt(due.dueDate)}`,
  heading: `Afrapporteringen er endnu ikke indsendt til ${a.issuedBy}`,
  paragraphs: [`Sagen står i fasen "${stage}".`, `Frist: ${describeDue(due)}.`],
});

/** The board's date passed without a submission: the secretariat is told at once. */
export const submissionEscalation = (a: AnnouncementInfo, due: DueDate, stage: string, caseId: string) => ({
  subject: `Eskalering: afrapporteringen om ${a.title} er ikke indsendt (${caseId})`,
  heading: `Fristen for indsendelse til ${a.issuedBy} er overskredet`,
  paragraphs: [
    `Afrapporteringen skulle være indsendt senest ${fmt(due.dueDate)}. Sagen står i fasen "${stage}".`,
    `Sagen forbliver åben, så afrapporteringen kan indsendes for sent; ${a.issuedBy} bør orienteres om forsinkelsen.`,
  ],
});

/** KKR rejected the report: the secretariat is asked to tell the board that none comes from Syddanmark. */
export const rejectionNotice = (a: AnnouncementInfo, caseId: string, submissionDueDate: string) => ({
  subject: `KKR Syddanmark har afvist afrapporteringen om ${a.title} (${caseId})`,
  heading: 'Der indsendes ingen syddansk afrapportering',
  paragraphs: [`${a.issuedBy} venter afrapporteringer fra alle fem rammeaftalesekretariater senest ${fmt(submissionDueDate)} og bør orienteres om, at Syddanmark ikke indsender en afrapportering.`],
});

/** Step 9: the councils are asked to approve the report submitted with the reservation. */
export const ratificationNotice = (a: AnnouncementInfo, submittedOn: string) => ({
  procedure: 'centralAnnouncement',
  subject: (k: string) => (k === 'invitation' ? `Politisk godkendelse: afrapportering om ${a.title}` : `Påmindelse: politisk godkendelse af afrapportering om ${a.title}`),
  heading: `Afrapporteringen om ${a.title} er indsendt med forbehold for politisk godkendelse`,
  paragraphs: [
    `KKR Syddanmark har godkendt afrapporteringen, og den er sendt til ${a.issuedBy} ${fmt(submittedOn)} med forbehold for politisk godkendelse i de enkelte kommunalbestyrelser.`,
    'Meld venligst tilbage, når kommunalbestyrelsen har behandlet afrapporteringen, med dato for mødet.',
  ],
});
