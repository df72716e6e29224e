/**
 * What the closure procedure writes to people: the notices to the municipalities, the orientations of
 * Forretningsudvalget, the deadline and reminders to the operator and the escalation to the secretariat. Plain
 * functions of the case's facts, so the texts are read and changed here, not inside the flow.
 */
import { formatDanishDate } from '../../domain/calendar/format';
import type { PlainDate } from '../../domain/calendar/plainDate';
import type { DeadlinePoint } from '../../contracts/deadlines';
import type { ClosureInput, ClosureNoticePlan } from './contract';

export const fmt = (d: string): string => formatDanishDate(d as PlainDate);

/** The case a text is about: its number and the start input (tilbud, operator, reason). */
export interface ClosureCase {
  caseId: string;
  input: ClosureInput;
}

const ordinaryOf = (k: ClosureCase) => k.input.classification === 'closure';
const caseFacts = (k: ClosureCase) => [{ label: 'Sagsnummer', value: k.caseId }];

/** Step 0: "tidligst muligt informere handlekommuner og betalingskommuner om mulig lukning" (002:1657-1659). */
export const possibleClosureNotice = (k: ClosureCase) => ({
  subject: `Mulig lukning af ${k.input.tilbudName}`,
  content: {
    heading: `${k.input.operator.name} overvejer at lukke ${k.input.tilbudName}`,
    paragraphs: [
      `Driftsherren skal tidligst muligt informere handlekommuner og betalingskommuner om en mulig lukning (Rammeaftalens bilag 5). Begrundelse: ${k.input.reason}`,
      'Lukningen høres i Socialdirektørforum, før der træffes beslutning. I får særskilt besked, når lukningen er besluttet, med opsigelsesvarsel og betalingsperiode.',
    ],
    facts: caseFacts(k),
  },
});

/** Step 1: "Driftsherre orienterer Forretningsudvalget hurtigst muligt vedrørende lukning af et tilbud" (002:1940). */
export const fuOrientation = (k: ClosureCase) => {
  const ordinary = ordinaryOf(k);
  const tilbud = k.input.tilbudName;
  return {
    subject: `Orientering: ${ordinary ? 'lukning' : 'myndighedslukning'} af ${tilbud}`,
    content: {
      heading: `Orientering om ${ordinary ? 'lukning' : 'lukning efter myndighedsafgørelse'} af ${tilbud}`,
      paragraphs: [
        `${k.input.operator.name} orienterer Forretningsudvalget om ${ordinary ? 'lukning' : 'lukningen'} af ${tilbud} (Rammeaftalens bilag 5, procedure for lukkeregnskab, pkt. 1). Begrundelse: ${k.input.reason}`,
        ordinary
          ? 'Lukningen høres i Socialdirektørforum før beslutningen. Det foreløbige lukkeregnskab sendes til Forretningsudvalget senest 3 måneder efter beslutningen.'
          : 'Tilbuddet lukkes af Socialtilsynet eller anden offentlig myndighed: der sker ingen efterregulering, og et eventuelt underskud påhviler alene driftsherren.',
      ],
      facts: caseFacts(k),
    },
  };
};

/** Steps 2-3: the hearing in SDF, announced to every municipality of the region and other user municipalities. */
export const hearingNotice = (k: ClosureCase) => ({
  subject: `Høring i Socialdirektørforum: lukning af ${k.input.tilbudName}`,
  content: {
    heading: `${k.input.operator.name} ønsker at lukke ${k.input.tilbudName}`,
    paragraphs: [
      `Lukningen høres i Socialdirektørforum og meddeles alle kommuner i Syddanmark og eventuelle andre brugerkommuner (Rammeaftalens bilag 4, tabel 4.1).`,
      `Begrundelse: ${k.input.reason}`,
    ],
    facts: caseFacts(k),
  },
});

/** Step 5: the written notice to each handlekommune, "løbende måned plus to måneder" (002:2155-2160, 2173). */
export const closureNotice = (k: ClosureCase, decision: { decisionDate: string; closingDate: string }, notice: ClosureNoticePlan) => {
  const tilbud = k.input.tilbudName;
  return {
    subject: `Meddelelse om lukning af ${tilbud}: betaling til og med ${fmt(notice.paidThrough)}`,
    content: {
      heading: `${tilbud} lukker`,
      paragraphs: [
        ordinaryOf(k)
          ? `${k.input.operator.name} har ${fmt(decision.decisionDate)} besluttet at lukke ${tilbud} pr. ${fmt(decision.closingDate)}.`
          : `${tilbud} lukkes efter afgørelse af Socialtilsynet eller anden offentlig myndighed (${fmt(decision.decisionDate)}) pr. ${fmt(decision.closingDate)}.`,
        `Denne meddelelse er den skriftlige opsigelse til handlekommunerne efter Rammeaftalens bilag 6 ("Udbyder meddeler handlekommunerne når tilbuddet besluttes lukket. Dog gælder løbende måned plus to måneder"). Opsigelsen er givet ${fmt(notice.noticeDate)}; varslet er ${notice.readingText}, så tidligste ophør er ${fmt(notice.minimumEnd)}.`,
        `Kommunen betaler for sine borgere til og med ${fmt(notice.paidThrough)}. Der kan kun opkræves betaling, indtil pladsen overtages af en ny borger.`,
      ],
      facts: [...caseFacts(k), { label: 'Lukkedato', value: fmt(decision.closingDate) }, { label: 'Betaling til og med', value: fmt(notice.paidThrough) }],
    },
  };
};

/** Step 6: the deadline for the provisional account, to the operator. */
export const provisionalAccountDeadline = (k: ClosureCase, decisionDate: string, dueDate: string) => ({
  subject: `Frist for foreløbigt lukkeregnskab for ${k.input.tilbudName}: ${fmt(dueDate)}`,
  content: {
    heading: `Foreløbigt lukkeregnskab for ${k.input.tilbudName}`,
    paragraphs: [
      `Lukningen er besluttet ${fmt(decisionDate)}. Driftsherren udarbejder et foreløbigt lukkeregnskab med de forventede udgifter og en eventuel fordeling af dem på betalingskommunerne; det sendes til orientering i Forretningsudvalget og derefter til de berørte kommuner (Rammeaftalens bilag 5).`,
    ],
    facts: caseFacts(k),
  },
});

export const provisionalAccountReminder = (k: ClosureCase, p: DeadlinePoint, dueDate: string) => ({
  subject: `Påmindelse: foreløbigt lukkeregnskab for ${k.input.tilbudName} senest ${fmt(dueDate)}`,
  content: {
    heading: `Det foreløbige lukkeregnskab for ${k.input.tilbudName} er endnu ikke modtaget`,
    paragraphs: [
      p.kind === 'due' ? 'Fristen udløber i dag.' : `Der er ${p.workingDaysBefore} ${p.workingDaysBefore === 1 ? 'arbejdsdag' : 'arbejdsdage'} til fristen.`,
      'Regnskabet skal indeholde de forventede udgifter og en eventuel fordeling af dem på betalingskommunerne (Rammeaftalens bilag 5).',
    ],
    facts: caseFacts(k),
  },
});

export const provisionalAccountEscalation = (k: ClosureCase, deadline: { wording: string; dueDate: string }, decisionDate: string) => ({
  subject: `Eskalering: foreløbigt lukkeregnskab for ${k.input.tilbudName} mangler (${k.caseId})`,
  heading: `${k.input.operator.name} har ikke indsendt det foreløbige lukkeregnskab for ${k.input.tilbudName}`,
  paragraphs: [
    `Fristen "${deadline.wording}" udløb ${fmt(deadline.dueDate)} (beslutning om lukning ${fmt(decisionDate)}).`,
    'Kontakt driftsherren, eller forlæng fristen i sagen med en begrundelse.',
  ],
});

/** "sendes til orientering til Forretningsudvalget" (002:1943-1944). */
export const provisionalAccountToFu = (k: ClosureCase, revision: number) => ({
  subject: `Til orientering: foreløbigt lukkeregnskab for ${k.input.tilbudName}`,
  content: {
    heading: `Foreløbigt lukkeregnskab for ${k.input.tilbudName}${revision > 1 ? ` (version ${revision})` : ''}`,
    paragraphs: [`${k.input.operator.name} sender hermed det foreløbige lukkeregnskab til orientering (Rammeaftalens bilag 5, procedure for lukkeregnskab, pkt. 2). Regnskabet er vedhæftet.`],
    facts: caseFacts(k),
  },
});

/** Step 7: to the affected municipalities after FU (002:1951-1952). */
export const provisionalAccountToMunicipalities = (k: ClosureCase) => ({
  subject: `Foreløbigt lukkeregnskab for ${k.input.tilbudName}`,
  content: {
    heading: `Foreløbigt lukkeregnskab for ${k.input.tilbudName}`,
    paragraphs: [
      `Det foreløbige lukkeregnskab har været behandlet i Forretningsudvalget og sendes hermed til de berørte kommuner (Rammeaftalens bilag 5). Regnskabet med den forventede fordeling er vedhæftet.`,
      'Frem til det endelige lukkeregnskab foreligger, orienterer driftsherren om væsentlige ændringer.',
    ],
    facts: caseFacts(k),
  },
});

/** Step 8: a material change to the provisional account, to FU and the affected municipalities (002:1954-1955). */
export const materialChangeNotice = (k: ClosureCase, text: string) => ({
  subject: `Væsentlig ændring af det foreløbige lukkeregnskab for ${k.input.tilbudName}`,
  content: {
    heading: `Væsentlig ændring af det foreløbige lukkeregnskab for ${k.input.tilbudName}`,
    paragraphs: [`${k.input.operator.name} orienterer om en væsentlig ændring af det foreløbige lukkeregnskab (Rammeaftalens bilag 5, procedure for lukkeregnskab, pkt. 4):`, text],
    facts: caseFacts(k),
  },
});

/** Step 11: to the affected municipalities after SDF (002:1959-1960). */
export const finalAccountToMunicipalities = (k: ClosureCase) => ({
  subject: `Endeligt lukkeregnskab for ${k.input.tilbudName}`,
  content: {
    heading: `Endeligt lukkeregnskab for ${k.input.tilbudName}`,
    paragraphs: ['Det endelige lukkeregnskab har været behandlet i Socialdirektørforum og sendes hermed til de berørte kommuner (Rammeaftalens bilag 5). Regnskabet er vedhæftet.'],
    facts: caseFacts(k),
  },
});
