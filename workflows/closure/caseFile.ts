/** The closure case: its record, the facts the steps record and the views of its parties. */
import type { StepDocument } from '../../contracts/documents';
import type { ClosureSettlementInput } from '../../domain/closureSettlement';
import { CaseRecord } from '../blocks/caseRecord';
import { DeadlineBook } from '../blocks/deadlines';
import { Approvals } from '../blocks/approvals';
import { copenhagenToday } from '../blocks/time';
import { closureCaseTitle, type ClosureBasis, type ClosureDetails, type ClosureDocumentContext, type ClosureInput, type ClosureParty } from './contract';
import type { ClosureCase } from './messages';
import { pickBasis, type CaseData } from './settlementBasis';

/** What the flow waits for from the secretariat now; set by the flow where it waits. */
type WaitingFor = 'decision' | 'provisionalAccount' | 'finalAccount' | undefined;

export interface Account {
  /** The latest revision received (0: none yet); the flow waits for it to grow. */
  revision: number;
  /** A submission is being rendered and recorded. */
  receiving: boolean;
  /** The kept account (its content only in cases recorded before `documents-by-reference`). */
  document?: StepDocument;
}

/** One closure case: its record, the facts the steps record and the views of its parties. */
export class ClosureCaseFile {
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
