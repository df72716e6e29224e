import type { CentralAnnouncementWorkflow } from '../../workflows/centralAnnouncement/contract';
import { z } from 'zod';
import { StartRefusal, type ProcedureDefinition } from './types';
import { centralAnnouncementAnswers, centralAnnouncementSteps, type CentralAnnouncementInput } from '../../workflows/centralAnnouncement/contract';
import type { DeadlineRule } from '../../domain/calendar/deadline';
import { DEADLINE_RULES, makeDeadline } from '../../domain/calendar/deadline';
import { formatDanishDate } from '../../domain/calendar/format';
import { plainDateField } from '../../domain/calendar/schemas';
import { reminderLadderSchema } from '../../domain/calendar/reminders';
import { html } from '../views/html';
import { deadlineOf, meetingsBefore } from './previewHelpers';
import { copenhagenToday } from '../../domain/calendar/timeZone';
import { addDays, addMonths, type PlainDate } from '../../domain/calendar/plainDate';
import { HOME_REGION } from '../../domain/region';

const REGION = HOME_REGION;

const text = (field: string, label: string, min: number, max: number) =>
  z
    .string({ error: `Feltet "${field}" (${label}) skal være en tekst` })
    .trim()
    .min(min, { error: `Feltet "${field}" (${label}) skal være mindst ${min} tegn` })
    .max(max, { error: `Feltet "${field}" (${label}) må højst være ${max.toLocaleString('da-DK')} tegn` });

/** A deadline as the secretariat enters it: the literal wording, the date it names and the rule. The default
 * rule differs per deadline, so the form starts from the careful reading of each. */
const deadlineField = (field: string, label: string, defaultRule: DeadlineRule) =>
  z.object(
    {
      wording: text(`${field}.wording`, `${label}: fristens ordlyd`, 1, 500),
      rule: z
        .enum(DEADLINE_RULES, {
          error: `Feltet "${field}.rule" (${label}) skal være "generalShift" (almindelig fristregel), "noShift" (fastsat dato) eller "backwardShift" (baglæns regnet frist)`,
        })
        .default(defaultRule),
      nominalDate: plainDateField(`${field}.nominalDate`, `${label}: datoen i fristens ordlyd`),
    },
    { error: `Feltet "${field}" (${label}) skal angives med ordlyd (wording), dato (nominalDate) og regel (rule)` },
  );

export const centralAnnouncementInputSchema = z
  .object({
    title: text('title', 'udmeldingens titel', 5, 200),
    targetGroup: text('targetGroup', 'målgruppen som udmeldt', 10, 5000),
    issuedBy: text('issuedBy', 'udmeldt af', 2, 200).default('Social- og Boligstyrelsen'),
    announcementDate: plainDateField('announcementDate', 'udmeldingens dato'),
    request: text('request', 'hvad parterne bedes svare på', 10, 10_000),
    collectionPartyIds: z
      .array(z.string({ error: 'Feltet "collectionPartyIds" (parter i dataindsamlingen) skal være en liste af part-id’er' }).regex(/^[a-z0-9-]+$/, { error: 'Feltet "collectionPartyIds" (parter i dataindsamlingen) indeholder et ukendt part-id' }), {
        error: 'Feltet "collectionPartyIds" (parter i dataindsamlingen) skal være en liste af part-id’er',
      })
      .min(1, { error: 'Feltet "collectionPartyIds" (parter i dataindsamlingen): vælg mindst én part' })
      .max(30, { error: 'Feltet "collectionPartyIds" (parter i dataindsamlingen): højst 30 parter' }),
    collectionDeadline: deadlineField('collectionDeadline', 'frist for dataindsamlingen', 'generalShift'),
    // The board fixes one date for all five rammeaftale secretariats; a careful officer does not count on the
    // general rule moving a weekend date to Monday, and acts on the working day before (the same prudent
    // default as for Udlændingestyrelsen's date in the refugee procedure).
    submissionDeadline: deadlineField('submissionDeadline', 'frist for indsendelse', 'backwardShift'),
    withReservation: z.boolean({ error: 'Feltet "withReservation" (indsendes med forbehold for politisk godkendelse) skal være ja eller nej' }),
    ratificationDeadline: deadlineField('ratificationDeadline', 'frist for kommunalbestyrelsernes godkendelse', 'generalShift').optional(),
    boardEmail: z.email({ error: 'Feltet "boardEmail" (styrelsens e-mailadresse) skal være en gyldig e-mailadresse' }),
    /** The case is registered while already under way (its deadlines may have passed). */
    alreadyUnderway: z.boolean().default(false),
    ladder: reminderLadderSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.collectionDeadline.nominalDate < v.announcementDate)
      ctx.addIssue({ code: 'custom', path: ['collectionDeadline', 'nominalDate'], message: 'Feltet "collectionDeadline.nominalDate" (frist for dataindsamlingen) kan ikke ligge før udmeldingens dato' });
    if (v.submissionDeadline.nominalDate <= v.collectionDeadline.nominalDate)
      ctx.addIssue({ code: 'custom', path: ['submissionDeadline', 'nominalDate'], message: 'Feltet "submissionDeadline.nominalDate" (frist for indsendelse) skal ligge efter fristen for dataindsamlingen' });
    if (v.withReservation && !v.ratificationDeadline)
      ctx.addIssue({ code: 'custom', path: ['ratificationDeadline'], message: 'Feltet "ratificationDeadline" (frist for kommunalbestyrelsernes godkendelse) skal udfyldes, når der indsendes med forbehold' });
    if (v.withReservation && v.ratificationDeadline && v.ratificationDeadline.nominalDate <= v.submissionDeadline.nominalDate)
      ctx.addIssue({ code: 'custom', path: ['ratificationDeadline', 'nominalDate'], message: 'Feltet "ratificationDeadline.nominalDate" (frist for kommunalbestyrelsernes godkendelse) skal ligge efter fristen for indsendelse' });
  });

export type CentralAnnouncementStart = z.infer<typeof centralAnnouncementInputSchema>;

/**
 * A deadline already passed when the case starts would mark every party late at once: refused unless the
 * secretariat says it registers a case already under way (the e-mails then say the deadline has passed).
 */
function refusePassedDeadlines(v: CentralAnnouncementStart, today: string): void {
  if (v.alreadyUnderway) return;
  const fields = (
    [
      ['collectionDeadline', 'Frist for dataindsamlingen'],
      ['submissionDeadline', 'Styrelsens frist for indsendelse'],
    ] as const
  ).flatMap(([key, label]) => {
    const d = v[key];
    const due = makeDeadline({ wording: d.wording, nominalDate: d.nominalDate as PlainDate, rule: d.rule }).dueDate;
    return due < today
      ? [{ field: `${key}.nominalDate`, reason: `${label}: fristen (${formatDanishDate(due)}) er allerede overskredet. Vælg en frist i dag eller senere, eller markér, at sagen allerede er i gang og registreres efterfølgende.` }]
      : [];
  });
  if (fields.length) throw new StartRefusal(fields);
}

export class CentralAnnouncementPartyError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export const centralAnnouncementProcedure: ProcedureDefinition<typeof centralAnnouncementInputSchema, CentralAnnouncementWorkflow> = {
  id: 'centralAnnouncement',
  steps: centralAnnouncementSteps,
  answers: centralAnnouncementAnswers,
  casePrefix: 'CU',
  label: 'Syddansk besvarelse af central udmelding',
  description:
    'Dataindsamling hos de udpegede parter, udkast til afrapportering, behandling i Socialdirektørforum, K22 og KKR Syddanmark og indsendelse til Social- og Boligstyrelsen inden fristen – evt. med forbehold for politisk godkendelse i kommunalbestyrelserne.',
  workflowType: 'centralAnnouncement',
  inputSchema: centralAnnouncementInputSchema,
  caseTitle: (input) => `Central udmelding: ${input.title}`,
  startForm: {
    hints: {
      labels: {
        title: 'Udmeldingens titel',
        targetGroup: 'Målgruppen som udmeldt',
        issuedBy: 'Udmeldt af',
        announcementDate: 'Udmeldingens dato',
        request: 'Hvad parterne bedes svare på',
        collectionPartyIds: 'Parter i dataindsamlingen',
        collectionDeadline: 'Frist for dataindsamlingen',
        'collectionDeadline.wording': 'Fristens ordlyd',
        'collectionDeadline.rule': 'Regel hvis fristen falder på en lørdag, søndag eller helligdag',
        'collectionDeadline.nominalDate': 'Dato',
        submissionDeadline: 'Styrelsens frist for indsendelse',
        alreadyUnderway: 'Sagen er allerede i gang og registreres efterfølgende (fristerne kan være overskredet)',
        'submissionDeadline.wording': 'Fristens ordlyd',
        'submissionDeadline.rule': 'Regel hvis fristen falder på en lørdag, søndag eller helligdag',
        'submissionDeadline.nominalDate': 'Dato',
        withReservation: 'Indsendes med forbehold for politisk godkendelse i kommunalbestyrelserne',
        ratificationDeadline: 'Frist for kommunalbestyrelsernes godkendelse (kun ved forbehold)',
        'ratificationDeadline.wording': 'Fristens ordlyd',
        'ratificationDeadline.rule': 'Regel hvis fristen falder på en lørdag, søndag eller helligdag',
        'ratificationDeadline.nominalDate': 'Dato',
        boardEmail: 'Styrelsens e-mailadresse',
      },
      hints: {
        request: 'Teksten sendes til parterne i dataindsamlingen. Skriv ikke CPR-numre eller borgeres navne.',
        submissionDeadline: 'Styrelsen fastsætter én dato for alle fem rammeaftalesekretariater. Falder den på en lørdag, søndag eller helligdag, regnes fristen forsigtigt til hverdagen før, medmindre du vælger andet.',
      },
      enumLabels: Object.fromEntries(
        ['collectionDeadline.rule', 'submissionDeadline.rule', 'ratificationDeadline.rule'].map((k) => [
          k,
          { generalShift: 'Flyttes til næste hverdag (den almindelige fristregel)', noShift: 'Flyttes ikke (dato fastsat af myndigheden)', backwardShift: 'Flyttes til hverdagen før (forsigtig læsning af en frist, som en anden myndighed har sat)' },
        ]),
      ),
      widgets: { targetGroup: 'textarea', request: 'textarea', collectionPartyIds: 'parties' },
      omit: ['ladder'],
    },
    defaults(today) {
      const t = today as PlainDate;
      return {
        issuedBy: 'Social- og Boligstyrelsen',
        announcementDate: t,
        collectionDeadline: { wording: '', rule: 'generalShift', nominalDate: addDays(t, 28) },
        submissionDeadline: { wording: '', rule: 'noShift', nominalDate: addMonths(t, 6) },
        withReservation: false,
      };
    },
    async preview(input, ctx) {
      const deadlines = [
        { label: 'Dataindsamlingen', deadline: deadlineOf(input.collectionDeadline) },
        { label: 'Indsendelse til styrelsen', deadline: deadlineOf(input.submissionDeadline) },
        ...(input.withReservation && input.ratificationDeadline ? [{ label: 'Kommunalbestyrelsernes godkendelse', deadline: deadlineOf(input.ratificationDeadline) }] : []),
      ];
      const from = input.collectionDeadline.nominalDate > copenhagenToday() ? input.collectionDeadline.nominalDate : copenhagenToday();
      const meetings = await meetingsBefore(ctx.pool, ['SDF', 'K22', 'KKR'], from, deadlines[1]!.deadline.dueDate);
      const { rows } = await ctx.pool.query<{ name: string }>('SELECT name FROM directory_party WHERE party_id = ANY($1) ORDER BY kommunenr NULLS LAST, name', [input.collectionPartyIds]);
      return {
        deadlines,
        tables: [
          { title: 'Parter i dataindsamlingen', head: ['Part'], rows: rows.map((r) => [r.name]) },
          { title: meetings.title, head: meetings.head, rows: meetings.rows, note: 'Behandlingen går Socialdirektørforum → K22 → KKR Syddanmark, efter dataindsamlingen.' },
        ],
        warnings: meetings.warnings,
      };
    },
  },
  async toWorkflowArgs(input, ctx) {
    refusePassedDeadlines(input, ctx.today ?? copenhagenToday());
    const { rows } = await ctx.pool.query<{ party_id: string; name: string }>(
      'SELECT party_id, name FROM directory_party WHERE party_id = ANY($1) ORDER BY kommunenr NULLS LAST, party_id',
      [input.collectionPartyIds],
    );
    if (rows.length !== new Set(input.collectionPartyIds).size) {
      const unknown = input.collectionPartyIds.filter((id) => !rows.some((r) => r.party_id === id));
      throw new CentralAnnouncementPartyError('collectionPartyIds', `Findes ikke i adressebogen: ${unknown.join(', ')}`);
    }
    let reservation: CentralAnnouncementInput['reservation'];
    if (input.withReservation) {
      // The councils that ratify are the region's municipal councils (kommunalbestyrelser), not the Region;
      // fixed when the case starts, so the case shows from day one whom the reservation concerns.
      const councils = await ctx.pool.query<{ party_id: string; name: string }>(
        "SELECT party_id, name FROM directory_party WHERE region = $1 AND kind = 'municipality' ORDER BY kommunenr",
        [REGION],
      );
      if (councils.rows.length === 0) throw new CentralAnnouncementPartyError('withReservation', `Adressebogen har ingen kommuner i ${REGION}`);
      reservation = {
        councils: councils.rows.map((r) => ({ partyId: r.party_id, name: r.name })),
        ratificationDeadline: input.ratificationDeadline!,
      };
    }
    const args: CentralAnnouncementInput = {
      announcement: { title: input.title, targetGroup: input.targetGroup, issuedBy: input.issuedBy, announcementDate: input.announcementDate },
      request: input.request,
      collectionParties: rows.map((r) => ({ partyId: r.party_id, name: r.name })),
      deadlines: { collection: input.collectionDeadline, submission: input.submissionDeadline },
      ladder: input.ladder,
      reservation,
      boardEmail: input.boardEmail,
      startedBy: ctx.actor,
    };
    return [args];
  },
};
