/**
 * What the capacity-change procedure writes to people: the report deadline and its reminders to the driftsherre
 * and the secretariat, the notice to all municipalities (and its outcome), the orientation of Forretningsudvalget
 * and the register's update. Plain functions of the case's facts, so the texts are read and changed here, not
 * inside the flow.
 */
import type { CapacityChangeClassification } from '../../domain/capacityChange';
import { formatDanishDate } from '../../domain/calendar/format';
import type { PlainDate } from '../../domain/calendar/plainDate';
import { ROUTE_LABELS, type CapacityChangeDetails, type CapacityChangeInput } from './contract';

export const danishDate = (d: string) => formatDanishDate(d as PlainDate);
export const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

const caseFact = (caseId: string) => ({ label: 'Sagsnummer', value: caseId });
const justificationLines = (details: CapacityChangeDetails) => details.justifications.map((j) => `${j.requirement} ${j.text}`);

/** To the driftsherre when the report deadline is set. */
export const reportDeadlineNotice = (input: CapacityChangeInput, cls: CapacityChangeClassification, dueDate: string, caseId: string) => {
  const subject = `Kapacitetsændring for ${input.tilbud.name}: indberetning senest ${danishDate(dueDate)}`;
  return {
    subject,
    content: {
      heading: subject,
      paragraphs: [cls.description, 'Indberetningen registreres i sagen af driftsherren eller sekretariatet.'],
      facts: [caseFact(caseId)],
      link: { url: input.caseUrl, label: 'Se sagen og indberet' },
    },
  };
};

/** A reminder of the report deadline (to the driftsherre and the secretariat alike). */
export const reportReminder = (input: CapacityChangeInput, kind: 'reminder' | 'due', dueDate: string) => {
  const dueText = danishDate(dueDate);
  return {
    subject: `${kind === 'due' ? 'Sidste frist i dag' : 'Påmindelse'}: indberetning af kapacitetsændring for ${input.tilbud.name} senest ${dueText}`,
    paragraphs: [
      `Kapacitetsændringen for ${input.tilbud.name} (${input.currentPlaces} → ${input.newPlaces} pladser, i kraft ${danishDate(input.effectiveDate)}) er endnu ikke indberettet.`,
      'Ændringerne skal indberettes senest ifm. den politiske behandling i kommunerne – dog senest 3 måneder før, ændringerne konkret sker (Rammeaftalens bilag 4).',
    ],
  };
};

/** The reminder as the driftsherre's e-mail content. */
export const reportReminderContent = (input: CapacityChangeInput, reminder: { subject: string; paragraphs: string[] }, caseId: string) => ({
  heading: reminder.subject,
  paragraphs: reminder.paragraphs,
  facts: [caseFact(caseId)],
  link: { url: input.caseUrl, label: 'Se sagen og indberet' },
});

/** To the secretariat when the report is overdue past the escalation point. */
export const reportEscalation = (input: CapacityChangeInput, dueDate: string, caseId: string) => {
  const subject = `Eskalering: kapacitetsændring for ${input.tilbud.name} er ikke indberettet (${caseId})`;
  return { subject, heading: subject, paragraphs: [`Fristen ${danishDate(dueDate)} er overskredet, og ${input.operator.name} har ikke indberettet ændringen.`] };
};

/** "Meddeles alle kommuner i Syddanmark og eventuelle andre brugerkommuner" (002:1564-1565); a later round is
 * the revised proposal. */
export const broadcastNotice = (input: CapacityChangeInput, cls: CapacityChangeClassification, details: CapacityChangeDetails, revised: boolean, caseId: string) => ({
  subject: `${revised ? 'Revideret: ' : ''}${ROUTE_LABELS[cls.route]} – ${input.tilbud.name} (${input.operator.name})`,
  content: {
    heading: `${ROUTE_LABELS[cls.route]}: ${input.tilbud.name}`,
    paragraphs: [
      `${input.operator.name} ${input.kind === 'newTilbud' ? 'opretter' : 'ændrer'} ${input.tilbud.name}${input.tilbud.targetGroup ? ` (målgruppe: ${input.tilbud.targetGroup})` : ''}. ${cls.description}`,
      ...justificationLines(details),
      `Ændringen træder efter planen i kraft ${danishDate(input.effectiveDate)}.`,
      'Meddelelsen sendes til alle kommuner i Syddanmark, Region Syddanmark og eventuelle andre brugerkommuner, jf. Rammeaftalens bilag 4, tabel 4.1.',
    ],
    facts: [caseFact(caseId), { label: 'Driftsherre', value: input.operator.name }, { label: 'Pladser', value: `${input.currentPlaces} → ${input.newPlaces} (${signed(cls.delta)})` }],
    link: { url: input.caseUrl, label: 'Se sagen' },
  },
});

/** What everyone who was told of the proposal hears when it will not take effect. */
export const rejectedBySdfOutcome = (input: CapacityChangeInput, sdf: string) => ({
  subject: 'Nyt regionalt tilbud ikke godkendt',
  text: `${sdf} har ikke godkendt ${input.tilbud.name}. Tilbuddet oprettes ikke, og intet registreres.`,
});
export const notAdoptedOutcome = (input: CapacityChangeInput, meetingDate: string) => ({
  subject: 'Kapacitetsændring ikke vedtaget',
  text: `${input.operator.name} har ikke vedtaget ændringen af ${input.tilbud.name} (møde ${danishDate(meetingDate)}). Pladsantallet er uændret.`,
});

export const outcomeNotice = (input: CapacityChangeInput, outcome: { subject: string; text: string }, caseId: string) => ({
  subject: `${outcome.subject} – ${input.tilbud.name} (${input.operator.name})`,
  content: { heading: outcome.subject, paragraphs: [outcome.text], facts: [caseFact(caseId)], link: { url: input.caseUrl, label: 'Se sagen' } },
});

/** Forretningsudvalget is oriented of a reduction; the orientation decides nothing. */
export const fuOrientation = (input: CapacityChangeInput, cls: CapacityChangeClassification, details: CapacityChangeDetails) => {
  const subject = `Orientering: ${ROUTE_LABELS[cls.route].toLowerCase()} – ${input.tilbud.name} (${input.operator.name})`;
  return {
    subject,
    heading: subject,
    paragraphs: [`Forretningsudvalget orienteres, jf. Rammeaftalens bilag 4, tabel 4.1. Orienteringen kræver ingen beslutning. ${cls.description}`, ...justificationLines(details)],
    facts: [{ label: 'Ikrafttræden', value: danishDate(input.effectiveDate) }],
  };
};

/** To the secretariat (the catalogue) when the register has the permanent change. */
export const registeredNotice = (input: CapacityChangeInput, r: { oldPlaces: number; newPlaces: number }, reason: string) => ({
  subject: `Kapacitetsregistret opdateret: ${input.tilbud.name}`,
  heading: `${input.tilbud.name} (${input.operator.name}): ${r.oldPlaces} → ${r.newPlaces} faste pladser fra ${danishDate(input.effectiveDate)}`,
  paragraphs: [reason],
});
