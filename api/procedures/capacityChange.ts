import type { CapacityChangeWorkflow } from '../../workflows/capacityChange/contract';
import { z } from 'zod';
import type { ProcedureDefinition } from './types';
import { capacityChangeSteps, type CapacityChangeInput, type ClosureHandover } from '../../workflows/capacityChange/contract';
import { CAPACITY_CHANGE_KINDS, capacityChangeInputSchema, classifyCapacityChange, justificationsOwedAtStart } from '../../domain/capacityChange';
import { NO_ACCOUNT_YET, closureSettlementInputSchema, settlementInputFromBasis, unsignedKronerSchema } from '../../domain/closureSettlement';
import { plainDateField } from '../../domain/calendar/schemas';
import { addMonths, type PlainDate } from '../../domain/calendar/plainDate';
import { meetingsBefore, settlementPreview } from './previewHelpers';
import { copenhagenToday } from '../../domain/calendar/timeZone';
import { formatDanishDate } from '../../domain/calendar/format';
import { StartRefusal, type StartPreview } from './types';
import { HOME_REGION } from '../../domain/region';

// The Rammeaftale of KKR Syddanmark: its driftsherrer are the region's municipalities and the Region itself.
const CAPACITY_REGION = HOME_REGION;
const PARTY_ID = /^[a-z0-9-]+$/;
const partyIdField = (field: string, label: string) =>
  z.string({ error: `Feltet "${field}" (${label}) skal være en parts id fra adressebogen` }).regex(PARTY_ID, `Feltet "${field}" (${label}) skal være en parts id fra adressebogen`);

const KIND_LABELS: Record<(typeof CAPACITY_CHANGE_KINDS)[number], string> = { adjust: 'Kapacitetsændring', newTilbud: 'Nyt tilbud', closure: 'Lukning' };

/** What the closure procedure needs at once; the capacity case hands it over when the change is a closure. */
const closureSchema = z.object(
  {
    structure: z.enum(['standalone', 'economicUnit'], {
      error: 'Feltet "closure.structure" skal være "standalone" (selvstændigt tilbud) eller "economicUnit" (del af en økonomisk enhed)',
    }),
    turnoverDecisionYear: unsignedKronerSchema,
    otherUnitsTurnoverDecisionYear: unsignedKronerSchema.optional(),
    payers: z
      .array(
        z.object({
          partyId: partyIdField('closure.payers.partyId', 'betalingskommune'),
          turnoverYearMinus2: unsignedKronerSchema,
          turnoverYearMinus1: unsignedKronerSchema,
        }),
        { error: 'Feltet "closure.payers" (betalingskommuner) skal være en liste' },
      )
      .max(200)
      .default([]),
    actingMunicipalityPartyIds: z.array(partyIdField('closure.actingMunicipalityPartyIds', 'handlekommuner')).max(200).default([]),
    otherRegionalTilbud: z
      .array(
        z.object({
          id: z.string().trim().min(1, 'Feltet "closure.otherRegionalTilbud.id" skal udfyldes'),
          name: z.string().trim().min(1, 'Feltet "closure.otherRegionalTilbud.name" skal udfyldes'),
          costBudget: unsignedKronerSchema.optional(),
          turnover: unsignedKronerSchema.optional(),
        }),
      )
      .max(200)
      .optional(),
    noticeReading: z.enum(['runningMonthPlus', 'monthsDateToDate'], { error: 'Feltet "closure.noticeReading" skal være "runningMonthPlus" eller "monthsDateToDate"' }).optional(),
  },
  { error: 'Feltet "closure" skal være et objekt med oplysninger om lukningen' },
);

export const capacityChangeStartSchema = z
  .object({
    operatorPartyId: partyIdField('operatorPartyId', 'driftsherre'),
    tilbudId: z.int({ error: 'Feltet "tilbudId" (tilbuddets nummer i kapacitetsregistret) skal være et helt tal' }).positive('Feltet "tilbudId" skal være et positivt tal').optional(),
    tilbudName: z
      .string({ error: 'Feltet "tilbudName" (tilbuddets navn) skal udfyldes' })
      .trim()
      .min(2, 'Feltet "tilbudName" (tilbuddets navn) skal være mindst 2 tegn')
      .max(200, 'Feltet "tilbudName" (tilbuddets navn) må højst være 200 tegn'),
    targetGroup: z.string({ error: 'Feltet "targetGroup" (målgruppe) skal være en tekst' }).trim().max(300, 'Feltet "targetGroup" (målgruppe) må højst være 300 tegn').optional(),
    kind: z.enum(CAPACITY_CHANGE_KINDS, {
      error: 'Feltet "kind" (ændringens art) skal være "adjust" (ændring af pladsantal), "newTilbud" (nyt tilbud) eller "closure" (lukning)',
    }),
    currentPlaces: z.number({ error: 'Feltet "currentPlaces" (nuværende antal faste pladser) skal være et tal' }),
    newPlaces: z.number({ error: 'Feltet "newPlaces" (nyt antal pladser) skal være et tal' }),
    effectiveDate: plainDateField('effectiveDate', 'datoen hvor ændringen træder i kraft'),
    politicalTreatmentDate: plainDateField('politicalTreatmentDate', 'dato for den politiske behandling').nullish(),
    justifications: z
      .array(z.string({ error: 'Feltet "justifications" (begrundelser) må kun indeholde tekster' }).trim().max(10_000, 'En begrundelse må højst være 10.000 tegn'), {
        error: 'Feltet "justifications" (begrundelser) skal være en liste af tekster',
      })
      .max(10, 'Feltet "justifications" må højst have 10 begrundelser')
      .default([]),
    otherUserMunicipalityPartyIds: z.array(partyIdField('otherUserMunicipalityPartyIds', 'andre brugerkommuner')).max(100).default([]),
    closure: closureSchema.optional(),
  })
  .superRefine((v, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    // The kind's rules on places and dates are the classifier's own (operatorType does not change them).
    const change = { operatorType: 'municipal' as const, kind: v.kind, currentPlaces: v.currentPlaces, newPlaces: v.newPlaces, effectiveDate: v.effectiveDate, politicalTreatmentDate: v.politicalTreatmentDate };
    const base = capacityChangeInputSchema.safeParse(change);
    if (!base.success) {
      // The dates are the same fields above and already reported there.
      for (const i of base.error.issues) if (i.path[0] !== 'effectiveDate' && i.path[0] !== 'politicalTreatmentDate') issue(i.path as (string | number)[], i.message);
      return;
    }
    if (v.kind === 'newTilbud' && v.tilbudId !== undefined) issue(['tilbudId'], 'Feltet "tilbudId" skal udelades for et nyt tilbud; registret giver det et nummer, når det træder i kraft');
    if (v.tilbudId === undefined && !v.targetGroup) issue(['targetGroup'], 'Feltet "targetGroup" (målgruppe) skal udfyldes for et tilbud, der ikke står i kapacitetsregistret');
    if (v.kind === 'closure' && !v.closure) issue(['closure'], 'Feltet "closure" (oplysninger til lukningsproceduren) skal udfyldes ved en lukning');
    if (v.kind !== 'closure' && v.closure) issue(['closure'], 'Feltet "closure" bruges kun ved en lukning (kind "closure")');
    const cls = classifyCapacityChange(change);
    const required = justificationsOwedAtStart(cls);
    if (required.length && v.justifications.length !== required.length) {
      issue(
        ['justifications'],
        `Feltet "justifications" skal indeholde ${required.length} begrundelse${required.length === 1 ? '' : 'r'} efter Tabel 4.1, i denne rækkefølge: ${required.map((r, i) => `${i + 1}) ${r}`).join(' ')}`,
      );
    }
    v.justifications.forEach((t, i) => {
      if (required.length && t.length < 10) issue(['justifications', i], `Begrundelse ${i + 1} i feltet "justifications" skal være mindst 10 tegn`);
    });
  });

export type CapacityChangeStart = z.infer<typeof capacityChangeStartSchema>;

export class CapacityInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

interface PartyRow {
  party_id: string;
  name: string;
  kind: 'municipality' | 'region';
  region: string;
}

export const capacityChangeProcedure: ProcedureDefinition<typeof capacityChangeStartSchema, CapacityChangeWorkflow> = {
  id: 'capacityChange',
  casePrefix: 'KAP',
  label: 'Ændring af kapacitet (pladser, nyt tilbud, lukning)',
  description:
    'Kapacitetsændringer efter Rammeaftalens bilag 4, tabel 4.1: fri ændring, udvidelse eller nyt tilbud (udtalelse fra Socialdirektørforum; nyt regionalt tilbud skal godkendes), reduktion (Forretningsudvalget orienteres) og lukning. Meddelelse til alle kommuner og regionen, frist for indberetning, politisk beslutning og opdatering af kapacitetsregistret på ikrafttrædelsesdatoen.',
  workflowType: 'capacityChange',
  inputSchema: capacityChangeStartSchema,
  steps: capacityChangeSteps,
  caseTitle: (input) => `${KIND_LABELS[input.kind]}: ${input.tilbudName}`,
  startForm: {
    hints: {
      labels: {
        operatorPartyId: 'Driftsherre',
        tilbudId: 'Tilbuddets nummer i kapacitetsregistret',
        tilbudName: 'Tilbuddets navn',
        targetGroup: 'Målgruppe',
        kind: 'Ændringens art',
        currentPlaces: 'Nuværende antal faste pladser',
        newPlaces: 'Nyt antal pladser',
        effectiveDate: 'Dato hvor ændringen træder i kraft',
        politicalTreatmentDate: 'Dato for den politiske behandling (hvis kendt)',
        justifications: 'Begrundelser efter tabel 4.1',
        otherUserMunicipalityPartyIds: 'Andre brugerkommuner uden for regionen',
        closure: 'Ved lukning: oplysninger til lukningsproceduren',
        'closure.structure': 'Tilbuddets struktur',
        'closure.turnoverDecisionYear': 'Takstbaseret omsætning i beslutningsåret (kr.)',
        'closure.otherUnitsTurnoverDecisionYear': 'Centrets øvrige tilbuds omsætning i beslutningsåret (kr., kun økonomisk enhed)',
        'closure.payers': 'Betalingskommuner',
        'closure.payers.*.partyId': 'Betalingskommune',
        'closure.payers.*.turnoverYearMinus2': 'Omsætning to år før beslutningsåret (kr.)',
        'closure.payers.*.turnoverYearMinus1': 'Omsætning året før beslutningsåret (kr.)',
        'closure.actingMunicipalityPartyIds': 'Handlekommuner (kommunenumre)',
        'closure.otherRegionalTilbud': 'Regionens øvrige tilbud (kun regional driftsherre)',
        'closure.otherRegionalTilbud.*.id': 'Id',
        'closure.otherRegionalTilbud.*.name': 'Navn',
        'closure.otherRegionalTilbud.*.costBudget': 'Omkostningsbudget (kr.)',
        'closure.otherRegionalTilbud.*.turnover': 'Takstbaseret omsætning (kr.)',
        'closure.noticeReading': 'Læsning af opsigelsesvarslet "løbende måned plus to måneder"',
      },
      hints: {
        tilbudId: 'Tomt for et nyt tilbud eller et tilbud, registret ikke kender endnu.',
        justifications: 'Én begrundelse pr. linje, i tabel 4.1’s rækkefølge. Forhåndsvisningen viser, hvilke begrundelser ændringen kræver.',
        otherUserMunicipalityPartyIds: 'Kommunenumre, ét pr. linje (fx 751 for Aarhus). Regionens egne kommuner får meddelelsen under alle omstændigheder.',
        'closure.actingMunicipalityPartyIds': 'Kommunenumre, ét pr. linje. De får den skriftlige opsigelse.',
      },
      enumLabels: {
        kind: { adjust: 'Ændring af pladsantal', newTilbud: 'Nyt tilbud', closure: 'Lukning' },
        'closure.structure': { standalone: 'Selvstændigt tilbud', economicUnit: 'Del af en økonomisk enhed (center)' },
        'closure.noticeReading': { runningMonthPlus: 'Til udgangen af 2. måned efter opsigelsesmåneden', monthsDateToDate: '3 måneder fra dato til dato' },
      },
      widgets: {
        operatorPartyId: 'party',
        justifications: 'lines',
        otherUserMunicipalityPartyIds: 'lines',
        'closure.payers.*.partyId': 'party',
        'closure.payers.*.turnoverYearMinus2': 'kroner',
        'closure.payers.*.turnoverYearMinus1': 'kroner',
        'closure.turnoverDecisionYear': 'kroner',
        'closure.otherUnitsTurnoverDecisionYear': 'kroner',
        'closure.actingMunicipalityPartyIds': 'lines',
        'closure.otherRegionalTilbud.*.costBudget': 'kroner',
        'closure.otherRegionalTilbud.*.turnover': 'kroner',
      },
      partyFilter: { operatorPartyId: 'region', 'closure.payers.*.partyId': 'municipalities' },
      blankRows: 2,
    },
    defaults: (today) => ({ kind: 'adjust', effectiveDate: addMonths(today as PlainDate, 6) }),
    async preview(input, ctx) {
      const { rows } = await ctx.pool.query<PartyRow>('SELECT party_id, name, kind, region FROM directory_party WHERE party_id = ANY($1)', [
        [input.operatorPartyId, ...(input.closure?.payers.map((p) => p.partyId) ?? [])],
      ]);
      const operator = rows.find((r) => r.party_id === input.operatorPartyId);
      if (!operator || operator.region !== CAPACITY_REGION) throw new CapacityInputError('operatorPartyId', 'Driftsherren skal være en kommune i Region Syddanmark eller Region Syddanmark selv');
      const operatorType = operator.kind === 'region' ? 'regional' : 'municipal';
      const cls = classifyCapacityChange({ operatorType, kind: input.kind, currentPlaces: input.currentPlaces, newPlaces: input.newPlaces, effectiveDate: input.effectiveDate, politicalTreatmentDate: input.politicalTreatmentDate });
      const out: StartPreview = {
        deadlines: cls.reportDeadline ? [{ label: 'Indberetning af ændringen', deadline: cls.reportDeadline }] : [],
        tables: [
          {
            title: 'Rute efter tabel 4.1',
            head: ['', ''],
            rows: [
              ['Vurdering', cls.description],
              ['Behandling', cls.forumBody ? `${cls.forumBody === 'SDF' ? 'Socialdirektørforum' : 'Forretningsudvalget'}${cls.blockingApproval ? ' (skal godkende)' : ''}` : 'Ingen'],
              ['Meddelelse til alle kommuner og regionen', cls.notifyAllMunicipalities ? 'Ja' : 'Nej'],
              ...cls.justifications.map((j, i) => [`Begrundelse ${i + 1}`, j]),
            ],
          },
        ],
        warnings: [...cls.warnings],
      };
      if (cls.forumBody && cls.reportDeadline) {
        const m = await meetingsBefore(ctx.pool, [cls.forumBody], copenhagenToday(), input.effectiveDate);
        out.tables.push({ title: 'Møder før ikrafttrædelsen', head: m.head, rows: m.rows });
        out.warnings.push(...m.warnings);
      }
      if (input.closure) {
        const names = new Map(rows.map((r) => [r.party_id, r.name]));
        const s = settlementPreview({
          operatorType,
          operatorPartyId: operator.party_id,
          structure: input.closure.structure,
          closedByAuthority: false,
          turnoverDecisionYear: input.closure.turnoverDecisionYear,
          otherUnitsTurnoverDecisionYear: input.closure.otherUnitsTurnoverDecisionYear,
          payers: input.closure.payers.map((p) => ({ ...p, name: names.get(p.partyId) ?? p.partyId })),
          otherRegionalTilbud: input.closure.otherRegionalTilbud ?? [],
        });
        out.tables.push(s);
        out.warnings.push(...s.warnings);
      }
      return out;
    },
  },
  async toWorkflowArgs(input, ctx) {
    // Tabel 4.1 is the process before a lasting change may take effect: a change cannot start in the past.
    if (input.effectiveDate < (ctx.today ?? copenhagenToday())) {
      throw new StartRefusal([{ field: 'effectiveDate', reason: `Dato hvor ændringen træder i kraft: ${formatDanishDate(input.effectiveDate as PlainDate)} er overskredet. En kapacitetsændring skal behandles, før den træder i kraft; vælg dagens dato eller senere.` }]);
    }
    const partyIds = [
      input.operatorPartyId,
      ...input.otherUserMunicipalityPartyIds,
      ...(input.closure?.payers.map((p) => p.partyId) ?? []),
      ...(input.closure?.actingMunicipalityPartyIds ?? []),
    ];
    const { rows } = await ctx.pool.query<PartyRow>('SELECT party_id, name, kind, region FROM directory_party WHERE party_id = ANY($1)', [partyIds]);
    const party = new Map(rows.map((r) => [r.party_id, r]));
    const operator = party.get(input.operatorPartyId);
    if (!operator || operator.region !== CAPACITY_REGION) {
      throw new CapacityInputError('operatorPartyId', 'Driftsherren skal være en kommune i Region Syddanmark eller Region Syddanmark selv');
    }
    const known = (ids: string[], field: string, what: string) => {
      const missing = ids.filter((id) => party.get(id)?.kind !== 'municipality');
      if (missing.length) throw new CapacityInputError(field, `${what} findes ikke som kommune i adressebogen: ${missing.join(', ')}`);
      return ids.map((id) => ({ partyId: id, name: party.get(id)!.name }));
    };
    const otherUsers = known(input.otherUserMunicipalityPartyIds, 'otherUserMunicipalityPartyIds', 'Andre brugerkommuner').filter((p) => party.get(p.partyId)!.region !== CAPACITY_REGION);

    let targetGroup = input.targetGroup ?? '';
    if (input.tilbudId !== undefined) {
      const t = await ctx.pool.query<{ name: string; operator_party_id: string; target_group: string; closed_on: Date | null }>(
        'SELECT name, operator_party_id, target_group, closed_on FROM tilbud WHERE id = $1',
        [input.tilbudId],
      );
      const row = t.rows[0];
      if (!row) throw new CapacityInputError('tilbudId', `Tilbud nr. ${input.tilbudId} findes ikke i kapacitetsregistret`);
      if (row.operator_party_id !== operator.party_id) throw new CapacityInputError('tilbudId', `Tilbud nr. ${input.tilbudId} (${row.name}) drives ikke af ${operator.name}`);
      if (row.closed_on) throw new CapacityInputError('tilbudId', `Tilbud nr. ${input.tilbudId} (${row.name}) er lukket`);
      if (!targetGroup) targetGroup = row.target_group;
    }

    const operatorType = operator.kind === 'region' ? 'regional' : 'municipal';
    let closure: ClosureHandover | undefined;
    if (input.closure) {
      const payers = known(input.closure.payers.map((p) => p.partyId), 'closure.payers', 'Betalingskommuner').map((p, i) => ({ ...p, ...input.closure!.payers[i]! }));
      closure = {
        structure: input.closure.structure,
        turnoverDecisionYear: input.closure.turnoverDecisionYear,
        otherUnitsTurnoverDecisionYear: input.closure.otherUnitsTurnoverDecisionYear,
        payers: payers.map((p) => ({ partyId: p.partyId, name: p.name, turnoverYearMinus2: p.turnoverYearMinus2, turnoverYearMinus1: p.turnoverYearMinus1 })),
        actingMunicipalities: known(input.closure.actingMunicipalityPartyIds, 'closure.actingMunicipalityPartyIds', 'Handlekommuner'),
        otherRegionalTilbud: input.closure.otherRegionalTilbud,
        noticeReading: input.closure.noticeReading,
      };
      // The same structural check the closure procedure makes on start (with no account yet), so a hand-over
      // cannot start a closure case that fails at once.
      const check = closureSettlementInputSchema.safeParse(
        settlementInputFromBasis(
          {
            operatorType,
            operatorPartyId: operator.party_id,
            structure: input.closure.structure,
            closedByAuthority: false,
            turnoverDecisionYear: input.closure.turnoverDecisionYear,
            otherUnitsTurnoverDecisionYear: closure.otherUnitsTurnoverDecisionYear,
            payers: closure.payers!,
            otherRegionalTilbud: closure.otherRegionalTilbud,
          },
          NO_ACCOUNT_YET,
        ),
      );
      if (!check.success) {
        const first = check.error.issues[0]!;
        throw new CapacityInputError(['closure', ...first.path.map(String)].join('.'), first.message);
      }
    }

    const args: CapacityChangeInput = {
      operator: { partyId: operator.party_id, name: operator.name, type: operatorType },
      tilbud: { ...(input.tilbudId !== undefined ? { id: input.tilbudId } : {}), name: input.tilbudName, targetGroup },
      kind: input.kind,
      currentPlaces: input.currentPlaces,
      newPlaces: input.newPlaces,
      effectiveDate: input.effectiveDate,
      politicalTreatmentDate: input.politicalTreatmentDate ?? null,
      justifications: input.justifications,
      otherUserMunicipalities: otherUsers,
      ...(closure ? { closure } : {}),
      startedBy: ctx.actor,
      caseUrl: `${ctx.publicUrl}/sager/${encodeURIComponent(ctx.caseId)}`,
    };
    return [args];
  },
};
