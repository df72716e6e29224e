/** Small helpers the integration tests share: dates relative to today, HTML text, and a central-announcement case. */
import { randomUUID } from 'node:crypto';
import type { Harness } from './harness';
import { addDays, copenhagenToday, danishCalendar, parsePlainDate } from '../../domain/calendar';

/** Today in Copenhagen, the day the deadlines and filters read (UTC's date differs around midnight). */
const today = () => parsePlainDate(copenhagenToday());

/** 'YYYY-MM-DD', `offset` calendar days from today in Copenhagen. It may fall on a weekend or a holiday: a test
 * whose assertion depends on the kind of day uses `workingDay` instead. */
export const isoDay = (offset: number): string => addDays(today(), offset);

/** The working day `n` working days from today in Copenhagen (n < 0: before), never moved by a deadline rule. */
export const workingDay = (n: number): string => danishCalendar.addWorkingDays(today(), n);

/** The page's text with the escaped characters (&#34; …) read back, for assertions on Danish text. */
export const unescapeHtml = (html: string) => html.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));

/** The input of a central announcement that waits for answers from `parties` (collection due in 21 days unless given). */
export function centralAnnouncementInput(title: string, parties: string[], opts: { announced?: string; collectionDue?: string; alreadyUnderway?: boolean } = {}) {
  return {
    title,
    targetGroup: 'Børn og unge med høretab, der bruger tegnsprog',
    announcementDate: opts.announced ?? isoDay(-1),
    request: 'Beskriv jeres indsats og samarbejdet med kommunikationscentret.',
    collectionPartyIds: parties,
    collectionDeadline: { wording: 'senest den angivne dato', nominalDate: opts.collectionDue ?? isoDay(21) },
    submissionDeadline: { wording: 'senest om et halvt år', nominalDate: isoDay(180) },
    withReservation: false,
    boardEmail: 'udmelding@sbst.example',
    ...(opts.alreadyUnderway ? { alreadyUnderway: true } : {}),
  };
}

/** Starts one through the JSON API as the harness's secretariat client; its case number. */
export async function startCentralAnnouncement(h: Harness, title: string, parties: string[], opts: { announced?: string; collectionDue?: string; alreadyUnderway?: boolean } = {}): Promise<string> {
  const res = await h.fetch(`${h.baseUrl}/api/v1/cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ procedure: 'centralAnnouncement', requestId: randomUUID(), input: centralAnnouncementInput(title, parties, opts) }),
  });
  if (res.status !== 201) throw new Error(`start: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { caseId: string }).caseId;
}
