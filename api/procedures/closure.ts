import type { ClosureWorkflow } from '../../workflows/closure/contract';
import { z } from 'zod';
import type { ProcedureDefinition } from './types';
import { closureCaseTitle, closureSteps, type ClosureInput } from '../../workflows/closure/contract';
import { NO_ACCOUNT_YET, closureSettlementInputSchema, settlementInputFromBasis, unsignedKronerSchema } from '../../domain/closureSettlement';
import { reminderLadderSchema } from '../../domain/calendar/reminders';
import { settlementPreview } from './previewHelpers';

/** Kroner as text, checked by the settlement calculation's own schema, with the field named in the message. */
function kroner(label: string) {
  return z
    .string({ error: (iss) => (iss.input === undefined ? `${label} skal udfyldes` : `${label} skal være et beløb i kroner skrevet som tekst, fx "20000000"`) })
    .superRefine((value, ctx) => {
      const r = unsignedKronerSchema.safeParse(value);
      if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: `${label}: ${i.message}` });
    });
}

function partyId(label: string) {
  return z
    .string({ error: `${label} skal angives med sit part-id fra adressebogen, fx "461"` })
    .regex(/^[a-z0-9-]+$/, `${label}: ukendt part-id (fx "461" eller "region-syddanmark")`);
}

const CLASSIFICATIONS = ['closure', 'authorityClosure', 'relocation', 'merger'] as const;

export const closureInputSchema = z
  .object({
    tilbudName: z
      .string({ error: 'Tilbuddets navn skal udfyldes' })
      .trim()
      .min(2, 'Tilbuddets navn skal være mindst 2 tegn')
      .max(200, 'Tilbuddets navn må højst være 200 tegn'),
    operatorPartyId: partyId('Driftsherren'),
    operatorType: z.enum(['municipal', 'regional'], {
      error: 'Driftsherrens type skal være "municipal" (kommunal driftsherre) eller "regional" (Region Syddanmark)',
    }),
    classification: z.enum(CLASSIFICATIONS, {
      error:
        'Klassifikationen skal være "closure" (lukning), "authorityClosure" (lukket af Socialtilsynet eller anden myndighed), "relocation" (flytning) eller "merger" (sammenlægning)',
    }),
    reason: z
      .string({ error: 'Begrundelsen for lukningen skal udfyldes' })
      .trim()
      .min(10, 'Begrundelsen for lukningen skal være mindst 10 tegn')
      .max(10_000, 'Begrundelsen for lukningen må højst være 10.000 tegn'),
    structure: z.enum(['standalone', 'economicUnit'], {
      error: 'Strukturen skal være "standalone" (selvstændigt tilbud) eller "economicUnit" (del af en økonomisk enhed)',
    }),
    /** Standalone treatment needs all three (002:1687-1690); without them the tilbud is part of an economic unit
     * (002:1933-1935). Recorded on the case. */
    standaloneConditions: z
      .object({
        separateBudget: z.boolean().default(false),
        ownTakster: z.boolean().default(false),
        documentedCostKey: z.boolean().default(false),
      })
      .optional(),
    turnoverDecisionYear: kroner('Omsætningen i beslutningsåret').optional(),
    otherUnitsTurnoverDecisionYear: kroner('Omsætningen i beslutningsåret for centrets øvrige tilbud').optional(),
    payers: z
      .array(
        z.object(
          {
            partyId: partyId('Betalingskommunen'),
            turnoverYearMinus2: kroner('Betalingskommunens omsætning to år før beslutningsåret'),
            turnoverYearMinus1: kroner('Betalingskommunens omsætning året før beslutningsåret'),
          },
          { error: 'Hver betalingskommune skal have partyId, turnoverYearMinus2 og turnoverYearMinus1' },
        ),
        { error: 'Betalingskommunerne skal være en liste' },
      )
      .default([]),
    actingMunicipalities: z.array(partyId('Handlekommunen'), { error: 'Handlekommunerne skal være en liste af part-id’er' }).default([]),
    otherRegionalTilbud: z
      .array(
        z.object(
          {
            id: z.string({ error: 'Regionens øvrige tilbud: id skal udfyldes' }).trim().min(1, 'Regionens øvrige tilbud: id skal udfyldes'),
            name: z.string({ error: 'Regionens øvrige tilbud: navn skal udfyldes' }).trim().min(2, 'Regionens øvrige tilbud: navn skal være mindst 2 tegn'),
            costBudget: kroner('Det regionale tilbuds omkostningsbudget').optional(),
            turnover: kroner('Det regionale tilbuds takstbaserede omsætning').optional(),
          },
          { error: 'Hvert af regionens øvrige tilbud skal have id, navn og omkostningsbudget eller omsætning' },
        ),
        { error: 'Regionens øvrige tilbud skal være en liste' },
      )
      .default([]),
    fuRecipients: z
      .array(z.email('Forretningsudvalgets modtagere skal være gyldige e-mailadresser'), { error: 'Forretningsudvalgets modtagere skal være en liste af e-mailadresser' })
      .min(1, 'Angiv mindst én modtager for Forretningsudvalget'),
    noticeReading: z
      .enum(['runningMonthPlus', 'monthsDateToDate'], {
        error: 'Læsningen af opsigelsesvarslet skal være "runningMonthPlus" (til udgangen af 2. måned efter opsigelsesmåneden) eller "monthsDateToDate" (3 måneder fra dato til dato)',
      })
      .default('runningMonthPlus'),
    ladder: reminderLadderSchema.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.classification === 'relocation' || input.classification === 'merger') return;
    const sc = input.standaloneConditions;
    if (input.structure === 'standalone' && !(sc?.separateBudget && sc.ownTakster && sc.documentedCostKey)) {
      ctx.addIssue({
        code: 'custom',
        path: ['standaloneConditions'],
        message:
          'Et tilbud kan kun behandles som selvstændigt, når det har et selvstændigt budget med egne takster og en dokumenteret fordelingsnøgle for fællesudgifterne (Rammeaftalens bilag 5). Bekræft alle tre, eller vælg "Del af en økonomisk enhed", som gælder, når takstindberetningen ikke siger andet.',
      });
    }
    if (input.turnoverDecisionYear === undefined) {
      ctx.addIssue({ code: 'custom', path: ['turnoverDecisionYear'], message: 'Omsætningen i beslutningsåret skal udfyldes for en lukning' });
      return;
    }
    const acting = new Set<string>();
    input.actingMunicipalities.forEach((id, i) => {
      if (acting.has(id)) ctx.addIssue({ code: 'custom', path: ['actingMunicipalities', i], message: `Handlekommunen ${id} er angivet mere end én gang` });
      acting.add(id);
    });
    // The settlement calculation's own cross-field rules (structure, payers, regional tilbud), with figures that
    // do not matter yet: the accounts come later.
    const parsed = closureSettlementInputSchema.safeParse(
      settlementInputFromBasis(
        {
          operatorType: input.operatorType,
          operatorPartyId: input.operatorPartyId,
          structure: input.structure,
          closedByAuthority: input.classification === 'authorityClosure',
          turnoverDecisionYear: input.turnoverDecisionYear,
          otherUnitsTurnoverDecisionYear: input.otherUnitsTurnoverDecisionYear,
          payers: input.payers,
          otherRegionalTilbud: input.otherRegionalTilbud,
        },
        NO_ACCOUNT_YET,
      ),
    );
    if (parsed.success) return;
    const labels: Record<string, string> = {
      payers: 'Betalingskommuner',
      otherRegionalTilbud: 'Regionens øvrige tilbud',
      otherUnitsTurnoverDecisionYear: 'Omsætningen i beslutningsåret for centrets øvrige tilbud',
      turnoverDecisionYear: 'Omsætningen i beslutningsåret',
    };
    for (const issue of parsed.error.issues) {
      // isOperator is derived from the operator's party id, so its only failure is a duplicate payer, reported above.
      if (issue.path.at(-1) === 'isOperator') continue;
      const path = issue.path.map((p) => (p === 'id' && issue.path[0] === 'payers' ? 'partyId' : p)) as (string | number)[];
      ctx.addIssue({ code: 'custom', path, message: `${labels[String(path[0])] ?? String(path[0])}: ${issue.message}` });
    }
  });

export class ClosurePartyError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export const closureProcedure: ProcedureDefinition<typeof closureInputSchema, ClosureWorkflow> = {
  id: 'closure',
  casePrefix: 'LUK',
  label: 'Lukning af tilbud',
  description:
    'Lukning af et tilbud under Rammeaftalen: mulig lukning meddeles handle- og betalingskommuner, Forretningsudvalget orienteres, høring i Socialdirektørforum, beslutning, skriftlig opsigelse med løbende måned plus to måneder, foreløbigt lukkeregnskab senest 3 måneder efter beslutningen, revisionspåtegnet endeligt lukkeregnskab og efterregulering pr. betalingskommune (Rammeaftalens bilag 4, 5 og 6). Flytning og sammenlægning er ikke lukning; lukning ved myndighed giver ingen efterregulering.',
  workflowType: 'closureOfTilbud',
  inputSchema: closureInputSchema,
  steps: closureSteps,
  caseTitle: (input) => closureCaseTitle(input),
  startForm: {
    hints: {
      labels: {
        tilbudName: 'Tilbuddets navn',
        operatorPartyId: 'Driftsherre',
        operatorType: 'Driftsherrens type',
        classification: 'Hvad sker der med tilbuddet',
        reason: 'Begrundelse for lukningen',
        structure: 'Tilbuddets struktur',
        standaloneConditions: 'Betingelser for et selvstændigt tilbud',
        'standaloneConditions.separateBudget': 'Tilbuddet har et selvstændigt budget',
        'standaloneConditions.ownTakster': 'Tilbuddet har egne takster',
        'standaloneConditions.documentedCostKey': 'Fællesudgifterne fordeles efter en klar fordelingsnøgle, der kan dokumenteres',
        turnoverDecisionYear: 'Takstbaseret omsætning i beslutningsåret (kr.)',
        otherUnitsTurnoverDecisionYear: 'Centrets øvrige tilbuds omsætning i beslutningsåret (kr., kun økonomisk enhed)',
        payers: 'Betalingskommuner',
        'payers.*.partyId': 'Betalingskommune',
        'payers.*.turnoverYearMinus2': 'Omsætning to år før beslutningsåret (kr.)',
        'payers.*.turnoverYearMinus1': 'Omsætning året før beslutningsåret (kr.)',
        actingMunicipalities: 'Handlekommuner (kommunenumre)',
        otherRegionalTilbud: 'Regionens øvrige tilbud (kun regional driftsherre)',
        'otherRegionalTilbud.*.id': 'Id',
        'otherRegionalTilbud.*.name': 'Navn',
        'otherRegionalTilbud.*.costBudget': 'Omkostningsbudget (kr.)',
        'otherRegionalTilbud.*.turnover': 'Takstbaseret omsætning (kr.)',
        fuRecipients: 'Forretningsudvalgets modtagere (e-mailadresser)',
        noticeReading: 'Læsning af opsigelsesvarslet "løbende måned plus to måneder"',
      },
      hints: {
        reason: 'Sendes til handle- og betalingskommunerne. Skriv ikke CPR-numre eller borgeres navne.',
        structure: 'Et tilbud er del af en økonomisk enhed, medmindre det tydeligt fremgår af takstindberetningen, at det er selvstændigt.',
        standaloneConditions: 'Kun for et selvstændigt tilbud: alle tre skal være opfyldt.',
        actingMunicipalities: 'Kommunenumre, ét pr. linje (fx 461 for Odense). De får den skriftlige opsigelse.',
        fuRecipients: 'Én adresse pr. linje. Rammeaftalen definerer ikke Forretningsudvalget nærmere.',
        payers: 'Fordelingsnøglen er hver betalingskommunes andel af omsætningen i de to år før beslutningsåret (bilag 5).',
      },
      enumLabels: {
        operatorType: { municipal: 'Kommunal driftsherre', regional: 'Region Syddanmark' },
        classification: {
          closure: 'Lukning',
          authorityClosure: 'Lukket af Socialtilsynet eller anden myndighed (ingen efterregulering)',
          relocation: 'Flytning (ikke en lukning)',
          merger: 'Sammenlægning (ikke en lukning)',
        },
        structure: { standalone: 'Selvstændigt tilbud', economicUnit: 'Del af en økonomisk enhed (center)' },
        noticeReading: { runningMonthPlus: 'Til udgangen af 2. måned efter opsigelsesmåneden', monthsDateToDate: '3 måneder fra dato til dato' },
      },
      widgets: {
        operatorPartyId: 'party',
        reason: 'textarea',
        turnoverDecisionYear: 'kroner',
        otherUnitsTurnoverDecisionYear: 'kroner',
        'payers.*.partyId': 'party',
        'payers.*.turnoverYearMinus2': 'kroner',
        'payers.*.turnoverYearMinus1': 'kroner',
        actingMunicipalities: 'lines',
        'otherRegionalTilbud.*.costBudget': 'kroner',
        'otherRegionalTilbud.*.turnover': 'kroner',
        fuRecipients: 'lines',
      },
      partyFilter: { operatorPartyId: 'region', 'payers.*.partyId': 'municipalities' },
      omit: ['ladder'],
      blankRows: 3,
    },
    // The seed's default is the economic unit (002:1933-1935): standalone is a choice the operator documents.
    defaults: () => ({ operatorType: 'municipal', classification: 'closure', structure: 'economicUnit', noticeReading: 'runningMonthPlus' }),
    async preview(input, ctx) {
      if (input.classification === 'relocation' || input.classification === 'merger') {
        return { deadlines: [], tables: [], warnings: ['En flytning eller sammenlægning er ikke en lukning: der skal ikke laves lukkeregnskab eller efterregulering.'] };
      }
      const { rows } = await ctx.pool.query<{ party_id: string; name: string }>('SELECT party_id, name FROM directory_party WHERE party_id = ANY($1)', [input.payers.map((p) => p.partyId)]);
      const names = new Map(rows.map((r) => [r.party_id, r.name]));
      const s = settlementPreview({
        operatorType: input.operatorType,
        operatorPartyId: input.operatorPartyId,
        structure: input.structure,
        closedByAuthority: input.classification === 'authorityClosure',
        turnoverDecisionYear: input.turnoverDecisionYear!,
        otherUnitsTurnoverDecisionYear: input.otherUnitsTurnoverDecisionYear,
        payers: input.payers.map((p) => ({ ...p, name: names.get(p.partyId) ?? p.partyId })),
        otherRegionalTilbud: input.otherRegionalTilbud,
      });
      return {
        deadlines: [],
        tables: [s],
        warnings: [
          ...s.warnings,
          'Fristen for det foreløbige lukkeregnskab (3 måneder) og opsigelsesvarslet beregnes, når beslutningen om lukning registreres på sagen.',
          'Handlekommunerne betaler for deres borgere til og med lukkedatoen. Ligger lukkedatoen før opsigelsesvarslets udløb (løbende måned plus to måneder fra opsigelsen), vises det som en advarsel på sagen.',
        ],
      };
    },
  },
  async toWorkflowArgs(input, ctx) {
    const ids = [input.operatorPartyId, ...input.payers.map((p) => p.partyId), ...input.actingMunicipalities];
    const { rows } = await ctx.pool.query<{ party_id: string; name: string; kind: string }>(
      'SELECT party_id, name, kind FROM directory_party WHERE party_id = ANY($1)',
      [ids],
    );
    const party = (id: string, field: string, what: string) => {
      const r = rows.find((x) => x.party_id === id);
      if (!r) throw new ClosurePartyError(field, `${what} ${id} findes ikke i adressebogen`);
      return r;
    };
    const operator = party(input.operatorPartyId, 'operatorPartyId', 'Driftsherren');
    if (input.operatorType === 'municipal' && operator.kind !== 'municipality') {
      throw new ClosurePartyError('operatorPartyId', `En kommunal driftsherre skal være en kommune; ${operator.name} er ikke en kommune`);
    }
    if (input.operatorType === 'regional' && operator.kind !== 'region') {
      throw new ClosurePartyError('operatorPartyId', `En regional driftsherre skal være regionen; ${operator.name} er ikke en region`);
    }
    const args: ClosureInput = {
      tilbudName: input.tilbudName,
      operator: { partyId: operator.party_id, name: operator.name, type: input.operatorType },
      classification: input.classification,
      reason: input.reason,
      structure: input.structure,
      ...(input.structure === 'standalone' && input.standaloneConditions ? { standaloneConditions: input.standaloneConditions } : {}),
      ...(input.turnoverDecisionYear !== undefined ? { turnoverDecisionYear: input.turnoverDecisionYear } : {}),
      ...(input.otherUnitsTurnoverDecisionYear !== undefined ? { otherUnitsTurnoverDecisionYear: input.otherUnitsTurnoverDecisionYear } : {}),
      payers: input.payers.map((p, i) => ({
        partyId: p.partyId,
        name: party(p.partyId, `payers.${i}.partyId`, 'Betalingskommunen').name,
        turnoverYearMinus2: p.turnoverYearMinus2,
        turnoverYearMinus1: p.turnoverYearMinus1,
      })),
      actingMunicipalities: input.actingMunicipalities.map((id, i) => ({ partyId: id, name: party(id, `actingMunicipalities.${i}`, 'Handlekommunen').name })),
      otherRegionalTilbud: input.otherRegionalTilbud,
      fuRecipients: input.fuRecipients,
      noticeReading: input.noticeReading,
      ...(input.ladder ? { ladder: input.ladder } : {}),
      startedBy: ctx.actor,
    };
    return [args];
  },
};
