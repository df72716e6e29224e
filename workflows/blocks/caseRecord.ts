/**
 * The case as the workflow keeps it: stage, status, next deadline, parties and journal. Every change goes
 * through `publish`, which pushes a summary with a higher version to the read model and writes the journal
 * entry, so the dashboard never shows a state the workflow has not reached.
 *
 * A step an activity refuses for good (invalid data, a broken constraint, an unknown party: a non-retryable
 * failure) does not stall the case: `publish` and `attempt` record it as `attention` ("Kræver handling: …"),
 * which the Query, the summary and the dashboard's filter carry, and the procedure goes on where it can.
 */
import { defineQuery, defineUpdate, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type { z } from 'zod';
import { describeErrors, readStep, type StepDefinition, type StepInputSchema } from '../../contracts/kit/step';
import { readModel } from './proxies';
import { permanentActivityFailure } from './failures';
import type { CaseState, JournalView } from '../../contracts/caseState';
import type { StepDocument } from '../../contracts/documents';
export type { CaseState, JournalView };

/** The patch from which a summary carries the next deadline only when it changed. */
const SUMMARY_SENDS_CHANGES_ONLY = 'summary-sends-changes-only';



export const caseStateQuery = defineQuery<CaseState<object>>('caseState');

/** `D`: the procedure's details, typed by its contract; the blocks take any `CaseRecord<object>`. */
export class CaseRecord<D extends object = Record<string, unknown>> {
  private version = 0;
  /** The parties as the last summary sent them: a summary carries them only when they changed. */
  private sentParties: string | undefined;
  private sentNextDeadline: string | undefined;
  readonly state: CaseState<D>;
  private readonly steps = new Map<string, { due: () => boolean; afterCompletion: boolean }>();

  constructor(init: { procedure: string; title: string; stage: string; details: D }) {
    this.state = {
      caseId: workflowInfo().workflowId,
      procedure: init.procedure,
      title: init.title,
      stage: init.stage,
      status: 'open',
      nextDeadline: null,
      parties: [],
      journalCount: 0,
      deadlines: {},
      collections: {},
      approvals: {},
      warnings: [],
      details: init.details,
      stageHistory: [{ stage: init.stage, at: new Date().toISOString() }],
    };
    setHandler(caseStateQuery, () => ({ ...this.state, openSteps: [...this.steps].filter(([name]) => this.isDue(name)).map(([name]) => name) }));
  }

  /** Declares a step of the procedure and when it is due; the Update's validator keeps the final word. */
  offers(step: string, isDue: () => boolean, afterCompletion = false): void {
    this.steps.set(step, { due: isDue, afterCompletion });
  }

  /** A step is due while the case is open (or, for a step that says so, after it completed) and its own
   * condition holds. */
  private isDue(step: string): boolean {
    const s = this.steps.get(step);
    if (!s) return false;
    const open = this.state.status === 'open' || (s.afterCompletion && this.state.status === 'completed');
    return open && s.due();
  }

  /**
   * Installs a step defined in the procedure's contract: the Update handler, its validator (is the case open and
   * the step due? → the schema, with Danish labels → the procedure's own check) and the offer on the case page,
   * judged by the same `dueWhen`. The handler records facts; the flow acts on them.
   */
  step<S extends StepInputSchema, R>(
    def: StepDefinition<string, S, R>,
    h: {
      dueWhen: () => boolean;
      /** Why the step is not due now, in Danish, where the case knows better than the definition's `notDue`. */
      notDueBecause?: () => string | undefined;
      /** The step stays open after the case completed (while the workflow still runs). */
      afterCompletion?: boolean;
      /** A Danish reason to refuse a well-formed input (a quota table that does not add up), or nothing. */
      check?: (input: z.output<S>) => string | undefined;
      run: (input: z.output<S> & { actor: string }) => Promise<R>;
    },
  ): void {
    this.offers(def.name, h.dueWhen, h.afterCompletion ?? false);
    const parse = (arg: unknown): z.output<S> & { actor: string } => {
      const read = readStep(def, arg);
      if (!read.ok) throw new Error(describeErrors(read.errors));
      return { ...read.value, actor: (arg as { actor: string }).actor };
    };
    setHandler(defineUpdate<R, [unknown]>(def.name), (arg) => h.run(parse(arg)), {
      validator: (arg) => {
        if (!this.isDue(def.name)) throw new Error((this.state.status === 'open' ? h.notDueBecause?.() : undefined) ?? def.notDue);
        const actor = (arg as { actor?: unknown } | null)?.actor;
        if (typeof actor !== 'string' || !actor.trim()) throw new Error('Mangler aktør');
        // Parsed whether or not the step has a check: `h.check?.(parse(arg))` skips the parse without one, and the
        // handler then fails the workflow task on an input the validator should have refused.
        const input = parse(arg);
        const reason = h.check?.(input);
        if (reason) throw new Error(reason);
      },
    });
  }

  /** Marks the case "Kræver handling" (the first reason stays) and tells the read model with a write that
   * carries none of the refused data. If even that is refused, the Query still shows it. */
  async needsAttention(reason: string): Promise<void> {
    const short = reason.length > 500 ? `${reason.slice(0, 499)}…` : reason;
    this.state.attention ??= { reason: short, since: new Date().toISOString() };
    try {
      await readModel.markCaseAttention({ caseId: this.state.caseId, procedure: this.state.procedure, title: this.state.title, stage: this.state.stage, ...this.state.attention });
    } catch (err) {
      if (!permanentActivityFailure(err)) throw err;
    }
  }

  /** Runs a step's activity; a permanent failure marks the case "Kræver handling: <what>: <why>" and returns
   * `{ ok: false }` so the procedure can go on without the step. Other failures propagate as before. */
  async attempt<T>(what: string, run: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; reason: string }> {
    try {
      return { ok: true, value: await run() };
    } catch (err) {
      const failure = permanentActivityFailure(err);
      if (!failure) throw err;
      const reason = `${what}: ${failure.message}`;
      await this.needsAttention(reason);
      return { ok: false, reason };
    }
  }

  /** `attempt` for a step whose result the procedure reads on: the fallback stands in for a refused step. */
  async orElse<T>(what: string, fallback: T, run: () => Promise<T>): Promise<T> {
    const r = await this.attempt(what, run);
    return r.ok ? r.value : fallback;
  }

  /** The earliest deadline still open is the one the dashboard shows. */
  private refreshNextDeadline(): void {
    const open = Object.values(this.state.deadlines)
      .filter((d) => d.status === 'open')
      .sort((a, b) => (a.plan.deadline.dueDate < b.plan.deadline.dueDate ? -1 : 1));
    this.state.nextDeadline = open[0] ? { ...open[0].plan.deadline, label: open[0].label } : null;
  }

  /** Records a step: the journal entry, then the new summary. The entry key is the step's sequence number,
   * deterministic on replay. */
  async publish(
    change: Partial<Pick<CaseState, 'stage' | 'status' | 'nextDeadline' | 'parties'>>,
    journal: { description: string; actor: string; documents?: StepDocument[] },
  ): Promise<void> {
    if (change.stage !== undefined && change.stage !== this.state.stage) this.state.stageHistory?.push({ stage: change.stage, at: new Date().toISOString() });
    Object.assign(this.state, change);
    this.refreshNextDeadline();
    this.version += 1;
    const at = new Date().toISOString();
    const entry = { at, description: journal.description, actor: journal.actor, documents: journal.documents ?? [] };
    // The entry goes to the read model only; the workflow keeps the count (its state stays small).
    this.state.journalCount += 1;
    const { attention } = this.state;
    const parties = JSON.stringify(this.state.parties);
    const partiesChanged = parties !== this.sentParties;
    this.sentParties = parties;
    // The next deadline, too, goes only when it changed (histories before the patch send it every time).
    const nextDeadline = JSON.stringify(this.state.nextDeadline);
    const deadlineChanged = nextDeadline !== this.sentNextDeadline || !patched(SUMMARY_SENDS_CHANGES_ONLY);
    this.sentNextDeadline = nextDeadline;
    const record = readModel.recordCaseChange({
      summary: {
        caseId: this.state.caseId,
        procedure: this.state.procedure,
        title: this.state.title,
        stage: this.state.stage,
        status: this.state.status,
        ...(deadlineChanged ? { nextDeadline: this.state.nextDeadline } : {}),
        ...(partiesChanged ? { parties: this.state.parties } : {}),
        awaitingBody: Object.values(this.state.approvals).flatMap((a) => a.steps.filter((x) => x.status === 'current').map((x) => x.body))[0] ?? null,
        ...(attention ? { attention } : {}),
        version: this.version,
      },
      journal: { caseId: this.state.caseId, entryKey: String(this.version).padStart(6, '0'), ...entry },
    });
    try {
      await record;
    } catch (err) {
      const failure = permanentActivityFailure(err);
      if (!failure) throw err;
      // The step happened in the case; only its record was refused. The case goes on and shows why.
      await this.needsAttention(`Trinnet "${journal.description}" kunne ikke gemmes i sagsoversigten: ${failure.message}`);
    }
  }
}
