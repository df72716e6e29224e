/**
 * What the orientation writes: the e-mail to every party. A plain function of the case's facts, so the text is
 * read and changed here, not inside the flow.
 */
import type { OrientationInput } from './contract';

export const orientationNotice = (input: OrientationInput, caseId: string) => ({
  subject: `Orientering: ${input.title}`,
  content: {
    heading: input.title,
    paragraphs: [input.message, 'Orienteringen sendes til alle kommuner i Syddanmark og Region Syddanmark, jf. Rammeaftalens bilag 4, tabel 4.1.'],
    facts: [{ label: 'Sagsnummer', value: caseId }],
    link: { url: input.caseUrl, label: 'Se sagen' },
  },
});
