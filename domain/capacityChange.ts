/**
 * Classification of a change of capacity under Rammeaftale 2023-2024, Bilag 4, Tabel 4.1 (002:1512-1654;
 * rammeaftale.md §3): which route the change takes, which forum step it needs, who is told, which
 * justifications the template requires, and by when it must be reported.
 *
 * Readings (rammeaftale.md §3.5 and §20):
 * - the free limit is computed from `currentPlaces`, the places reported to the Rammeaftale, and Δ is the
 *   net change against them; the caller passes the period baseline if changes are cumulated.
 * - "+/- 10 %" above 50 places is rounded down by default (55 → 5), which sends borderline changes to the
 *   forum; configurable.
 * - the 3-month reporting rule applies to every change that is not free; whether free changes must be
 *   reported is unstated, so by default they get no report deadline (configurable).
 * - "Forretningsudvalget" is read as Socialdirektørforum's forretningsudvalg (003:1121-1123).
 * - The report deadline "dog senest 3 måneder før, ændringerne konkret sker" is counted backwards from the
 *   effective date; moving a non-working day forward would leave less than three months, so it moves to the
 *   previous working day (rule "backwardShift"). The political treatment is a fixed meeting date ("noShift").
 */
import { z } from 'zod';
import {
  danishCalendar,
  formatDanishDate,
  makeDeadline,
  plainDateField,
  subtractMonths,
  type Deadline,
  type DeadlineRule,
  type WorkingDayCalendar,
} from './calendar';

export const OPERATOR_TYPES = ['municipal', 'regional'] as const;
export const CAPACITY_CHANGE_KINDS = ['adjust', 'newTilbud', 'closure'] as const;

export type OperatorType = (typeof OPERATOR_TYPES)[number];
export type CapacityChangeKind = (typeof CAPACITY_CHANGE_KINDS)[number];
export type CapacityRoute = 'free' | 'expansion' | 'reduction' | 'newTilbud' | 'closure';
export type ForumStep = 'none' | 'statement' | 'orientation' | 'hearing' | 'approval';
export type ForumBody = 'SDF' | 'FU';
export type FreeLimitRounding = 'floor' | 'round' | 'ceil';

const MAX_PLACES = 100_000;

const placesField = (field: string, label: string) =>
  z
    .int({ error: `Feltet "${field}" (${label}) skal være et helt antal pladser` })
    .min(0, { error: `Feltet "${field}" (${label}) må ikke være negativt` })
    .max(MAX_PLACES, { error: `Feltet "${field}" (${label}) må højst være ${MAX_PLACES}` });

export const capacityChangeInputSchema = z
  .object(
    {
      operatorType: z.enum(OPERATOR_TYPES, {
        error: 'Feltet "operatorType" (driftsherre) skal være "municipal" (kommune) eller "regional" (Region Syddanmark)',
      }),
      kind: z.enum(CAPACITY_CHANGE_KINDS, {
        error: 'Feltet "kind" (ændringens art) skal være "adjust" (ændring af pladsantal), "newTilbud" (nyt tilbud) eller "closure" (lukning)',
      }),
      currentPlaces: placesField('currentPlaces', 'nuværende antal faste pladser'),
      newPlaces: placesField('newPlaces', 'nyt antal pladser'),
      effectiveDate: plainDateField('effectiveDate', 'datoen hvor ændringen træder i kraft'),
      // JSON clients send null for "no date yet"; both null and absence mean the meeting is not scheduled.
      politicalTreatmentDate: plainDateField('politicalTreatmentDate', 'dato for den politiske behandling').nullish(),
    },
    { error: 'Kapacitetsændringen skal angives som et objekt' },
  )
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    switch (v.kind) {
      case 'adjust':
        if (v.currentPlaces === 0) {
          issue('currentPlaces', 'Feltet "currentPlaces" skal være mindst 1 ved en ændring af et eksisterende tilbud (brug kind "newTilbud" for et nyt tilbud)');
        }
        if (v.newPlaces === 0) {
          issue('newPlaces', 'Feltet "newPlaces" skal være mindst 1 ved en ændring af pladsantallet (brug kind "closure" for en lukning)');
        }
        break;
      case 'newTilbud':
        if (v.currentPlaces !== 0) issue('currentPlaces', 'Feltet "currentPlaces" skal være 0 for et nyt tilbud');
        if (v.newPlaces === 0) issue('newPlaces', 'Feltet "newPlaces" skal være mindst 1 for et nyt tilbud');
        break;
      case 'closure':
        if (v.currentPlaces === 0) issue('currentPlaces', 'Feltet "currentPlaces" skal være mindst 1 for et tilbud, der lukkes');
        if (v.newPlaces !== 0) issue('newPlaces', 'Feltet "newPlaces" skal være 0 ved lukning af et tilbud');
        break;
    }
  });

export type CapacityChangeInput = z.output<typeof capacityChangeInputSchema>;
export type CapacityChangeRawInput = z.input<typeof capacityChangeInputSchema>;

export interface CapacityChangeOptions {
  /** rounding of 10 % above 50 places. Default floor. */
  readonly freeLimitRounding?: FreeLimitRounding;
  /** Rule for the "3 måneder før" deadline. Default backwardShift. */
  readonly threeMonthRule?: DeadlineRule;
  /** give free changes a report deadline too. Default false. */
  readonly reportFreeChanges?: boolean;
  readonly calendar?: WorkingDayCalendar;
}

export type ReportDeadlineBasis = 'politicalTreatment' | 'threeMonthsBefore';

export interface CapacityChangeClassification {
  readonly route: CapacityRoute;
  /** Row of Tabel 4.1: 1 minor change, 2 expansion, 3 reduction, 4 new tilbud, 5 closure. */
  readonly tableRow: 1 | 2 | 3 | 4 | 5;
  /** newPlaces − currentPlaces. */
  readonly delta: number;
  /**
   * Places the tilbud may add or remove freely: from currentPlaces, or for a new tilbud from newPlaces (the
   * limit that will apply to it once it exists).
   */
  readonly freeLimit: number;
  readonly forumStep: ForumStep;
  readonly forumBody: ForumBody | null;
  /** True when the forum's answer is binding (regional new tilbud: SDF approval); the workflow must wait. */
  readonly blockingApproval: boolean;
  /** "Meddeles alle kommuner i Syddanmark og eventuelle andre brugerkommuner." */
  readonly notifyAllMunicipalities: boolean;
  /** Null for free changes unless `reportFreeChanges`. */
  readonly reportDeadline: Deadline | null;
  readonly reportDeadlineBasis: ReportDeadlineBasis | null;
  /** The texts the template requires for the row, quoted from Tabel 4.1. */
  readonly justifications: readonly string[];
  /** Danish description of the route for the UI and the journal. */
  readonly description: string;
  /** Danish warnings about the input (e.g. political treatment after the effective date). */
  readonly warnings: readonly string[];
  /** Seed lines the classification rests on. */
  readonly sources: readonly string[];
}

/**
 * The justifications (Tabel 4.1) a change owes when it is announced. A closure owes only "Lukningen
 * begrundes" at the start; the cost of continuing is owed later, if SDF's hearing opposes the closure.
 */
export function justificationsOwedAtStart(cls: Pick<CapacityChangeClassification, 'route' | 'justifications'>): readonly string[] {
  return cls.route === 'closure' ? cls.justifications.slice(0, 1) : cls.justifications;
}

/** "Tilbud op til 50 pladser kan frit op- og nedjustere op til 5 pladser. For tilbud over 50 pladser gælder +/- 10 %." */
export function freeLimit(places: number, rounding: FreeLimitRounding = 'floor'): number {
  if (!Number.isInteger(places) || places < 0) throw new RangeError(`freeLimit: ${places} er ikke et antal pladser`);
  if (places <= 50) return 5;
  // Integer arithmetic: 10 % of n is n/10; avoids 0.1 * n floating-point error at the rounding edge.
  switch (rounding) {
    case 'floor':
      return Math.floor(places / 10);
    case 'ceil':
      return Math.ceil(places / 10);
    case 'round':
      return Math.floor((places + 5) / 10);
  }
}

/** Tabel 4.1, column "Begrundelser", verbatim (line-break hyphens removed), split into checklist items. */
export const TABLE_4_1_JUSTIFICATIONS: Readonly<Record<Exclude<CapacityRoute, 'free'>, readonly string[]>> = {
  expansion: [
    'Udvidelsen begrundes, og der skal gøres rede for, hvordan taksten påvirkes samt de økonomiske konsekvenser for betalingskommunerne.',
    'Endvidere skal der redegøres for, hvordan oprettelsen af disse pladser forventes at påvirke efterspørgslen efter eksisterende pladser i andre kommuner og i regionen.',
  ],
  reduction: [
    'Reduktionen begrundes.',
    'Der skal gøres rede for, hvordan taksten påvirkes samt de økonomiske konsekvenser for betalingskommunerne.',
  ],
  newTilbud: [
    'Der skal redegøres for, hvordan oprettelsen af disse pladser forventes at påvirke efterspørgslen efter eksisterende pladser i andre kommuner og i regionen',
  ],
  closure: [
    'Lukningen begrundes.',
    'Hvis Socialdirektørforum mener, at tilbuddet ikke skal nedlægges på grund af pladsernes betydning for den samlede udbudsvifte, skal de økonomiske konsekvenser ved at videreføre tilbuddet fremgå.',
  ],
};

const REPORT_WORDING =
  'Ændringerne skal indberettes senest ifm. den politiske behandling i kommunerne – dog senest 3 måneder før, ændringerne konkret sker';
const NOTIFY_TEXT = 'meddeles alle kommuner i Syddanmark og eventuelle andre brugerkommuner';

interface RouteFacts {
  route: CapacityRoute;
  tableRow: 1 | 2 | 3 | 4 | 5;
  forumStep: ForumStep;
  forumBody: ForumBody | null;
  blockingApproval: boolean;
  sources: string[];
}

function routeFacts(input: CapacityChangeInput, limit: number, delta: number): RouteFacts {
  switch (input.kind) {
    case 'closure':
      return { route: 'closure', tableRow: 5, forumStep: 'hearing', forumBody: 'SDF', blockingApproval: false, sources: ['002:1624-1637'] };
    case 'newTilbud':
      // "Alle nye regionale tilbud skal, uanset hvad der fremgår af tabel 4.1, godkendes i Socialdirektørforum."
      return input.operatorType === 'regional'
        ? { route: 'newTilbud', tableRow: 4, forumStep: 'approval', forumBody: 'SDF', blockingApproval: true, sources: ['002:1520', '002:1607-1622'] }
        : { route: 'newTilbud', tableRow: 4, forumStep: 'statement', forumBody: 'SDF', blockingApproval: false, sources: ['002:1607-1622'] };
    case 'adjust':
      if (Math.abs(delta) <= limit) {
        return { route: 'free', tableRow: 1, forumStep: 'none', forumBody: null, blockingApproval: false, sources: ['002:1551-1554', '002:1603'] };
      }
      return delta > 0
        ? { route: 'expansion', tableRow: 2, forumStep: 'statement', forumBody: 'SDF', blockingApproval: false, sources: ['002:1558-1575'] }
        : { route: 'reduction', tableRow: 3, forumStep: 'orientation', forumBody: 'FU', blockingApproval: false, sources: ['002:1577-1598'] };
  }
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

function describeRoute(input: CapacityChangeInput, facts: RouteFacts, limit: number, delta: number): string {
  const change = `${input.currentPlaces} → ${input.newPlaces} pladser, ændring ${signed(delta)}; frit kan ændres ±${limit}`;
  switch (facts.route) {
    case 'free':
      return `Mindre ændring af pladsantallet (${change}). Ændringen kan foretages frit uden forelæggelse for Socialdirektørforum eller Forretningsudvalget.`;
    case 'expansion':
      return `Oprettelse af pladser ud over den frie grænse (${change}). Kræver udtalelse hos Socialdirektørforum og ${NOTIFY_TEXT}.`;
    case 'reduction':
      return `Nedlæggelse af pladser ud over den frie grænse (${change}). Forretningsudvalget orienteres, og ændringen ${NOTIFY_TEXT}. Gælder ikke midlertidig omlægning af en plads til f.eks. et enkeltmandsprojekt.`;
    case 'newTilbud':
      return input.operatorType === 'regional'
        ? `Oprettelse af nyt regionalt tilbud med ${input.newPlaces} pladser. Alle nye regionale tilbud skal godkendes i Socialdirektørforum, uanset tabel 4.1; tilbuddet ${NOTIFY_TEXT}.`
        : `Oprettelse af nyt tilbud med ${input.newPlaces} pladser og forventet salg af pladser til andre kommuner. Kræver udtalelse hos Socialdirektørforum og ${NOTIFY_TEXT}.`;
    case 'closure':
      return `Lukning af tilbud med ${input.currentPlaces} pladser. Kræver høring hos Socialdirektørforum og ${NOTIFY_TEXT}.`;
  }
}

function reportDeadlineFor(
  input: CapacityChangeInput,
  options: CapacityChangeOptions,
  calendar: WorkingDayCalendar,
): { deadline: Deadline; basis: ReportDeadlineBasis } {
  const threeMonths = makeDeadline({
    wording: REPORT_WORDING,
    rule: options.threeMonthRule ?? 'backwardShift',
    nominalDate: subtractMonths(input.effectiveDate, 3),
    calendar,
  });
  const meeting = input.politicalTreatmentDate ?? undefined;
  if (meeting === undefined || meeting > threeMonths.dueDate) {
    const political =
      meeting === undefined
        ? 'Der er ikke angivet en dato for den politiske behandling'
        : `Den politiske behandling ${formatDanishDate(meeting)} ligger senere`;
    const basisText =
      `${political}, så fristen er 3 måneder før ikrafttrædelsen ${formatDanishDate(input.effectiveDate)}, ` +
      `dvs. ${formatDanishDate(threeMonths.nominalDate)}`;
    return {
      deadline: { ...threeMonths, reason: threeMonths.reason ? `${basisText}. ${threeMonths.reason}` : basisText },
      basis: 'threeMonthsBefore',
    };
  }
  const political = makeDeadline({
    wording: REPORT_WORDING,
    rule: 'noShift',
    nominalDate: meeting,
    calendar,
  });
  const basisText =
    `Den politiske behandling ${formatDanishDate(meeting)} ligger før 3-månedersfristen ` +
    `(${formatDanishDate(threeMonths.dueDate)}), så ændringen skal indberettes senest ved den politiske behandling`;
  return {
    deadline: { ...political, reason: political.reason ? `${basisText}. ${political.reason}` : basisText },
    basis: 'politicalTreatment',
  };
}

/**
 * Classifies a capacity change. Accepts raw input (strings for dates) and validates it with
 * capacityChangeInputSchema, so it throws a ZodError with Danish messages on invalid input.
 */
export function classifyCapacityChange(
  raw: CapacityChangeRawInput,
  options: CapacityChangeOptions = {},
): CapacityChangeClassification {
  const input = capacityChangeInputSchema.parse(raw);
  const calendar = options.calendar ?? danishCalendar;
  const size = input.kind === 'newTilbud' ? input.newPlaces : input.currentPlaces;
  const limit = freeLimit(size, options.freeLimitRounding ?? 'floor');
  const delta = input.newPlaces - input.currentPlaces;
  const facts = routeFacts(input, limit, delta);

  const warnings: string[] = [];
  const meeting = input.politicalTreatmentDate ?? undefined;
  if (meeting !== undefined && meeting > input.effectiveDate) {
    warnings.push(
      `Den politiske behandling (${formatDanishDate(meeting)}) ligger efter ikrafttrædelsen (${formatDanishDate(input.effectiveDate)}).`,
    );
  }
  if (facts.route === 'free' && delta === 0) warnings.push('Pladsantallet er uændret; der er ingen ændring at behandle.');

  const needsReport = facts.route !== 'free' || options.reportFreeChanges === true;
  const report = needsReport ? reportDeadlineFor(input, options, calendar) : null;
  const description =
    describeRoute(input, facts, limit, delta) +
    (report ? ` Ændringen skal indberettes senest ${formatDanishDate(report.deadline.dueDate)}.` : '');

  return {
    route: facts.route,
    tableRow: facts.tableRow,
    delta,
    freeLimit: limit,
    forumStep: facts.forumStep,
    forumBody: facts.forumBody,
    blockingApproval: facts.blockingApproval,
    notifyAllMunicipalities: facts.route !== 'free',
    reportDeadline: report?.deadline ?? null,
    reportDeadlineBasis: report?.basis ?? null,
    justifications: facts.route === 'free' ? [] : TABLE_4_1_JUSTIFICATIONS[facts.route],
    description,
    warnings,
    sources: report ? [...facts.sources, '002:1529-1531'] : facts.sources,
  };
}
