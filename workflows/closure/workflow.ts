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
 *
 * The steps' handlers record facts (the decision, the continuation cost, an account and its revision); the
 * phases below wait for them where the procedure needs them, and the flow at the bottom reads like §5.3.
 */
import { allHandlersFinished, condition, patched } from '@temporalio/workflow';
import type { DeadlinePoint } from '../../contracts/deadlines';
import type { CaseDocument } from '../../contracts/documents';
import { calculateClosureSettlement, closureSettlementInputSchema, type ClosureSettlementInput } from '../../domain/closureSettlement';
import { yearOf, type PlainDate } from '../../domain/calendar/plainDate';
import { HOME_REGION } from '../../domain/region';
import { CaseRecord } from '../blocks/caseRecord';
import { DeadlineBook } from '../blocks/deadlines';
import { Approvals } from '../blocks/approvals';
import { runUntilWithdrawn } from '../blocks/withdrawal';
import { acts } from '../blocks/proxies';
import { copenhagenToday } from '../blocks/time';
import {
  CLASSIFICATION_LABELS,
  ENGINE_RULE_VERSION,
  announceMaterialChangeStep,
  closureCaseTitle,
  rammeaftaleInForce,
  recordClosureDecisionStep,
  recordContinuationCostStep,
  recordSettlementBasisStep,
  settlementInputFor,
  submitFinalAccountStep,
  submitProvisionalAccountStep,
  type AccountFigures,
  type AccountRecord,
  type ClosureBasis,
  type ClosureDetails,
  type ClosureDocumentContext,
  type ClosureInput,
  type ClosureOutcome,
  type ClosureParty,
  type ClosureResult,
  type SettlementBasisStepInput,
} from './contract';
import {
  closureNotice,
  finalAccountToMunicipalities,
  fmt,
  fuOrientation,
  hearingNotice,
  materialChangeNotice,
  possibleClosureNotice,
  provisionalAccountDeadline,
  provisionalAccountEscalation,
  provisionalAccountReminder,
  provisionalAccountToFu,
  provisionalAccountToMunicipalities,
  type ClosureCase,
} from './messages';

export type { ClosureInput, ClosureDetails, ClosureResult };

// ---------------------------------------------------------------------------------------------------------------
// The settlement basis and the accounts' figures: what is missing or inconsistent, in Danish
// ---------------------------------------------------------------------------------------------------------------

// Labels of the settlement calculation's fields, for its cross-field messages.
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

/** Why figures (already kroner strings, by the step's schema) cannot be settled on this basis, in Danish. */
function figuresProblem(data: CaseData, figures: AccountFigures): string | undefined {
  const incomplete = basisProblem(data);
  if (incomplete) return `Grundlaget for efterreguleringen er ufuldstændigt (${incomplete}); registrér grundlaget først`;
  const parsed = closureSettlementInputSchema.safeParse(settlementInputFor(data, figures));
  return parsed.success ? undefined : describeIssues(parsed.error.issues);
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

/** The party ids a basis step names: its payers and handlekommuner, with the names it gives. */
function partiesOf(u: SettlementBasisStepInput): { partyId: string; name?: string | undefined }[] {
  return [...(u.payers ?? []), ...(u.actingMunicipalities ?? []).map((a) => (typeof a === 'string' ? { partyId: a } : a))];
}

/** The basis as it stands after the step: the fields it gives replace the registered ones, with names. */
function mergedBasis(basis: ClosureBasis, u: SettlementBasisStepInput, nameOf: (p: { partyId: string; name?: string | undefined }) => string): ClosureBasis {
  const acting = u.actingMunicipalities?.map((a) => (typeof a === 'string' ? { partyId: a } : a));
  return pickBasis({
    structure: u.structure ?? basis.structure,
    turnoverDecisionYear: u.turnoverDecisionYear ?? basis.turnoverDecisionYear,
    otherUnitsTurnoverDecisionYear: u.otherUnitsTurnoverDecisionYear ?? basis.otherUnitsTurnoverDecisionYear,
    payers: u.payers?.map((p) => ({ partyId: p.partyId, name: nameOf(p), turnoverYearMinus2: p.turnoverYearMinus2, turnoverYearMinus1: p.turnoverYearMinus1 })) ?? basis.payers,
    actingMunicipalities: acting?.map((a) => ({ partyId: a.partyId, name: nameOf(a) })) ?? basis.actingMunicipalities,
    otherRegionalTilbud: u.otherRegionalTilbud ?? basis.otherRegionalTilbud,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The case
// ---------------------------------------------------------------------------------------------------------------

/** What the flow waits for from the secretariat now; set by the flow where it waits. */
type WaitingFor = 'decision' | 'provisionalAccount' | 'finalAccount' | undefined;

interface Account {
  /** The latest revision received (0: none yet); the flow waits for it to grow. */
  revision: number;
  /** A submission is being rendered and recorded. */
  receiving: boolean;
  document?: CaseDocument;
}

/** One closure case: its record, the facts the steps record and the views of its parties. */
class ClosureCaseFile {
  readonly ordinary: boolean;
  readonly details: ClosureDetails;
  readonly c: CaseRecord<ClosureDetails>;
  readonly deadlines: DeadlineBook;
  readonly approvals: Approvals;
  readonly op: ClosureInput['operator'];
  readonly facts = {
    waitingFor: undefined as WaitingFor,
    /** The basis can be changed until SDF has the final account (again when SDF sends it back). */
    basisOpen: true,
    /** SDF found the places important: the cost of continuing must be documented before the decision. */
    continuationRequired: false,
    provisional: { revision: 0, receiving: false } as Account,
    final: { revision: 0, receiving: false } as Account,
  };
  private partyState = 'registreret';

  constructor(readonly input: ClosureInput) {
    this.ordinary = input.classification === 'closure';
    this.op = input.operator;
    this.details = {
      tilbudName: input.tilbudName,
      operator: input.operator,
      classification: input.classification,
      reason: input.reason,
      ...(input.parentCaseId ? { parentCaseId: input.parentCaseId } : {}),
      basis: pickBasis(input),
      materialChanges: [],
    };
    this.c = new CaseRecord({ procedure: 'closure', title: closureCaseTitle(input), stage: 'Oprettet', details: this.details });
    this.deadlines = new DeadlineBook(this.c);
    this.approvals = new Approvals(this.c);
  }

  get k(): ClosureCase {
    return { caseId: this.c.state.caseId, input: this.input };
  }

  get notAClosure(): boolean {
    return this.input.classification === 'relocation' || this.input.classification === 'merger';
  }

  data(basis: ClosureBasis = this.details.basis): CaseData {
    return { operator: this.op, classification: this.input.classification, ...basis };
  }

  /** Handlekommuner and betalingskommuner, without the operator: they are the "berørte kommuner" the accounts go
   * to (002:1951-1952, 1959-1960); the operator draws the accounts up itself. */
  affected(): ClosureParty[] {
    const out: ClosureParty[] = [];
    for (const p of [...this.details.basis.actingMunicipalities, ...this.details.basis.payers]) {
      if (p.partyId !== this.op.partyId && !out.some((a) => a.partyId === p.partyId)) out.push({ partyId: p.partyId, name: p.name });
    }
    return out;
  }

  names(): Record<string, string> {
    return Object.fromEntries([
      ...this.details.basis.payers.map((p) => [p.partyId, p.name]),
      ...(this.details.basis.otherRegionalTilbud ?? []).map((t) => [t.id, t.name]),
      [this.op.partyId, this.op.name],
    ]);
  }

  partyList(state?: string) {
    if (state) this.partyState = state;
    return [{ partyId: this.op.partyId, name: this.op.name, state: 'driftsherre' }, ...this.affected().map((a) => ({ ...a, state: this.partyState }))];
  }

  /** "<what> er ikke aktuelt nu; sagen står i fasen …": a step asked for before or after its time. */
  notDueNow(what: string): string {
    return `${what} er ikke aktuelt nu; sagen står i fasen "${this.c.state.stage}"`;
  }

  documentContext(settlementInput: ClosureSettlementInput): ClosureDocumentContext {
    const decision = this.details.decision!;
    return {
      caseId: this.c.state.caseId,
      tilbudName: this.input.tilbudName,
      operatorName: this.op.name,
      ruleVersion: decision.ruleVersion,
      decisionDate: decision.decisionDate,
      closingDate: decision.closingDate,
      turnoverYears: decision.turnoverYears,
      names: this.names(),
      settlementInput,
      date: copenhagenToday(),
    };
  }

  async warn(w: string): Promise<void> {
    this.c.state.warnings.push(w);
    await this.c.publish({}, { description: w, actor: 'system' });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The steps: each handler records its fact; the phases below act on them
// ---------------------------------------------------------------------------------------------------------------

/** The names of the parties a basis step names: as given, else as the case knows them, else from the directory
 * (the case page's form gives party ids only). */
async function partyNames(x: ClosureCaseFile, u: SettlementBasisStepInput): Promise<(p: { partyId: string; name?: string | undefined }) => string> {
  const known = new Map<string, string>([...x.details.basis.payers, ...x.details.basis.actingMunicipalities, x.op].map((p) => [p.partyId, p.name]));
  const missing = [...new Set(partiesOf(u).filter((p) => !p.name && !known.has(p.partyId)).map((p) => p.partyId))];
  if (missing.length) {
    const found = await x.c.orElse('Kommunernes navne kunne ikke slås op i adressebogen', [], () => acts.resolveRecipients({ partyIds: missing, procedure: 'closure' }));
    for (const r of found) known.set(r.partyId, r.name);
  }
  return (p) => p.name ?? known.get(p.partyId) ?? p.partyId;
}

function basisStep(x: ClosureCaseFile): void {
  const { c, facts } = x;
  c.step(recordSettlementBasisStep, {
    dueWhen: () => !x.notAClosure && facts.basisOpen && !facts.provisional.receiving && !facts.final.receiving,
    notDueBecause: () => x.notDueNow('Registrering af grundlaget for efterreguleringen (frem til det endelige lukkeregnskab)'),
    check: (u) => {
      if (!Object.entries(u).some(([k, v]) => k !== 'actor' && v !== undefined)) return 'Angiv mindst ét af felterne i grundlaget for efterreguleringen';
      const problem = basisProblem(x.data(mergedBasis(x.details.basis, u, (p) => p.name ?? p.partyId)));
      return problem ? `Grundlaget for efterreguleringen er ufuldstændigt eller inkonsistent: ${problem}` : undefined;
    },
    run: async (u) => {
      const nameOf = await partyNames(x, u);
      x.details.basis = mergedBasis(x.details.basis, u, nameOf);
      const b = x.details.basis;
      await c.publish(
        { parties: x.partyList() },
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
      return x.details;
    },
  });
}

function decisionSteps(x: ClosureCaseFile): void {
  const { c, facts, details } = x;
  const deciding = () => facts.waitingFor === 'decision' && !details.decision;
  c.step(recordContinuationCostStep, {
    dueWhen: () => deciding() && facts.continuationRequired && !details.continuationCost,
    notDueBecause: () =>
      !deciding()
        ? x.notDueNow('Dokumentation af omkostningerne ved at videreføre tilbuddet')
        : !facts.continuationRequired
          ? 'Socialdirektørforum har ikke fundet pladserne vigtige for den samlede udbudsvifte, så omkostningerne ved at videreføre tilbuddet skal ikke dokumenteres'
          : 'Omkostningerne ved at videreføre tilbuddet er allerede dokumenteret',
    run: async (u) => {
      details.continuationCost = { text: u.text, amount: u.amount, recordedBy: u.actor, recordedAt: new Date().toISOString() };
      await c.publish(
        { stage: 'Afventer beslutning om lukning' },
        { description: `De økonomiske konsekvenser ved at videreføre tilbuddet er dokumenteret (002:1633-1636): ${details.continuationCost.text} Beløb: ${u.amount} kr.`, actor: u.actor },
      );
      return details;
    },
  });

  c.step(recordClosureDecisionStep, {
    dueWhen: () => deciding() && (!facts.continuationRequired || !!details.continuationCost),
    notDueBecause: () =>
      !deciding()
        ? x.notDueNow('Registrering af beslutningen om lukning')
        : 'Socialdirektørforum finder pladserne vigtige for den samlede udbudsvifte: de økonomiske konsekvenser ved at videreføre tilbuddet skal dokumenteres, før beslutningen om lukning registreres',
    check: (u) => {
      const hearingDate = details.hearing?.meetingDate;
      if (u.decisionDate > copenhagenToday()) return 'Beslutningsdatoen kan ikke ligge i fremtiden';
      if (hearingDate && u.decisionDate < hearingDate) return `Beslutningen kan ikke ligge før høringen i Socialdirektørforum (${hearingDate})`;
      if (u.closingDate < u.decisionDate) return 'Lukkedatoen kan ikke ligge før beslutningsdatoen';
      return undefined;
    },
    run: async (u) => {
      const decisionYear = yearOf(u.decisionDate as PlainDate);
      const ruleVersion = rammeaftaleInForce(decisionYear);
      details.decision = { decisionDate: u.decisionDate, closingDate: u.closingDate, decisionYear, ruleVersion, turnoverYears: [decisionYear - 2, decisionYear - 1], decidedBy: u.actor };
      if (ruleVersion !== ENGINE_RULE_VERSION) {
        c.state.warnings.push(
          `Beslutningsåret ${decisionYear} hører under ${ruleVersion}, men sagsmotorens beregning følger ${ENGINE_RULE_VERSION}: kontrollér, at reglerne for lukning og efterregulering er uændrede.`,
        );
      }
      await c.publish(
        { stage: 'Lukning besluttet' },
        {
          description:
            `${x.ordinary ? 'Lukningen er besluttet' : 'Myndighedens afgørelse om lukning er registreret'} ${fmt(u.decisionDate)} med lukning pr. ${fmt(u.closingDate)}. ` +
            `Beslutningsåret ${decisionYear} fastlægger reglerne: ${ruleVersion} (002:1661-1662)` +
            (x.ordinary
              ? `; selvrisikoen regnes af den takstbaserede omsætning i ${decisionYear}, og fordelingsnøglen er betalingskommunernes omsætning i ${decisionYear - 2} og ${decisionYear - 1} (002:1769-1771).`
              : '; der sker ingen efterregulering, og et eventuelt underskud påhviler alene driftsherren (002:1696-1697).'),
          actor: u.actor,
        },
      );
      return details;
    },
  });
}

/** Renders an account and what its figures give. */
async function accountRecord(x: ClosureCaseFile, u: AccountFigures & { actor: string; auditorStatement?: string | undefined }, kind: 'provisional' | 'final', revision: number) {
  const settlementInput = settlementInputFor(x.data(), u);
  const rendered = await acts.renderClosureAccount({ ...x.documentContext(settlementInput), kind, revision, ...(u.auditorStatement ? { auditorStatement: u.auditorStatement } : {}) });
  const record: AccountRecord = {
    income: u.income,
    costs: u.costs,
    carriedForward: u.carriedForward,
    revision,
    submittedBy: u.actor,
    submittedAt: new Date().toISOString(),
    ...(u.auditorStatement ? { auditorStatement: u.auditorStatement } : {}),
    toDistribute: rendered.expected.toDistribute,
    shares: rendered.expected.shares,
  };
  return { record, document: rendered.document };
}

/** Records an account while `receiving` holds the basis and the account's own step closed. */
async function receiving<T>(account: Account, run: () => Promise<T>): Promise<T> {
  account.receiving = true;
  try {
    return await run();
  } finally {
    account.receiving = false;
  }
}

function accountSteps(x: ClosureCaseFile): void {
  const { c, facts, details } = x;
  c.step(submitProvisionalAccountStep, {
    dueWhen: () => facts.waitingFor === 'provisionalAccount' && !facts.provisional.receiving,
    notDueBecause: () => x.notDueNow('Indsendelse af det foreløbige lukkeregnskab'),
    check: (u) => figuresProblem(x.data(), u),
    run: (u) =>
      receiving(facts.provisional, async () => {
        const { record, document } = await accountRecord(x, u, 'provisional', facts.provisional.revision + 1);
        // Only the first submission answers the deadline; a revision FU asked for is not late.
        record.late = record.revision === 1 && Date.now() > Date.parse(x.deadlines.get('provisionalAccount').plan.deadline.dueAt);
        details.provisionalAccount = record;
        facts.provisional.document = document;
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
        facts.provisional.revision = record.revision;
        return { accepted: true as const, late: record.late };
      }),
  });

  c.step(announceMaterialChangeStep, {
    dueWhen: () => facts.waitingFor === 'finalAccount',
    notDueBecause: () => x.notDueNow('Meddelelse om væsentlige ændringer (frem til det endelige lukkeregnskab foreligger)'),
    run: async (u) => {
      const n = details.materialChanges.length + 1;
      details.materialChanges.push({ text: u.text, actor: u.actor, at: new Date().toISOString() });
      const sent = await acts.sendClosureMail({
        caseId: c.state.caseId,
        step: `materialChange:${n}`,
        partyIds: x.affected().map((a) => a.partyId),
        addresses: { greeting: 'Til Forretningsudvalget', emails: x.input.fuRecipients },
        ...materialChangeNotice(x.k, u.text),
      });
      await c.publish(
        {},
        { description: `Væsentlig ændring af det foreløbige lukkeregnskab meddelt Forretningsudvalget og de berørte kommuner (${sent.recipients} e-mails): ${u.text}`, actor: u.actor },
      );
      return { recipients: sent.recipients };
    },
  });

  c.step(submitFinalAccountStep, {
    dueWhen: () => facts.waitingFor === 'finalAccount' && !facts.final.receiving,
    notDueBecause: () => x.notDueNow('Indsendelse af det endelige lukkeregnskab'),
    check: (u) => {
      const problem = figuresProblem(x.data(), u);
      if (problem) return problem;
      // "skal revisionspåtegnes, såfremt der skal ske en efterregulering" (002:1957); A-16: a surplus too.
      const settled = calculateClosureSettlement(settlementInputFor(x.data(), u)).settled;
      if (x.ordinary && settled !== '0' && (u.auditorStatement ?? '').length < 10) {
        return 'Det endelige lukkeregnskab skal være revisionspåtegnet, fordi der skal ske en efterregulering: angiv revisors påtegning (mindst 10 tegn)';
      }
      return undefined;
    },
    run: (u) =>
      receiving(facts.final, async () => {
        const { record, document } = await accountRecord(x, u, 'final', facts.final.revision + 1);
        details.finalAccount = record;
        facts.final.document = document;
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
        facts.final.revision = record.revision;
        return { accepted: true as const };
      }),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The phases of §5.3
// ---------------------------------------------------------------------------------------------------------------

/** The case is opened; a relocation or merger is recorded and completed, it is not a closure (002:1699). */
async function opened(x: ClosureCaseFile): Promise<void> {
  const { input } = x;
  await x.c.publish(
    { parties: x.partyList('registreret') },
    {
      description:
        `Sag oprettet (${CLASSIFICATION_LABELS[input.classification]}): ${input.tilbudName}; driftsherre ${x.op.name} (${x.op.type === 'municipal' ? 'kommunal' : 'regional'}, ` +
        `${input.structure === 'standalone' ? 'selvstændigt tilbud' : 'del af en økonomisk enhed'}). Begrundelse: ${input.reason}` +
        (input.standaloneConditions ? ' Bekræftet for et selvstændigt tilbud: selvstændigt budget, egne takster og en dokumenteret fordelingsnøgle for fællesudgifterne.' : '') +
        (input.parentCaseId ? ` Startet fra sag ${input.parentCaseId}.` : ''),
      actor: input.startedBy,
    },
  );
}

async function recordedAsNotAClosure(x: ClosureCaseFile): Promise<void> {
  const cls = x.input.classification;
  await x.c.publish(
    { stage: cls === 'relocation' ? 'Flytning – ikke en lukning' : 'Sammenlægning – ikke en lukning', status: 'completed' },
    {
      description: `${CLASSIFICATION_LABELS[cls]} betragtes ikke som en lukning; reglerne om lukkeregnskab og efterregulering i Rammeaftalens bilag 5 anvendes ikke (002:1699). Sagen er registreret og afsluttet.`,
      actor: 'system',
    },
  );
}

/** What the case lacks shows as warnings from the start: an incomplete basis, no recipients for FU. */
async function warnOfGaps(x: ClosureCaseFile): Promise<void> {
  const problem = basisProblem(x.data());
  if (problem) await x.warn(`Grundlaget for efterreguleringen er ufuldstændigt (${problem}); det skal registreres, før lukkeregnskaberne kan modtages`);
  if (!x.input.fuRecipients.length) await x.warn('Der er ingen modtagere for Forretningsudvalget; orienteringerne af FU sendes ikke');
}

/** Steps 0 and 1: the possible closure to the affected municipalities and the orientation of FU; they do not
 * depend on each other (nor on the list of the region's parties the hearing needs), so they go out together.
 * Returns the region's parties. */
async function firstNotices(x: ClosureCaseFile): Promise<{ partyId: string; name: string }[]> {
  const { c, input, ordinary } = x;
  const [possible, fu, regionParties] = await Promise.all([
    ordinary && x.affected().length
      ? acts.notifyParties({ caseId: c.state.caseId, procedure: 'closure', step: 'possibleClosure', partyIds: x.affected().map((a) => a.partyId), ...possibleClosureNotice(x.k) })
      : Promise.resolve(undefined),
    input.fuRecipients.length
      ? acts.sendClosureMail({ caseId: c.state.caseId, step: 'fuOrientation', addresses: { greeting: 'Til Forretningsudvalget', emails: input.fuRecipients }, ...fuOrientation(x.k) })
      : Promise.resolve(undefined),
    ordinary ? acts.listRegionParties({ region: HOME_REGION }) : Promise.resolve([]),
  ]);
  if (possible) {
    await c.publish({ parties: x.partyList('orienteret om mulig lukning') }, { description: `Handlekommuner og betalingskommuner orienteret om mulig lukning (${possible.recipients} e-mails)`, actor: 'system' });
  }
  if (fu) await c.publish({}, { description: `Forretningsudvalget orienteret (${fu.recipients} e-mails: ${input.fuRecipients.join(', ')})`, actor: 'system' });
  return regionParties;
}

/** Steps 2-3: the hearing in SDF, announced to every municipality of the region and other user municipalities.
 * Then the decision step opens, with the stage it is shown under. */
async function hearing(x: ClosureCaseFile, regionParties: { partyId: string }[]): Promise<void> {
  const { c, facts, details } = x;
  const hearingParties = [...regionParties.map((p) => p.partyId), ...x.affected().map((a) => a.partyId).filter((id) => !regionParties.some((p) => p.partyId === id))];
  const broadcast = await acts.sendClosureMail({ caseId: c.state.caseId, step: 'hearing', partyIds: hearingParties, ...hearingNotice(x.k) });
  await c.publish({}, { description: `Lukningen meddelt alle kommuner i Syddanmark og andre brugerkommuner (${broadcast.recipients} e-mails)`, actor: 'system' });
  // Reading of the Approvals outcome for a hearing: 'approved' = SDF has no objection; 'amend' or 'rejected'
  // = SDF finds the places important "for den samlede udbudsvifte", so the cost of continuing must be shown
  // (002:1632-1636). The hearing is advisory; the decision remains the operator's.
  const heard = await x.approvals.run('hearing', 'Høring om lukningen', ['SDF'], { stagePrefix: 'Høring' });
  facts.continuationRequired = heard !== 'approved';
  details.hearing = { outcome: heard, placesImportant: facts.continuationRequired, meetingDate: c.state.approvals.hearing!.steps[0]!.meetingDate };
  // The decision step is open as soon as the case shows its stage (a user who sees the stage may act at once,
  // while the read model is still being written).
  facts.waitingFor = 'decision';
  await c.publish(
    { stage: facts.continuationRequired ? 'Afventer dokumentation af omkostninger ved videreførelse' : 'Afventer beslutning om lukning' },
    {
      description: facts.continuationRequired
        ? 'Socialdirektørforum finder pladserne vigtige for den samlede udbudsvifte: de økonomiske konsekvenser ved at videreføre tilbuddet skal fremgå, før der træffes beslutning'
        : 'Socialdirektørforum har ingen indvendinger mod lukningen',
      actor: 'system',
    },
  );
}

/** Step 4: the decision (an authority's is registered without a hearing); it pins the rule version. */
async function decision(x: ClosureCaseFile): Promise<NonNullable<ClosureDetails['decision']>> {
  if (!x.ordinary) {
    x.facts.waitingFor = 'decision';
    await x.c.publish({ stage: 'Afventer registrering af myndighedens afgørelse' }, { description: 'Myndighedens afgørelse om lukning skal registreres med dato og lukkedato', actor: 'system' });
  }
  await condition(() => !!x.details.decision);
  x.facts.waitingFor = undefined;
  return x.details.decision!;
}

/** Steps 5-6: the written notice to each handlekommune, "løbende måned plus to måneder" (002:2155-2160, 2173),
 * and the provisional account's deadline, "hurtigst muligt og senest 3 måneder efter beslutningen"
 * (002:1942-1943), planned while the notices go out. */
async function closureNotices(x: ClosureCaseFile, decided: NonNullable<ClosureDetails['decision']>): Promise<void> {
  const { c, details, op } = x;
  const dates = await acts.planClosureDates({ decisionDate: decided.decisionDate, closingDate: decided.closingDate, noticeDate: copenhagenToday(), reading: x.input.noticeReading ?? 'runningMonthPlus' });
  details.notice = dates.notice;
  // Versioned (README, "Changing a running procedure"): from 3 December 2026 payment ends at the closing date
  // and a closing date before the notice's end is a warning; histories recorded before replay without it.
  if (patched('closure-payment-ends-at-closing-date') && dates.notice.closingBeforeNoticeEnd) {
    const w =
      `Lukkedatoen ${fmt(decided.closingDate)} ligger før opsigelsesvarslets udløb ${fmt(dates.notice.minimumEnd)} ` +
      `(varslet er ${dates.notice.readingText}, regnet fra opsigelsen ${fmt(dates.notice.noticeDate)}; Rammeaftalens bilag 6). ` +
      (x.ordinary
        ? `Handlekommunerne betaler kun til og med lukkedatoen; driftsherren har ikke givet det varsel, bilaget kræver.`
        : `Lukningen sker efter myndighedens afgørelse: handlekommunerne betaler til og med lukkedatoen, og et eventuelt underskud påhviler alene driftsherren.`);
    c.state.warnings.push(w);
    await c.publish({}, { description: `ADVARSEL: ${w}`, actor: 'system' });
  }
  const acting = details.basis.actingMunicipalities.filter((a) => a.partyId !== op.partyId);
  const [sent, d] = await Promise.all([
    acting.length
      ? acts.notifyParties({ caseId: c.state.caseId, procedure: 'closure', step: 'closureNotice', partyIds: acting.map((a) => a.partyId), ...closureNotice(x.k, decided, dates.notice) })
      : Promise.resolve(undefined),
    x.deadlines.add('provisionalAccount', 'Foreløbigt lukkeregnskab', dates.provisionalSpec, x.input.ladder),
  ]);
  if (sent) {
    await c.publish(
      { stage: 'Lukning varslet', parties: x.partyList('lukning varslet') },
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
  await c.attempt('E-mailen til driftsherren om det foreløbige lukkeregnskab kunne ikke sendes', () =>
    acts.notifyParties({
      caseId: c.state.caseId,
      procedure: 'closure',
      step: 'provisionalAccount',
      partyIds: [op.partyId],
      ...provisionalAccountDeadline(x.k, decided.decisionDate, d.plan.deadline.dueDate),
      deadline: { ...d.plan.deadline, revision: d.revision },
    }),
  );
}

/** The provisional account's deadline: reminders to the operator, the late flag, the escalation. */
async function provisionalNotice(x: ClosureCaseFile, p: DeadlinePoint): Promise<void> {
  const { c, op } = x;
  const d = x.deadlines.get('provisionalAccount');
  if (p.kind === 'reminder' || p.kind === 'due') {
    await c.attempt('E-mailen til driftsherren om det foreløbige lukkeregnskab kunne ikke sendes', () =>
      acts.notifyParties({
        caseId: c.state.caseId,
        procedure: 'closure',
        step: 'provisionalAccount',
        reminder: `${p.kind}:${p.date}`,
        partyIds: [op.partyId],
        ...provisionalAccountReminder(x.k, p, d.plan.deadline.dueDate),
        deadline: { ...d.plan.deadline, revision: d.revision },
      }),
    );
    await c.publish(
      {},
      { description: `Foreløbigt lukkeregnskab: påmindelse sendt til driftsherren ${op.name} (${p.kind === 'due' ? 'på fristdagen' : `${p.workingDaysBefore} arbejdsdage før fristen`})`, actor: 'system' },
    );
  } else if (p.kind === 'expired') {
    await c.publish(
      { parties: x.partyList('afventer driftsherrens lukkeregnskab') },
      { description: `Fristen for det foreløbige lukkeregnskab (${d.plan.deadline.dueDate}) er overskredet; driftsherren ${op.name} har ikke indsendt det`, actor: 'system' },
    );
  } else {
    await acts.notifySecretariat({ caseId: c.state.caseId, step: `provisionalAccount:escalation:${p.date}`, ...provisionalAccountEscalation(x.k, d.plan.deadline, x.details.decision!.decisionDate) });
    await c.publish({}, { description: 'Foreløbigt lukkeregnskab: eskaleret til sekretariatet', actor: 'system' });
  }
}

/** Step 6: the provisional account, awaited beside its deadline. Reading of "sendes til orientering til
 * Forretningsudvalget" + "Når det foreløbige lukkeregnskab har været behandlet i Forretningsudvalget"
 * (002:1943-1952): FU receives it for orientation, and its meeting is recorded as an FU step before the account
 * goes on. 'approved' = taken note of; 'amend'/'rejected' = FU asks for a revised account, which goes to FU again. */
async function provisionalAccount(x: ClosureCaseFile): Promise<void> {
  const { c, facts, op } = x;
  const account = facts.provisional;
  const d = x.deadlines.get('provisionalAccount');
  facts.waitingFor = 'provisionalAccount';
  await c.publish(
    { stage: 'Afventer foreløbigt lukkeregnskab' },
    { description: `Frist for det foreløbige lukkeregnskab sendt til driftsherren ${op.name}: ${fmt(d.plan.deadline.dueDate)} ("${d.plan.deadline.wording}")`, actor: 'system' },
  );
  await x.deadlines.follow('provisionalAccount', { isDone: () => account.revision > 0, onPoint: (p) => provisionalNotice(x, p) });
  await condition(() => account.revision > 0);
  await x.deadlines.close('provisionalAccount', x.details.provisionalAccount!.late ? 'expired' : 'met');
  for (;;) {
    facts.waitingFor = undefined;
    const rev = account.revision;
    await acts.sendClosureMail({
      caseId: c.state.caseId,
      step: `provisionalAccount:fu:${rev}`,
      addresses: { greeting: 'Til Forretningsudvalget', emails: x.input.fuRecipients },
      ...provisionalAccountToFu(x.k, rev),
      documents: [account.document!],
    });
    await c.publish({}, { description: `Foreløbigt lukkeregnskab sendt til Forretningsudvalget til orientering`, actor: 'system' });
    const treated = await x.approvals.run('provisionalAccount', 'Foreløbigt lukkeregnskab', ['FU']);
    if (treated === 'approved') return;
    facts.waitingFor = 'provisionalAccount';
    await c.publish({ stage: 'Afventer revideret foreløbigt lukkeregnskab' }, { description: 'Forretningsudvalget har bedt om et revideret foreløbigt lukkeregnskab', actor: 'system' });
    await condition(() => account.revision > rev);
  }
}

/** Steps 7 and 11: an account, once its body has treated it, to the affected municipalities (002:1951-1952,
 * 1959-1960). */
async function accountToMunicipalities(x: ClosureCaseFile, kind: 'provisional' | 'final'): Promise<void> {
  if (!x.affected().length) return;
  const account = kind === 'provisional' ? x.facts.provisional : x.facts.final;
  const sent = await acts.sendClosureMail({
    caseId: x.c.state.caseId,
    step: `${kind}Account:municipalities:${account.revision}`,
    partyIds: x.affected().map((a) => a.partyId),
    ...(kind === 'provisional' ? provisionalAccountToMunicipalities(x.k) : finalAccountToMunicipalities(x.k)),
    documents: [account.document!],
  });
  const what = kind === 'provisional' ? 'Foreløbigt' : 'Endeligt';
  await x.c.publish({ parties: x.partyList(`${what.toLowerCase()} lukkeregnskab modtaget`) }, { description: `${what} lukkeregnskab sendt til de berørte kommuner (${sent.recipients} e-mails)`, actor: 'system' });
}

/** Steps 8-10: material changes until the final, audited account (no deadline is stated for it, A-9), which
 * "forelægges Socialdirektørforum" (002:1958); SDF may send it back. */
async function finalAccount(x: ClosureCaseFile): Promise<void> {
  const { c, facts } = x;
  for (;;) {
    facts.waitingFor = 'finalAccount';
    facts.basisOpen = true;
    const rev = facts.final.revision;
    await c.publish({ stage: 'Afventer endeligt lukkeregnskab' }, { description: 'Afventer driftsherrens endelige lukkeregnskab; væsentlige ændringer meddeles Forretningsudvalget og de berørte kommuner', actor: 'system' });
    await condition(() => facts.final.revision > rev);
    facts.waitingFor = undefined;
    facts.basisOpen = false;
    const treated = await x.approvals.run('finalAccount', 'Endeligt lukkeregnskab', ['SDF']);
    if (treated === 'approved') return;
    await c.publish({}, { description: 'Socialdirektørforum har sendt det endelige lukkeregnskab tilbage til driftsherren', actor: 'system' });
  }
}

/** Step 12: the settlement from the final account's figures, kept as documents in the journal; each payer and
 * the operator are told their own amount. A closure by an authority has no efterregulering. */
async function settlement(x: ClosureCaseFile, decided: NonNullable<ClosureDetails['decision']>): Promise<ClosureOutcome> {
  const { c, details, ordinary, op } = x;
  const settlementInput = settlementInputFor(x.data(), details.finalAccount!);
  const settled = await acts.settleClosure({ ...x.documentContext(settlementInput), closedByAuthority: !ordinary });
  details.settlement = settled.settlement;
  const s = settled.settlement;
  await c.publish(
    {},
    {
      description: ordinary
        ? `Efterregulering opgjort efter ${decided.ruleVersion}: til fordeling ${s.toDistribute} kr., selvrisiko ${s.ownRisk} kr., videreført til centrets øvrige tilbud ${s.toOtherUnits} kr., efterreguleres ${s.settled} kr.; samlet for driftsherre ${s.operatorTotal} kr. Fordeling: ${s.named.map((n) => `${n.name} ${n.amount} kr.`).join(', ')}`
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
  const notified = await acts.notifySettlement({ caseId: c.state.caseId, tilbudName: x.input.tilbudName, operator: op, ruleVersion: decided.ruleVersion, turnoverYears: decided.turnoverYears, settlementInput, settlement: s });
  await c.publish(
    { stage: 'Afsluttet – efterreguleret', status: 'completed', parties: x.partyList('efterregulering meddelt') },
    { description: `Hver betalingskommune og driftsherren har fået meddelelse om sit eget beløb (${notified.notified.map((id) => x.names()[id] ?? id).join(', ')})`, actor: 'system' },
  );
  return 'settled';
}

// ---------------------------------------------------------------------------------------------------------------
// The procedure
// ---------------------------------------------------------------------------------------------------------------

export async function closureOfTilbud(input: ClosureInput): Promise<ClosureResult> {
  const x = new ClosureCaseFile(input);
  basisStep(x);
  decisionSteps(x);
  accountSteps(x);

  const outcome = await runUntilWithdrawn(x.c, async (): Promise<ClosureOutcome> => {
    await opened(x);
    if (x.notAClosure) {
      await recordedAsNotAClosure(x);
      return 'notAClosure';
    }
    await warnOfGaps(x);
    const regionParties = await firstNotices(x); // steps 0-1
    if (x.ordinary) await hearing(x, regionParties); // steps 2-3
    const decided = await decision(x); // step 4
    await closureNotices(x, decided); // steps 5-6
    await provisionalAccount(x); // step 6, FU
    await accountToMunicipalities(x, 'provisional'); // step 7
    await finalAccount(x); // steps 8-10
    await accountToMunicipalities(x, 'final'); // step 11
    return settlement(x, decided); // step 12
  });

  x.facts.basisOpen = false;
  x.facts.waitingFor = undefined;
  await condition(allHandlersFinished);
  const { details } = x;
  const s = details.settlement;
  return {
    outcome: outcome === 'withdrawn' ? 'withdrawn' : outcome,
    status: x.c.state.status,
    ...(details.decision ? { decisionDate: details.decision.decisionDate, closingDate: details.decision.closingDate, ruleVersion: details.decision.ruleVersion } : {}),
    ...(s ? { settlement: { toDistribute: s.toDistribute, ownRisk: s.ownRisk, toOtherUnits: s.toOtherUnits, settled: s.settled, operatorTotal: s.operatorTotal, shares: s.shares } } : {}),
  };
}
