/** The 2023 central announcement on braille (punktskriftindsatser) as the secretariat enters it in the form, shared by
 * the calendar walk (test/procedures/centralAnnouncement.calendar.test.ts) and the workflow tests of its other
 * routes (test/workflows/centralAnnouncement.test.ts). */

export const BOARD = 'centraleudmeldinger@sbst.example';
export const SECRETARIAT = 'sekretariat@kkr-test.example';
export const mailOf = (town: string) => `sagsbehandler@${town}.kommune.example`;

/** What the secretariat enters in the form (rules left to the form's defaults unless said). */
export function form(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Børn og unge med alvorlig synsnedsættelse (punktskriftindsatser)',
    targetGroup:
      '"børn og unge med alvorlig synsnedsættelse og deraf manglende læsesyn … isoleret synsnedsættelse og således uden yderlige funktionsnedsættelser"',
    announcementDate: '2022-09-27',
    request:
      'Tema 1: Hvordan koordineres indsatsen for målgruppen i dag, herunder overgange og formelle aftaler? Tema 2: Hvilke udfordringer og forslag ser I til den fremtidige organisering?',
    // The communication centres' host municipalities: Esbjerg (Pædagogisk Enhed), Odense (CKV), Aabenraa
    // (Hjernecenter Syd og Tale, Høre, Syn), Kolding and Vejle (CSV Vejle/Kolding).
    collectionPartyIds: ['561', '461', '580', '621', '630'],
    collectionDeadline: { wording: 'senest fredag den 25. november 2022', nominalDate: '2022-11-25' },
    // The secretariat chooses "flyttes ikke" for the board's date (the form's default is the working day before).
    submissionDeadline: { wording: 'Deadline for indsendelse af rapporten til Social- og Boligstyrelsen er den 1. juli 2023', nominalDate: '2023-07-01', rule: 'noShift' },
    withReservation: true,
    ratificationDeadline: { wording: 'senest fredag den 29. september 2023', nominalDate: '2023-09-29' },
    boardEmail: BOARD,
    ...overrides,
  };
}
