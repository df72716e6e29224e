/**
 * Lukning af et tilbud (Rammeaftale 2023-2024, Bilag 4 row "Lukning", Bilag 5 "Håndtering af lukning af tilbud",
 * Bilag 6 row "Lukning af tilbud"; rammeaftale.md §5.3 and §11).
 *
 * Classification comes first: a relocation or merger "ikke betragtes som en lukning" (002:1699) and is only
 * recorded; a closure by Socialtilsynet or another authority has no efterregulering — "påhviler et eventuelt
 * underskud … alene driftsherren" (002:1696-1697) — so it is recorded and completed after the accounts. An
 * ordinary closure runs the whole table of §5.3: notice of a possible closure, orientation of FU, hearing in
 * SDF, the decision (which pins the rule version), written closure notices with "løbende måned plus to
 * måneder", the provisional account within 3 months with reminders, FU, the affected municipalities, material
 * changes, the audited final account, SDF, and the settlement with a notice to each payer of its own amount.
 */
import { allHandlersFinished, condition, defineUpdate, patched, setHandler } from '@temporalio/workflow';
import type { DeadlinePoint } from '../contracts/deadlines';
import type { CaseDocument } from '../contracts/documents';
import type { ClosureNoticePlan, ClosureSettlementView, ClosureDocumentContext } from '../contracts/closure';
import type { ReminderLadderInput } from '../domain/calendar/reminders';
import {
  calculateClosureSettlement,
  settlementInputFromBasis,
  closureSettlementInputSchema,
  signedKronerSchema,
  unsignedKronerSchema,
  type ClosureSettlementInput,
} from '../domain/closureSettlement';
import { formatDanishDate } from '../domain/calendar/format';
import { isPlainDate, yearOf, type PlainDate } from '../domain/calendar/plainDate';
import { CaseRecord } from './blocks/caseRecord';
import { DeadlineBook } from './blocks/deadlines';
import { Approvals, type DecisionOutcome } from './blocks/approvals';
import { runUntilWithdrawn } from './blocks/withdrawal';
import { acts } from './blocks/proxies';
import { copenhagenToday } from './blocks/time';
import { HOME_REGION } from '../domain/region';
import { CLASSIFICATION_LABELS, closureCaseTitle, type ClosureBasis, type ClosureClassification, type ClosureInput, type ClosureOutcome, type ClosureParty, type ClosureResult } from '../contracts/closure';
export * from '../contracts/closure';


// ---- The steps as Updates ----

export interface AccountFigures {
  /** Kroner as strings, e.g. "10000000"; carriedForward is signed (a deficit carried forward is negative). */
  income: string;
  costs: string;
  carriedForward: string;
}

export interface SettlementBasisInput extends Partial<ClosureBasis> {
  actor: string;
}
export interface ContinuationCostInput {
  text: string;
  amount: string;
  actor: string;
}
export interface ClosureDecisionInput {
  decisionDate: string;
  closingDate: string;
  actor: string;
}
export interface ProvisionalAccountInput extends AccountFigures {
  actor: string;
}
export interface MaterialChangeInput {
  text: string;
  actor: string;
}
export interface FinalAccountInput extends AccountFigures {
  /** Required when there is an efterregulering (002:1957; A-16: surplus too). */
  auditorStatement?: string;
  actor: string;
}

export const recordSettlementBasisUpdate = defineUpdate<ClosureDetails, [SettlementBasisInput]>('recordSettlementBasis');
export const recordContinuationCostUpdate = defineUpdate<ClosureDetails, [ContinuationCostInput]>('recordContinuationCost');
export const recordClosureDecisionUpdate = defineUpdate<ClosureDetails, [ClosureDecisionInput]>('recordClosureDecision');
export const submitProvisionalAccountUpdate = defineUpdate<{ accepted: true; late: boolean }, [ProvisionalAccountInput]>('submitProvisionalAccount');
export const announceMaterialChangeUpdate = defineUpdate<{ recipients: number }, [MaterialChangeInput]>('announceMaterialChange');
export const submitFinalAccountUpdate = defineUpdate<{ accepted: true }, [FinalAccountInput]>('submitFinalAccount');

// ---- What the case shows ----

export interface AccountRecord extends AccountFigures {
  revision: number;
  submittedBy: string;
  submittedAt: string;
  late?: boolean;
  auditorStatement?: string;
  /** The result and distribution the figures give (provisional: "forventede", 002:1945-1946). */
  toDistribute: string;
  shares: { id: string; amount: string }[];
}

export interface ClosureDetails {
  tilbudName: string;
  operator: ClosureInput['operator'];
  classification: ClosureClassification;
  reason: string;
  parentCaseId?: string;
  basis: ClosureBasis;
  hearing?: { outcome: DecisionOutcome; placesImportant: boolean; meetingDate?: string };
  continuationCost?: { text: string; amount: string; recordedBy: string; recordedAt: string };
  decision?: { decisionDate: string; closingDate: string; decisionYear: number; ruleVersion: string; turnoverYears: [number, number]; decidedBy: string };
  notice?: ClosureNoticePlan;
  provisionalAccount?: AccountRecord;
  materialChanges: { text: string; actor: string; at: string }[];
  finalAccount?: AccountRecord;
  settlement?: ClosureSettlementView;
}

/** The closure calculation in the engine implements this Rammeaftale (domain/closureSettlement.ts). */
export const ENGINE_RULE_VERSION = 'Rammeaftale 2023-2024';

/**
 * "Principperne for lukningen tager udgangspunkt i den Rammeaftale, der er gældende det år, hvor beslutningen
 * … besluttes" (002:1661-1662). Rammeaftaler cover two years and are prepared in the 1st and 3rd year of the
 * municipal election period (001:1810), so they start in odd years: 2023-2024, 2025-2026, …
 */
export function rammeaftaleInForce(year: number): string {
  const start = year % 2 === 1 ? year : year - 1;
  return `Rammeaftale ${start}-${start + 1}`;
}

/** The closure's case data as the settlement calculation takes it, with an account's figures. */
export function settlementInputFor(input: Pick<ClosureInput, 'operator' | 'classification'> & ClosureBasis, figures: AccountFigures): ClosureSettlementInput {
  return settlementInputFromBasis(
    {
      operatorType: input.operator.type,
      operatorPartyId: input.operator.partyId,
      structure: input.structure,
      closedByAuthority: input.classification === 'authorityClosure',
      turnoverDecisionYear: input.turnoverDecisionYear ?? '',
      otherUnitsTurnoverDecisionYear: input.otherUnitsTurnoverDecisionYear,
      payers: input.payers,
      otherRegionalTilbud: input.otherRegionalTilbud,
    },
    figures,
  );
}

const FIELD_LABELS: Record<string, string> = {
  income: 'Indtægter',
  costs: 'Omkostninger',
  carriedForward: 'Overført fra tidligere år',
  turnoverDecisionYear: 'Omsætning i beslutningsåret',
  otherUnitsTurnoverDecisionYear: 'Omsætning i beslutningsåret for centrets øvrige tilbud',
  payers: 'Betalingskommuner',
  otherRegionalTilbud: 'Regionens øvrige tilbud',
  amount: 'Beløb',
};

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${FIELD_LABELS[String(i.path[0])] ?? (i.path.map(String).join('.') || 'Input')}: ${i.message}`).join('; ');
}

type CaseData = Pick<ClosureInput, 'operator' | 'classification'> & ClosureBasis;

/** What is missing or inconsistent in the settlement basis, in Danish; undefined when it is complete. */
function basisProblem(data: CaseData): string | undefined {
  if (data.turnoverDecisionYear === undefined) return 'Omsætning i beslutningsåret: Skal udfyldes';
  const parsed = closureSettlementInputSchema.safeParse(settlementInputFor(data, { income: '0', costs: '0', carriedForward: '0' }));
  return parsed.success ? undefined : describeIssues(parsed.error.issues);
}

/** Rejects (with the Danish reason) figures that are not kroner strings or that the calculation cannot settle. */
function checkFigures(input: CaseData, figures: Partial<AccountFigures> | undefined): void {
  const incomplete = basisProblem(input);
  if (incomplete) throw new Error(`Grundlaget for efterreguleringen er ufuldstændigt (${incomplete}); registrér grundlaget først`);
  const f = figures ?? {};
  const money = [
    ['income', unsignedKronerSchema.safeParse(f.income)],
    ['costs', unsignedKronerSchema.safeParse(f.costs)],
    ['carriedForward', signedKronerSchema.safeParse(f.carriedForward)],
  ] as const;
  const bad = money.filter(([, r]) => !r.success).map(([field, r]) => ({ path: [field], message: r.error!.issues[0]!.message }));
  if (bad.length) throw new Error(describeIssues(bad));
  const parsed = closureSettlementInputSchema.safeParse(settlementInputFor(input, f as AccountFigures));
  if (!parsed.success) throw new Error(describeIssues(parsed.error.issues));
}

const PARTY_ID = /^[a-z0-9-]+$/;

/** Checks the shape of a basis Update (the whole merged basis is checked by `basisProblem`). */
function checkBasisInput(u: SettlementBasisInput): void {
  const money = (field: string, v: unknown) => {
    const r = unsignedKronerSchema.safeParse(v);
    if (!r.success) throw new Error(`${field}: ${r.error.issues[0]!.message}`);
  };
  const party = (what: string, p: unknown) => {
    const x = p as Partial<ClosureParty> | undefined;
    if (typeof x?.partyId !== 'string' || !PARTY_ID.test(x.partyId)) throw new Error(`${what}: ukendt part-id ${JSON.stringify(x?.partyId)}`);
    if (typeof x.name !== 'string' || !x.name.trim()) throw new Error(`${what} ${x.partyId}: navn skal udfyldes`);
  };
  if (u.structure !== undefined && u.structure !== 'standalone' && u.structure !== 'economicUnit') {
    throw new Error('Struktur: skal være "standalone" (selvstændigt tilbud) eller "economicUnit" (del af en økonomisk enhed)');
  }
  if (u.turnoverDecisionYear !== undefined) money(FIELD_LABELS.turnoverDecisionYear!, u.turnoverDecisionYear);
  if (u.otherUnitsTurnoverDecisionYear !== undefined) money(FIELD_LABELS.otherUnitsTurnoverDecisionYear!, u.otherUnitsTurnoverDecisionYear);
  if (u.payers !== undefined) {
    if (!Array.isArray(u.payers)) throw new Error('Betalingskommuner: skal være en liste');
    for (const p of u.payers) {
      party('Betalingskommune', p);
      money(`Betalingskommune ${p.partyId}, omsætning år −2`, p.turnoverYearMinus2);
      money(`Betalingskommune ${p.partyId}, omsætning år −1`, p.turnoverYearMinus1);
    }
  }
  if (u.actingMunicipalities !== undefined) {
    if (!Array.isArray(u.actingMunicipalities)) throw new Error('Handlekommuner: skal være en liste');
    for (const p of u.actingMunicipalities) party('Handlekommune', p);
  }
  if (u.otherRegionalTilbud !== undefined) {
    if (!Array.isArray(u.otherRegionalTilbud)) throw new Error('Regionens øvrige tilbud: skal være en liste');
    for (const t of u.otherRegionalTilbud) {
      if (typeof t?.id !== 'string' || !t.id || typeof t.name !== 'string' || !t.name.trim()) throw new Error('Regionens øvrige tilbud: id og navn skal udfyldes');
      if (t.costBudget !== undefined) money(`${t.name}, omkostningsbudget`, t.costBudget);
      if (t.turnover !== undefined) money(`${t.name}, omsætning`, t.turnover);
    }
  }
}

function pickBasis(x: Partial<ClosureBasis> & Pick<ClosureBasis, 'structure'>): ClosureBasis {
  return {
    structure: x.structure,
    ...(x.turnoverDecisionYear !== undefined ? { turnoverDecisionYear: x.turnoverDecisionYear } : {}),
    ...(x.otherUnitsTurnoverDecisionYear !== undefined ? { otherUnitsTurnoverDecisionYear: x.otherUnitsTurnoverDecisionYear } : {}),
    payers: x.payers ?? [],
    actingMunicipalities: x.actingMunicipalities ?? [],
    ...(x.otherRegionalTilbud !== undefined ? { otherRegionalTilbud: x.otherRegionalTilbud } : {}),
  };
}

function requireActor(x: { actor?: unknown } | undefined): void {
  if (typeof x?.actor !== 'string' || !x.actor.trim()) throw new Error('Mangler aktør');
}

const fmt = (d: string) => formatDanishDate(d as PlainDate);

type Phase = 'starting' | 'hearing' | 'decision' | 'notices' | 'provisional' | 'provisionalTreatment' | 'changes' | 'finalTreatment' | 'settlement' | 'done';
const BASIS_PHASES: readonly Phase[] = ['starting', 'hearing', 'decision', 'notices', 'provisional', 'provisionalTreatment', 'changes'];

export async function closureOfTilbud(input: ClosureInput): Promise<ClosureResult> {
  const ordinary = input.classification === 'closure';
  const details: ClosureDetails = {
    tilbudName: input.tilbudName,
    operator: input.operator,
    classification: input.classification,
    reason: input.reason,
    ...(input.parentCaseId ? { parentCaseId: input.parentCaseId } : {}),
    basis: pickBasis(input),
    materialChanges: [],
  };
  const c = new CaseRecord({ procedure: 'closure', title: closureCaseTitle(input), stage: 'Oprettet', details: details as unknown as Record<string, unknown> });
  const deadlines = new DeadlineBook(c);
  const approvals = new Approvals(c);
  const tilbud = input.tilbudName;
  const op = input.operator;

  const data = (): CaseData => ({ operator: op, classification: input.classification, ...details.basis });
  // Handlekommuner and betalingskommuner, without the operator: they are the "berørte kommuner" the accounts go
  // to (002:1951-1952, 1959-1960); the operator draws the accounts up itself.
  const affected = (): ClosureParty[] => {
    const out: ClosureParty[] = [];
    for (const p of [...details.basis.actingMunicipalities, ...details.basis.payers]) {
      if (p.partyId !== op.partyId && !out.some((a) => a.partyId === p.partyId)) out.push({ partyId: p.partyId, name: p.name });
    }
    return out;
  };
  const names = (): Record<string, string> =>
    Object.fromEntries([
      ...details.basis.payers.map((p) => [p.partyId, p.name]),
      ...(details.basis.otherRegionalTilbud ?? []).map((t) => [t.id, t.name]),
      [op.partyId, op.name],
    ]);
  let partyState = 'registreret';
  const partyList = (state?: string) => {
    if (state) partyState = state;
    return [{ partyId: op.partyId, name: op.name, state: 'driftsherre' }, ...affected().map((a) => ({ ...a, state: partyState }))];
  };

  let phase: Phase = 'starting';
  let continuationRequired = false;
  let provisionalReceiving = false;
  let provisionalRevision = 0;
  let provisionalDoc: CaseDocument | undefined;
  let finalReceiving = false;
  let finalRevision = 0;
  let finalDoc: CaseDocument | undefined;

  const notDue = (what: string) => new Error(`${what} er ikke aktuelt nu; sagen står i fasen "${c.state.stage}"`);
  const requireOpen = () => {
    if (c.state.status !== 'open') throw new Error('Sagen er ikke åben');
  };
  c.offers('recordSettlementBasis', () => input.classification !== 'relocation' && input.classification !== 'merger' && BASIS_PHASES.includes(phase) && !provisionalReceiving && !finalReceiving);
  c.offers('recordContinuationCost', () => phase === 'decision' && continuationRequired && !details.continuationCost);
  c.offers('recordClosureDecision', () => phase === 'decision' && (!continuationRequired || !!details.continuationCost));
  c.offers('submitProvisionalAccount', () => phase === 'provisional' && !provisionalReceiving);
  c.offers('announceMaterialChange', () => phase === 'changes');
  c.offers('submitFinalAccount', () => phase === 'changes' && !finalReceiving);
  const documentContext = (settlementInput: ClosureSettlementInput): ClosureDocumentContext => ({
    caseId: c.state.caseId,
    tilbudName: tilbud,
    operatorName: op.name,
    ruleVersion: details.decision!.ruleVersion,
    decisionDate: details.decision!.decisionDate,
    closingDate: details.decision!.closingDate,
    turnoverYears: details.decision!.turnoverYears,
    names: names(),
    settlementInput,
    date: copenhagenToday(),
  });

  setHandler(
    recordSettlementBasisUpdate,
    async (u) => {
      details.basis = pickBasis({ ...details.basis, ...Object.fromEntries(Object.entries(u).filter(([k, v]) => k !== 'actor' && v !== undefined)) });
      const b = details.basis;
      await c.publish(
        { parties: partyList() },
        {
          description:
            `Grundlag for efterreguleringen registreret: ${b.structure === 'standalone' ? 'selvstændigt tilbud' : 'del af en økonomisk enhed'}, omsætning i beslutningsåret ${b.turnoverDecisionYear} kr.` +
            (b.structure === 'economicUnit' ? `, centrets øvrige tilbud ${b.otherUnitsTurnoverDecisionYear} kr.` : '') +
            (b.payers.length ? `; betalingskommuner: ${b.payers.map((p) => `${p.name} (${p.turnoverYearMinus2} + ${p.turnoverYearMinus1} kr.)`).join(', ')}` : '') +
            (b.actingMunicipalities.length ? `; handlekommuner: ${b.actingMunicipalities.map((p) => p.name).join(', ')}` : '') +
            (b.otherRegionalTilbud?.length ? `; regionens øvrige tilbud: ${b.otherRegionalTilbud.map((t) => t.name).join(', ')}` : ''),
          actor: u.actor,
        },
      );
      return details;
    },
    {
      validator: (u) => {
        requireOpen();
        if (!BASIS_PHASES.includes(phase) || provisionalReceiving || finalReceiving) throw notDue('Registrering af grundlaget for efterreguleringen (frem til det endelige lukkeregnskab)');
        if (!u || !Object.entries(u).some(([k, v]) => k !== 'actor' && v !== undefined)) throw new Error('Angiv mindst ét af felterne i grundlaget for efterreguleringen');
        checkBasisInput(u);
        const merged = pickBasis({ ...details.basis, ...Object.fromEntries(Object.entries(u).filter(([k, v]) => k !== 'actor' && v !== undefined)) });
        const problem = basisProblem({ operator: op, classification: input.classification, ...merged });
        if (problem) throw new Error(`Grundlaget for efterreguleringen er ufuldstændigt eller inkonsistent: ${problem}`);
        requireActor(u);
      },
    },
  );

  setHandler(
    recordContinuationCostUpdate,
    async (u) => {
      details.continuationCost = { text: u.text.trim(), amount: u.amount, recordedBy: u.actor, recordedAt: new Date().toISOString() };
      await c.publish(
        { stage: 'Afventer beslutning om lukning' },
        {
          description: `De økonomiske konsekvenser ved at videreføre tilbuddet er dokumenteret (002:1633-1636): ${details.continuationCost.text} Beløb: ${u.amount} kr.`,
          actor: u.actor,
        },
      );
      return details;
    },
    {
      validator: (u) => {
        requireOpen();
        if (phase !== 'decision') throw notDue('Dokumentation af omkostningerne ved at videreføre tilbuddet');
        if (!continuationRequired) throw new Error('Socialdirektørforum har ikke fundet pladserne vigtige for den samlede udbudsvifte, så omkostningerne ved at videreføre tilbuddet skal ikke dokumenteres');
        if (details.continuationCost) throw new Error('Omkostningerne ved at videreføre tilbuddet er allerede dokumenteret');
        if (typeof u?.text !== 'string' || u.text.trim().length < 10) throw new Error('Beskriv de økonomiske konsekvenser ved at videreføre tilbuddet (mindst 10 tegn)');
        const amount = unsignedKronerSchema.safeParse(u.amount);
        if (!amount.success) throw new Error(describeIssues([{ path: ['amount'], message: amount.error.issues[0]!.message }]));
        requireActor(u);
      },
    },
  );

  setHandler(
    recordClosureDecisionUpdate,
    async (u) => {
      const decisionYear = yearOf(u.decisionDate as PlainDate);
      const ruleVersion = rammeaftaleInForce(decisionYear);
      details.decision = {
        decisionDate: u.decisionDate,
        closingDate: u.closingDate,
        decisionYear,
        ruleVersion,
        turnoverYears: [decisionYear - 2, decisionYear - 1],
        decidedBy: u.actor,
      };
      if (ruleVersion !== ENGINE_RULE_VERSION) {
        c.state.warnings.push(
          `Beslutningsåret ${decisionYear} hører under ${ruleVersion}, men sagsmotorens beregning følger ${ENGINE_RULE_VERSION}: kontrollér, at reglerne for lukning og efterregulering er uændrede.`,
        );
      }
      phase = 'notices';
      await c.publish(
        { stage: 'Lukning besluttet' },
        {
          description:
            `${ordinary ? 'Lukningen er besluttet' : 'Myndighedens afgørelse om lukning er registreret'} ${fmt(u.decisionDate)} med lukning pr. ${fmt(u.closingDate)}. ` +
            `Beslutningsåret ${decisionYear} fastlægger reglerne: ${ruleVersion} (002:1661-1662)` +
            (ordinary
              ? `; selvrisikoen regnes af den takstbaserede omsætning i ${decisionYear}, og fordelingsnøglen er betalingskommunernes omsætning i ${decisionYear - 2} og ${decisionYear - 1} (002:1769-1771).`
              : '; der sker ingen efterregulering, og et eventuelt underskud påhviler alene driftsherren (002:1696-1697).'),
          actor: u.actor,
        },
      );
      return details;
    },
    {
      validator: (u) => {
        requireOpen();
        if (phase !== 'decision') throw notDue('Registrering af beslutningen om lukning');
        if (continuationRequired && !details.continuationCost) {
          throw new Error('Socialdirektørforum finder pladserne vigtige for den samlede udbudsvifte: de økonomiske konsekvenser ved at videreføre tilbuddet skal dokumenteres, før beslutningen om lukning registreres');
        }
        if (!isPlainDate(u?.decisionDate)) throw new Error('Beslutningsdato skal være en dato (ÅÅÅÅ-MM-DD)');
        if (u.decisionDate > copenhagenToday()) throw new Error('Beslutningsdatoen kan ikke ligge i fremtiden');
        const hearingDate = details.hearing?.meetingDate;
        if (hearingDate && u.decisionDate < hearingDate) throw new Error(`Beslutningen kan ikke ligge før høringen i Socialdirektørforum (${hearingDate})`);
        if (!isPlainDate(u.closingDate)) throw new Error('Lukkedato skal være en dato (ÅÅÅÅ-MM-DD)');
        if (u.closingDate < u.decisionDate) throw new Error('Lukkedatoen kan ikke ligge før beslutningsdatoen');
        requireActor(u);
      },
    },
  );

  const accountRecord = async (u: AccountFigures & { actor: string; auditorStatement?: string }, kind: 'provisional' | 'final', revision: number) => {
    const settlementInput = settlementInputFor(data(), u);
    const rendered = await acts.renderClosureAccount({ ...documentContext(settlementInput), kind, revision, ...(u.auditorStatement ? { auditorStatement: u.auditorStatement.trim() } : {}) });
    const record: AccountRecord = {
      income: u.income,
      costs: u.costs,
      carriedForward: u.carriedForward,
      revision,
      submittedBy: u.actor,
      submittedAt: new Date().toISOString(),
      ...(u.auditorStatement ? { auditorStatement: u.auditorStatement.trim() } : {}),
      toDistribute: rendered.expected.toDistribute,
      shares: rendered.expected.shares,
    };
    return { record, document: rendered.document };
  };

  setHandler(
    submitProvisionalAccountUpdate,
    async (u) => {
      provisionalReceiving = true;
      try {
        const { record, document } = await accountRecord(u, 'provisional', provisionalRevision + 1);
        // Only the first submission answers the deadline; a revision FU asked for is not late.
        record.late = record.revision === 1 && Date.now() > Date.parse(deadlines.get('provisionalAccount').plan.deadline.dueAt);
        details.provisionalAccount = record;
        provisionalDoc = document;
        await c.publish(
          {},
          {
            description:
              `Foreløbigt lukkeregnskab${record.revision > 1 ? ` (version ${record.revision})` : ''} modtaget fra driftsherren${record.late ? ' efter fristen' : ''}: ` +
              `indtægter ${u.income} kr., omkostninger ${u.costs} kr., overført ${u.carriedForward} kr.; forventet til fordeling ${record.toDistribute} kr.`,
            actor: u.actor,
            documents: [document],
          },
        );
        provisionalRevision = record.revision;
        return { accepted: true as const, late: record.late };
      } finally {
        provisionalReceiving = false;
      }
    },
    {
      validator: (u) => {
        requireOpen();
        if (phase !== 'provisional' || provisionalReceiving) throw notDue('Indsendelse af det foreløbige lukkeregnskab');
        checkFigures(data(), u);
        requireActor(u);
      },
    },
  );

  setHandler(
    announceMaterialChangeUpdate,
    async (u) => {
      const n = details.materialChanges.length + 1;
      details.materialChanges.push({ text: u.text.trim(), actor: u.actor, at: new Date().toISOString() });
      const sent = await acts.sendClosureMail({
        caseId: c.state.caseId,
        step: `materialChange:${n}`,
        partyIds: affected().map((a) => a.partyId),
        addresses: { greeting: 'Til Forretningsudvalget', emails: input.fuRecipients },
        subject: `Væsentlig ændring af det foreløbige lukkeregnskab for ${tilbud}`,
        content: {
          heading: `Væsentlig ændring af det foreløbige lukkeregnskab for ${tilbud}`,
          paragraphs: [
            `${op.name} orienterer om en væsentlig ændring af det foreløbige lukkeregnskab (Rammeaftalens bilag 5, procedure for lukkeregnskab, pkt. 4):`,
            u.text.trim(),
          ],
          facts: [{ label: 'Sagsnummer', value: c.state.caseId }],
        },
      });
      await c.publish(
        {},
        { description: `Væsentlig ændring af det foreløbige lukkeregnskab meddelt Forretningsudvalget og de berørte kommuner (${sent.recipients} e-mails): ${u.text.trim()}`, actor: u.actor },
      );
      return { recipients: sent.recipients };
    },
    {
      validator: (u) => {
        requireOpen();
        if (phase !== 'changes') throw notDue('Meddelelse om væsentlige ændringer (frem til det endelige lukkeregnskab foreligger)');
        if (typeof u?.text !== 'string' || u.text.trim().length < 10) throw new Error('Beskriv den væsentlige ændring (mindst 10 tegn)');
        requireActor(u);
      },
    },
  );

  setHandler(
    submitFinalAccountUpdate,
    async (u) => {
      finalReceiving = true;
      try {
        const { record, document } = await accountRecord(u, 'final', finalRevision + 1);
        details.finalAccount = record;
        finalDoc = document;
        await c.publish(
          {},
          {
            description:
              `Endeligt lukkeregnskab${record.revision > 1 ? ` (version ${record.revision})` : ''} modtaget: indtægter ${u.income} kr., omkostninger ${u.costs} kr., overført ${u.carriedForward} kr.; ` +
              `til fordeling ${record.toDistribute} kr.${record.auditorStatement ? `. Revisionspåtegning: ${record.auditorStatement}` : ''}`,
            actor: u.actor,
            documents: [document],
          },
        );
        finalRevision = record.revision;
        return { accepted: true as const };
      } finally {
        finalReceiving = false;
      }
    },
    {
      validator: (u) => {
        requireOpen();
        if (phase !== 'changes' || finalReceiving) throw notDue('Indsendelse af det endelige lukkeregnskab');
        checkFigures(data(), u);
        // "skal revisionspåtegnes, såfremt der skal ske en efterregulering" (002:1957); A-16: a surplus too.
        const settled = calculateClosureSettlement(settlementInputFor(data(), u)).settled;
        if (ordinary && settled !== '0' && (typeof u.auditorStatement !== 'string' || u.auditorStatement.trim().length < 10)) {
          throw new Error('Det endelige lukkeregnskab skal være revisionspåtegnet, fordi der skal ske en efterregulering: angiv revisors påtegning (mindst 10 tegn)');
        }
        requireActor(u);
      },
    },
  );

  const provisionalNotice = async (p: DeadlinePoint) => {
    const d = deadlines.get('provisionalAccount');
    if (p.kind === 'reminder' || p.kind === 'due') {
      await c.attempt('E-mailen til driftsherren om det foreløbige lukkeregnskab kunne ikke sendes', () => acts.notifyParties({
        caseId: c.state.caseId,
        procedure: 'closure',
        step: 'provisionalAccount',
        reminder: `${p.kind}:${p.date}`,
        partyIds: [op.partyId],
        subject: `Påmindelse: foreløbigt lukkeregnskab for ${tilbud} senest ${fmt(d.plan.deadline.dueDate)}`,
        content: {
          heading: `Det foreløbige lukkeregnskab for ${tilbud} er endnu ikke modtaget`,
          paragraphs: [
            p.kind === 'due'
              ? 'Fristen udløber i dag.'
              : `Der er ${p.workingDaysBefore} ${p.workingDaysBefore === 1 ? 'arbejdsdag' : 'arbejdsdage'} til fristen.`,
            'Regnskabet skal indeholde de forventede udgifter og en eventuel fordeling af dem på betalingskommunerne (Rammeaftalens bilag 5).',
          ],
          facts: [{ label: 'Sagsnummer', value: c.state.caseId }],
        },
        deadline: { ...d.plan.deadline, revision: d.revision },
      }));
      await c.publish(
        {},
        { description: `Foreløbigt lukkeregnskab: påmindelse sendt til driftsherren ${op.name} (${p.kind === 'due' ? 'på fristdagen' : `${p.workingDaysBefore} arbejdsdage før fristen`})`, actor: 'system' },
      );
    } else if (p.kind === 'expired') {
      await c.publish(
        { parties: partyList('afventer driftsherrens lukkeregnskab') },
        { description: `Fristen for det foreløbige lukkeregnskab (${d.plan.deadline.dueDate}) er overskredet; driftsherren ${op.name} har ikke indsendt det`, actor: 'system' },
      );
    } else {
      await acts.notifySecretariat({
        caseId: c.state.caseId,
        step: `provisionalAccount:escalation:${p.date}`,
        subject: `Eskalering: foreløbigt lukkeregnskab for ${tilbud} mangler (${c.state.caseId})`,
        heading: `${op.name} har ikke indsendt det foreløbige lukkeregnskab for ${tilbud}`,
        paragraphs: [
          `Fristen "${d.plan.deadline.wording}" udløb ${fmt(d.plan.deadline.dueDate)} (beslutning om lukning ${fmt(details.decision!.decisionDate)}).`,
          'Kontakt driftsherren, eller forlæng fristen i sagen med en begrundelse.',
        ],
      });
      await c.publish({}, { description: 'Foreløbigt lukkeregnskab: eskaleret til sekretariatet', actor: 'system' });
    }
  };

  const outcome = await runUntilWithdrawn(c, async (): Promise<ClosureOutcome> => {
    await c.publish(
      { parties: partyList('registreret') },
      {
        description:
          `Sag oprettet (${CLASSIFICATION_LABELS[input.classification]}): ${tilbud}; driftsherre ${op.name} (${op.type === 'municipal' ? 'kommunal' : 'regional'}, ` +
          `${input.structure === 'standalone' ? 'selvstændigt tilbud' : 'del af en økonomisk enhed'}). Begrundelse: ${input.reason}` +
          (input.standaloneConditions
            ? ' Bekræftet for et selvstændigt tilbud: selvstændigt budget, egne takster og en dokumenteret fordelingsnøgle for fællesudgifterne.'
            : '') +
          (input.parentCaseId ? ` Startet fra sag ${input.parentCaseId}.` : ''),
        actor: input.startedBy,
      },
    );

    if (input.classification === 'relocation' || input.classification === 'merger') {
      await c.publish(
        { stage: input.classification === 'relocation' ? 'Flytning – ikke en lukning' : 'Sammenlægning – ikke en lukning', status: 'completed' },
        {
          description: `${CLASSIFICATION_LABELS[input.classification]} betragtes ikke som en lukning; reglerne om lukkeregnskab og efterregulering i Rammeaftalens bilag 5 anvendes ikke (002:1699). Sagen er registreret og afsluttet.`,
          actor: 'system',
        },
      );
      return 'notAClosure';
    }

    const problem = basisProblem(data());
    if (problem) {
      const w = `Grundlaget for efterreguleringen er ufuldstændigt (${problem}); det skal registreres, før lukkeregnskaberne kan modtages`;
      c.state.warnings.push(w);
      await c.publish({}, { description: w, actor: 'system' });
    }
    if (!input.fuRecipients.length) {
      const w = 'Der er ingen modtagere for Forretningsudvalget; orienteringerne af FU sendes ikke';
      c.state.warnings.push(w);
      await c.publish({}, { description: w, actor: 'system' });
    }

    // Steps 0 and 1 (and the list of the region's parties for step 3) do not depend on each other, so they go
    // out together.
    const [possible, fu, regionParties] = await Promise.all([
      // Step 0: "tidligst muligt informere handlekommuner og betalingskommuner om mulig lukning" (002:1657-1659).
      ordinary && affected().length
        ? acts.notifyParties({
            caseId: c.state.caseId,
            procedure: 'closure',
            step: 'possibleClosure',
            partyIds: affected().map((a) => a.partyId),
            subject: `Mulig lukning af ${tilbud}`,
            content: {
              heading: `${op.name} overvejer at lukke ${tilbud}`,
              paragraphs: [
                `Driftsherren skal tidligst muligt informere handlekommuner og betalingskommuner om en mulig lukning (Rammeaftalens bilag 5). Begrundelse: ${input.reason}`,
                'Lukningen høres i Socialdirektørforum, før der træffes beslutning. I får særskilt besked, når lukningen er besluttet, med opsigelsesvarsel og betalingsperiode.',
              ],
              facts: [{ label: 'Sagsnummer', value: c.state.caseId }],
            },
          })
        : Promise.resolve(undefined),
      // Step 1: "Driftsherre orienterer Forretningsudvalget hurtigst muligt vedrørende lukning af et tilbud" (002:1940).
      input.fuRecipients.length
        ? acts.sendClosureMail({
            caseId: c.state.caseId,
            step: 'fuOrientation',
            addresses: { greeting: 'Til Forretningsudvalget', emails: input.fuRecipients },
            subject: `Orientering: ${ordinary ? 'lukning' : 'myndighedslukning'} af ${tilbud}`,
            content: {
              heading: `Orientering om ${ordinary ? 'lukning' : 'lukning efter myndighedsafgørelse'} af ${tilbud}`,
              paragraphs: [
                `${op.name} orienterer Forretningsudvalget om ${ordinary ? 'lukning' : 'lukningen'} af ${tilbud} (Rammeaftalens bilag 5, procedure for lukkeregnskab, pkt. 1). Begrundelse: ${input.reason}`,
                ordinary
                  ? 'Lukningen høres i Socialdirektørforum før beslutningen. Det foreløbige lukkeregnskab sendes til Forretningsudvalget senest 3 måneder efter beslutningen.'
                  : 'Tilbuddet lukkes af Socialtilsynet eller anden offentlig myndighed: der sker ingen efterregulering, og et eventuelt underskud påhviler alene driftsherren.',
              ],
              facts: [{ label: 'Sagsnummer', value: c.state.caseId }],
            },
          })
        : Promise.resolve(undefined),
      ordinary ? acts.listRegionParties({ region: HOME_REGION }) : Promise.resolve([]),
    ]);
    if (possible) {
      await c.publish(
        { parties: partyList('orienteret om mulig lukning') },
        { description: `Handlekommuner og betalingskommuner orienteret om mulig lukning (${possible.recipients} e-mails)`, actor: 'system' },
      );
    }
    if (fu) await c.publish({}, { description: `Forretningsudvalget orienteret (${fu.recipients} e-mails: ${input.fuRecipients.join(', ')})`, actor: 'system' });

    if (ordinary) {
      // Steps 2-3: the hearing in SDF, announced to every municipality of the region and other user municipalities.
      phase = 'hearing';
      const hearingParties = [...regionParties.map((p) => p.partyId), ...affected().map((a) => a.partyId).filter((id) => !regionParties.some((p) => p.partyId === id))];
      const broadcast = await acts.sendClosureMail({
        caseId: c.state.caseId,
        step: 'hearing',
        partyIds: hearingParties,
        subject: `Høring i Socialdirektørforum: lukning af ${tilbud}`,
        content: {
          heading: `${op.name} ønsker at lukke ${tilbud}`,
          paragraphs: [
            `Lukningen høres i Socialdirektørforum og meddeles alle kommuner i Syddanmark og eventuelle andre brugerkommuner (Rammeaftalens bilag 4, tabel 4.1).`,
            `Begrundelse: ${input.reason}`,
          ],
          facts: [{ label: 'Sagsnummer', value: c.state.caseId }],
        },
      });
      await c.publish({}, { description: `Lukningen meddelt alle kommuner i Syddanmark og andre brugerkommuner (${broadcast.recipients} e-mails)`, actor: 'system' });
      // Reading of the Approvals outcome for a hearing: 'approved' = SDF has no objection; 'amend' or 'rejected'
      // = SDF finds the places important "for den samlede udbudsvifte", so the cost of continuing must be shown
      // (002:1632-1636). The hearing is advisory; the decision remains the operator's.
      const heard = await approvals.run('hearing', 'Høring om lukningen', ['SDF'], { stagePrefix: 'Høring' });
      continuationRequired = heard !== 'approved';
      details.hearing = { outcome: heard, placesImportant: continuationRequired, meetingDate: c.state.approvals.hearing!.steps[0]!.meetingDate };
      // The decision step is open as soon as the case shows its stage (a user who sees the stage may act at
      // once, while the read model is still being written).
      phase = 'decision';
      await c.publish(
        { stage: continuationRequired ? 'Afventer dokumentation af omkostninger ved videreførelse' : 'Afventer beslutning om lukning' },
        {
          description: continuationRequired
            ? 'Socialdirektørforum finder pladserne vigtige for den samlede udbudsvifte: de økonomiske konsekvenser ved at videreføre tilbuddet skal fremgå, før der træffes beslutning'
            : 'Socialdirektørforum har ingen indvendinger mod lukningen',
          actor: 'system',
        },
      );
    } else {
      phase = 'decision';
      await c.publish({ stage: 'Afventer registrering af myndighedens afgørelse' }, { description: 'Myndighedens afgørelse om lukning skal registreres med dato og lukkedato', actor: 'system' });
    }

    // Step 4: the decision (its step opened above, with the stage).
    await condition(() => phase === 'notices');
    const decision = details.decision!;

    // Step 5: written notice to each handlekommune, "løbende måned plus to måneder" (002:2155-2160, 2173).
    const dates = await acts.planClosureDates({
      decisionDate: decision.decisionDate,
      closingDate: decision.closingDate,
      noticeDate: copenhagenToday(),
      reading: input.noticeReading ?? 'runningMonthPlus',
    });
    details.notice = dates.notice;
    // Versioned (README, "Changing a running procedure"): from 3 December 2026 payment ends at the closing date
    // and a closing date before the notice's end is a warning; histories recorded before replay without it.
    if (patched('closure-payment-ends-at-closing-date') && dates.notice.closingBeforeNoticeEnd) {
      const w =
        `Lukkedatoen ${fmt(decision.closingDate)} ligger før opsigelsesvarslets udløb ${fmt(dates.notice.minimumEnd)} ` +
        `(varslet er ${dates.notice.readingText}, regnet fra opsigelsen ${fmt(dates.notice.noticeDate)}; Rammeaftalens bilag 6). ` +
        (ordinary
          ? `Handlekommunerne betaler kun til og med lukkedatoen; driftsherren har ikke givet det varsel, bilaget kræver.`
          : `Lukningen sker efter myndighedens afgørelse: handlekommunerne betaler til og med lukkedatoen, og et eventuelt underskud påhviler alene driftsherren.`);
      c.state.warnings.push(w);
      await c.publish({}, { description: `ADVARSEL: ${w}`, actor: 'system' });
    }
    const acting = details.basis.actingMunicipalities.filter((a) => a.partyId !== op.partyId);
    // Step 6: the provisional account "hurtigst muligt og senest 3 måneder efter beslutningen" (002:1942-1943);
    // its deadline is planned while the notices go out.
    const [sent, d] = await Promise.all([
      acting.length
        ? acts.notifyParties({
            caseId: c.state.caseId,
            procedure: 'closure',
            step: 'closureNotice',
            partyIds: acting.map((a) => a.partyId),
            subject: `Meddelelse om lukning af ${tilbud}: betaling til og med ${fmt(dates.notice.paidThrough)}`,
            content: {
              heading: `${tilbud} lukker`,
              paragraphs: [
                ordinary
                  ? `${op.name} har ${fmt(decision.decisionDate)} besluttet at lukke ${tilbud} pr. ${fmt(decision.closingDate)}.`
                  : `${tilbud} lukkes efter afgørelse af Socialtilsynet eller anden offentlig myndighed (${fmt(decision.decisionDate)}) pr. ${fmt(decision.closingDate)}.`,
                `Denne meddelelse er den skriftlige opsigelse til handlekommunerne efter Rammeaftalens bilag 6 ("Udbyder meddeler handlekommunerne når tilbuddet besluttes lukket. Dog gælder løbende måned plus to måneder"). Opsigelsen er givet ${fmt(dates.notice.noticeDate)}; varslet er ${dates.notice.readingText}, så tidligste ophør er ${fmt(dates.notice.minimumEnd)}.`,
                `Kommunen betaler for sine borgere til og med ${fmt(dates.notice.paidThrough)}. Der kan kun opkræves betaling, indtil pladsen overtages af en ny borger.`,
              ],
              facts: [
                { label: 'Sagsnummer', value: c.state.caseId },
                { label: 'Lukkedato', value: fmt(decision.closingDate) },
                { label: 'Betaling til og med', value: fmt(dates.notice.paidThrough) },
              ],
            },
          })
        : Promise.resolve(undefined),
      deadlines.add('provisionalAccount', 'Foreløbigt lukkeregnskab', dates.provisionalSpec, input.ladder),
    ]);
    if (sent) {
      await c.publish(
        { stage: 'Lukning varslet', parties: partyList('lukning varslet') },
        {
          description:
            `Skriftlig opsigelse sendt til handlekommunerne ${acting.map((a) => a.name).join(', ')} (${sent.recipients} e-mails). ${dates.notice.explanation} ` +
            (dates.notice.other.minimumEnd
              ? `Ved den anden læsning af "løbende måned plus to måneder" (${dates.notice.other.readingText}) ville varslet tidligst udløbe ${fmt(dates.notice.other.minimumEnd)}.`
              : `Ved den anden læsning af "løbende måned plus to måneder" (${dates.notice.other.readingText}) ville betalingen løbe til og med ${fmt(dates.notice.other.paidThrough)} (A-22).`),
          actor: 'system',
        },
      );
    }
    await c.attempt('E-mailen til driftsherren om det foreløbige lukkeregnskab kunne ikke sendes', () => acts.notifyParties({
      caseId: c.state.caseId,
      procedure: 'closure',
      step: 'provisionalAccount',
      partyIds: [op.partyId],
      subject: `Frist for foreløbigt lukkeregnskab for ${tilbud}: ${fmt(d.plan.deadline.dueDate)}`,
      content: {
        heading: `Foreløbigt lukkeregnskab for ${tilbud}`,
        paragraphs: [
          `Lukningen er besluttet ${fmt(decision.decisionDate)}. Driftsherren udarbejder et foreløbigt lukkeregnskab med de forventede udgifter og en eventuel fordeling af dem på betalingskommunerne; det sendes til orientering i Forretningsudvalget og derefter til de berørte kommuner (Rammeaftalens bilag 5).`,
        ],
        facts: [{ label: 'Sagsnummer', value: c.state.caseId }],
      },
      deadline: { ...d.plan.deadline, revision: d.revision },
    }));
    phase = 'provisional';
    await c.publish(
      { stage: 'Afventer foreløbigt lukkeregnskab' },
      { description: `Frist for det foreløbige lukkeregnskab sendt til driftsherren ${op.name}: ${fmt(d.plan.deadline.dueDate)} ("${d.plan.deadline.wording}")`, actor: 'system' },
    );
    await deadlines.follow('provisionalAccount', { isDone: () => provisionalRevision > 0, onPoint: provisionalNotice });
    await condition(() => provisionalRevision > 0);
    await deadlines.close('provisionalAccount', details.provisionalAccount!.late ? 'expired' : 'met');

    // Reading of "sendes til orientering til Forretningsudvalget" + "Når det foreløbige lukkeregnskab har været
    // behandlet i Forretningsudvalget" (002:1943-1952): FU receives it for orientation, and its meeting is
    // recorded as an FU step before the account goes on. 'approved' = taken note of; 'amend'/'rejected' = FU
    // asks the operator for a revised account, which goes to FU again.
    for (;;) {
      phase = 'provisionalTreatment';
      const rev = provisionalRevision;
      await acts.sendClosureMail({
        caseId: c.state.caseId,
        step: `provisionalAccount:fu:${rev}`,
        addresses: { greeting: 'Til Forretningsudvalget', emails: input.fuRecipients },
        subject: `Til orientering: foreløbigt lukkeregnskab for ${tilbud}`,
        content: {
          heading: `Foreløbigt lukkeregnskab for ${tilbud}${rev > 1 ? ` (version ${rev})` : ''}`,
          paragraphs: [`${op.name} sender hermed det foreløbige lukkeregnskab til orientering (Rammeaftalens bilag 5, procedure for lukkeregnskab, pkt. 2). Regnskabet er vedhæftet.`],
          facts: [{ label: 'Sagsnummer', value: c.state.caseId }],
        },
        documents: [provisionalDoc!],
      });
      await c.publish({}, { description: `Foreløbigt lukkeregnskab sendt til Forretningsudvalget til orientering`, actor: 'system' });
      const treated = await approvals.run('provisionalAccount', 'Foreløbigt lukkeregnskab', ['FU']);
      if (treated === 'approved') break;
      phase = 'provisional';
      await c.publish({ stage: 'Afventer revideret foreløbigt lukkeregnskab' }, { description: 'Forretningsudvalget har bedt om et revideret foreløbigt lukkeregnskab', actor: 'system' });
      await condition(() => provisionalRevision > rev);
    }

    // Step 7: to the affected municipalities after FU (002:1951-1952).
    if (affected().length) {
      const sent = await acts.sendClosureMail({
        caseId: c.state.caseId,
        step: `provisionalAccount:municipalities:${provisionalRevision}`,
        partyIds: affected().map((a) => a.partyId),
        subject: `Foreløbigt lukkeregnskab for ${tilbud}`,
        content: {
          heading: `Foreløbigt lukkeregnskab for ${tilbud}`,
          paragraphs: [
            `Det foreløbige lukkeregnskab har været behandlet i Forretningsudvalget og sendes hermed til de berørte kommuner (Rammeaftalens bilag 5). Regnskabet med den forventede fordeling er vedhæftet.`,
            'Frem til det endelige lukkeregnskab foreligger, orienterer driftsherren om væsentlige ændringer.',
          ],
          facts: [{ label: 'Sagsnummer', value: c.state.caseId }],
        },
        documents: [provisionalDoc!],
      });
      await c.publish({ parties: partyList('foreløbigt lukkeregnskab modtaget') }, { description: `Foreløbigt lukkeregnskab sendt til de berørte kommuner (${sent.recipients} e-mails)`, actor: 'system' });
    }

    // Steps 8-9: material changes until the final, audited account (no deadline is stated for it, A-9).
    for (;;) {
      phase = 'changes';
      const rev = finalRevision;
      await c.publish({ stage: 'Afventer endeligt lukkeregnskab' }, { description: 'Afventer driftsherrens endelige lukkeregnskab; væsentlige ændringer meddeles Forretningsudvalget og de berørte kommuner', actor: 'system' });
      await condition(() => finalRevision > rev);
      // Step 10: "Dette forelægges Socialdirektørforum" (002:1958).
      phase = 'finalTreatment';
      const treated = await approvals.run('finalAccount', 'Endeligt lukkeregnskab', ['SDF']);
      if (treated === 'approved') break;
      await c.publish({}, { description: 'Socialdirektørforum har sendt det endelige lukkeregnskab tilbage til driftsherren', actor: 'system' });
    }

    // Step 11: to the affected municipalities after SDF (002:1959-1960).
    if (affected().length) {
      const sent = await acts.sendClosureMail({
        caseId: c.state.caseId,
        step: `finalAccount:municipalities:${finalRevision}`,
        partyIds: affected().map((a) => a.partyId),
        subject: `Endeligt lukkeregnskab for ${tilbud}`,
        content: {
          heading: `Endeligt lukkeregnskab for ${tilbud}`,
          paragraphs: ['Det endelige lukkeregnskab har været behandlet i Socialdirektørforum og sendes hermed til de berørte kommuner (Rammeaftalens bilag 5). Regnskabet er vedhæftet.'],
          facts: [{ label: 'Sagsnummer', value: c.state.caseId }],
        },
        documents: [finalDoc!],
      });
      await c.publish({ parties: partyList('endeligt lukkeregnskab modtaget') }, { description: `Endeligt lukkeregnskab sendt til de berørte kommuner (${sent.recipients} e-mails)`, actor: 'system' });
    }

    // Step 12: the settlement from the final account's figures, kept as documents in the journal.
    phase = 'settlement';
    const final = details.finalAccount!;
    const settlementInput = settlementInputFor(data(), final);
    const settled = await acts.settleClosure({ ...documentContext(settlementInput), closedByAuthority: !ordinary });
    details.settlement = settled.settlement;
    const s = settled.settlement;
    await c.publish(
      {},
      {
        description: ordinary
          ? `Efterregulering opgjort efter ${decision.ruleVersion}: til fordeling ${s.toDistribute} kr., selvrisiko ${s.ownRisk} kr., videreført til centrets øvrige tilbud ${s.toOtherUnits} kr., efterreguleres ${s.settled} kr.; samlet for driftsherre ${s.operatorTotal} kr. Fordeling: ${s.named.map((x) => `${x.name} ${x.amount} kr.`).join(', ')}`
          : `Opgørelse uden efterregulering (lukket af myndighed): resultat ${s.toDistribute} kr.; driftsherren bærer ${s.operatorTotal} kr.`,
        actor: 'system',
        documents: settled.documents,
      },
    );
    if (!ordinary) {
      await c.publish(
        { stage: 'Afsluttet – lukket af myndighed, ingen efterregulering', status: 'completed' },
        { description: 'Lukkeregnskaberne er behandlet; der sker ingen efterregulering, og sagen er afsluttet', actor: 'system' },
      );
      return 'closedByAuthority';
    }
    const notified = await acts.notifySettlement({
      caseId: c.state.caseId,
      tilbudName: tilbud,
      operator: op,
      ruleVersion: decision.ruleVersion,
      turnoverYears: decision.turnoverYears,
      settlementInput,
      settlement: s,
    });
    await c.publish(
      { stage: 'Afsluttet – efterreguleret', status: 'completed', parties: partyList('efterregulering meddelt') },
      { description: `Hver betalingskommune og driftsherren har fået meddelelse om sit eget beløb (${notified.notified.map((id) => names()[id] ?? id).join(', ')})`, actor: 'system' },
    );
    return 'settled';
  });

  phase = 'done';
  await condition(allHandlersFinished);
  const s = details.settlement;
  return {
    outcome: outcome === 'withdrawn' ? 'withdrawn' : outcome,
    status: c.state.status,
    ...(details.decision ? { decisionDate: details.decision.decisionDate, closingDate: details.decision.closingDate, ruleVersion: details.decision.ruleVersion } : {}),
    ...(s ? { settlement: { toDistribute: s.toDistribute, ownRisk: s.ownRisk, toOtherUnits: s.toOtherUnits, settled: s.settled, operatorTotal: s.operatorTotal, shares: s.shares } } : {}),
  };
}
