import { loadDocuments, type DocumentContent } from '../db/documents';
import type { Logger } from '../config/log';
import { findStep } from './steps';
import { readStep } from '../contracts/kit/step';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';
import type { Pool } from 'pg';
import { z } from 'zod';
import { caseIdFor } from './caseIds';
import { findProcedure } from './procedures';
import { StartRefusal } from './procedures/types';
import type { FieldError } from './validation';
import { fieldErrors } from './validation';
import { normaliseValue } from './textInput';
import { CPR_REFUSAL, fieldsWithCpr } from '../domain/personalData';
import { copenhagenToday } from '../domain/calendar/timeZone';
import type { CaseState, JournalView } from '../contracts/caseState';

export const CaseProcedureKey = defineSearchAttributeKey('CaseProcedure', SearchAttributeType.KEYWORD);

/** Lists count their matches exactly up to this many; beyond it they show an estimate ("ca. 60.000 sager"). */
export const COUNT_EXACT_UP_TO = 10_000;

export class InputError extends Error {
  constructor(readonly fields: FieldError[]) {
    super('Ugyldigt input');
  }
}

/** The workflow refused a step (its Update validator or handler said no); the case did not change. */
export class StepRefusedError extends Error {}
export class CaseNotFoundError extends Error {}

// Updates the API may send on a user's behalf. `submitAnswer` is not among them: a party answers through
// its signed link, which names the party (see api/answers.ts).
const ACTION_NAME = /^(?!submitAnswer$)[a-z][A-Za-z]{2,40}$/;

export interface CaseRow {
  caseId: string;
  procedure: string;
  title: string;
  stage: string;
  status: string;
  nextDeadline: { wording: string; rule: string; dueDate: string; dueAt: string; shiftedFrom?: string; reason?: string } | null;
  parties: { partyId: string; name: string; state: string }[];
  awaitingBody: string | null;
  /** "Kræver handling": a step an activity refused for good (see contracts/caseState.ts). */
  attention: { reason: string; since: string } | null;
  createdAt: string;
  updatedAt: string;
}

const listFilterSchema = z.object({
  procedure: z.string().max(50).optional(),
  /** A case status, or 'attention': the cases that need the secretariat ("Kræver handling"), in any status. */
  status: z.enum(['open', 'completed', 'withdrawn', 'failed', 'attention']).optional(),
  q: z.string().max(200).optional(),
  /** Cases in which this party (kommunenr or 'region-syddanmark') takes part. */
  party: z.string().regex(/^[a-z0-9-]{1,40}$/, 'Ukendt part').optional(),
  /** Only open cases with a passed deadline or a late party ('overdue'), or whose next deadline falls within
   * 14 days ('risk'). */
  due: z.enum(['overdue', 'risk']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListFilter = z.infer<typeof listFilterSchema>;

function toRow(r: Record<string, unknown>): CaseRow {
  return {
    caseId: r.case_id as string,
    procedure: r.procedure as string,
    title: r.title as string,
    stage: r.stage as string,
    status: r.status as string,
    nextDeadline: (r.next_deadline as CaseRow['nextDeadline']) ?? null,
    parties: r.parties as CaseRow['parties'],
    awaitingBody: (r.awaiting_body as string | null) ?? null,
    attention: r.attention_reason ? { reason: r.attention_reason as string, since: (r.attention_since as Date).toISOString() } : null,
    createdAt: (r.created_at as Date).toISOString(),
    updatedAt: (r.updated_at as Date).toISOString(),
  };
}

/** Free text with a CPR-like number is refused before anything is stored or sent (domain/personalData.ts). */
export function refuseCpr(input: unknown): void {
  const fields = fieldsWithCpr(input);
  if (fields.length) throw new InputError(fields.map((field) => ({ field, reason: `Feltet ${CPR_REFUSAL}` })));
}

/** The boundary check again, at depth: whatever reaches a workflow (start or Update) is normalised text. */
export function guardInput<T>(input: T, procedure?: string): T {
  const r = normaliseValue(input, { procedure });
  if (!r.ok) throw new InputError(r.errors);
  return r.value as T;
}

export class CaseService {
  constructor(
    private readonly deps: {
      client: Client;
      pool: Pool;
      taskQueue: string;
      publicUrl: string;
      /** Today in Copenhagen, as the deadline filters read it; a test fixes it. */
      today?: () => string;
      log?: Logger;
      /** Told of every case this service started (not of a repeated request for the same case). */
      onStarted?: (procedure: string) => void;
    },
  ) {}

  private today(): string {
    return (this.deps.today ?? copenhagenToday)();
  }

  /** Validates and starts a case. The same requestId always yields the same caseId and never a second case. */
  async start(procedureId: string, rawInput: unknown, requestId: string, actor: string): Promise<{ caseId: string; created: boolean }> {
    const proc = findProcedure(procedureId);
    if (!proc) throw new InputError([{ field: 'procedure', reason: `Ukendt procedure: ${procedureId}` }]);
    rawInput = guardInput(rawInput, proc.id);
    refuseCpr(rawInput);
    const parsed = proc.inputSchema.safeParse(rawInput);
    if (!parsed.success) throw new InputError(fieldErrors(parsed.error).map((e) => ({ ...e, field: e.field })));
    const caseId = caseIdFor(proc.casePrefix, requestId);
    let args: unknown[];
    try {
      args = await proc.toWorkflowArgs(parsed.data, { caseId, actor, publicUrl: this.deps.publicUrl, pool: this.deps.pool });
    } catch (e) {
      if (e instanceof StartRefusal) throw new InputError(e.fields);
      const field = (e as { field?: string }).field;
      if (field) throw new InputError([{ field, reason: (e as Error).message }]);
      throw e;
    }
    let created = true;
    try {
      await this.deps.client.workflow.start(proc.workflowType, {
        taskQueue: this.deps.taskQueue,
        workflowId: caseId,
        args,
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: new TypedSearchAttributes([{ key: CaseProcedureKey, value: proc.id }]),
      });
    } catch (e) {
      if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
      created = false;
    }
    if (created) this.deps.onStarted?.(proc.id);
    // Shown on the dashboard at once, even before a worker picks the case up; version 0 loses to every
    // update the workflow itself pushes.
    await this.deps.pool.query(
      `INSERT INTO case_summary (case_id, procedure, title, stage, status, version) VALUES ($1, $2, $3, 'Oprettet', 'open', 0)
       ON CONFLICT (case_id) DO NOTHING`,
      [caseId, proc.id, proc.caseTitle(parsed.data)],
    );
    return { caseId, created };
  }

  /** Runs a step of a case as the authenticated actor; the actor in the body, if any, is ignored. */
  async act(caseId: string, action: string, input: unknown, actor: string): Promise<unknown> {
    if (!ACTION_NAME.test(action)) throw new InputError([{ field: 'action', reason: `Ukendt handling: ${action}` }]);
    if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
      throw new InputError([{ field: 'input', reason: 'Skal være et objekt' }]);
    }
    input = guardInput(input);
    refuseCpr(input);
    const { rows } = await this.deps.pool.query<{ procedure: string }>('SELECT procedure FROM case_summary WHERE case_id = $1', [caseId]);
    if (!rows[0]) throw new CaseNotFoundError(caseId);
    const step = findStep(rows[0].procedure, action);
    if (step) {
      // Read as the workflow will read it, so a wrong field is a 400 naming it by its label, and nothing is sent.
      const read = readStep(step, input ?? {});
      if (!read.ok) throw new InputError(read.errors.map((e) => ({ field: e.field || '(input)', label: e.label, reason: `${e.label}: ${e.reason}` })));
      input = read.value;
    } else if (findProcedure(rows[0].procedure)?.steps) {
      throw new InputError([{ field: 'action', label: 'Handling', reason: `Handlingen "${action}" findes ikke for denne slags sag` }]);
    }
    return this.update(caseId, action, { ...(input as object), actor });
  }

  async update(caseId: string, updateName: string, arg: unknown): Promise<unknown> {
    arg = guardInput(arg);
    try {
      return await this.deps.client.workflow.getHandle(caseId).executeUpdate(updateName, { args: [arg] });
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw new CaseNotFoundError(caseId);
      if (e instanceof WorkflowUpdateFailedError) {
        const cause = (e.cause as { message?: string } | undefined)?.message ?? e.message;
        throw new StepRefusedError(cause);
      }
      const msg = (e as Error).message ?? '';
      // An Update name the workflow does not define, or a case that has ended.
      if (/not found|unknown update|no handler|completed|already/i.test(msg)) throw new StepRefusedError(`Handlingen kan ikke udføres på sagen: ${msg}`);
      throw e;
    }
  }

  parseListFilter(query: unknown): ListFilter {
    // A filter form sends every select, "Alle" as an empty value: empty means no filter.
    const given = Object.fromEntries(Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== ''));
    const parsed = listFilterSchema.safeParse(given);
    if (!parsed.success) throw new InputError(fieldErrors(parsed.error));
    return parsed.data;
  }

  private whereOf(f: ListFilter, params: unknown[]): string {
    const where: string[] = [];
    if (f.procedure) where.push(`procedure = $${params.push(f.procedure)}`);
    if (f.status === 'attention') where.push('attention_reason IS NOT NULL');
    else if (f.status) where.push(`status = $${params.push(f.status)}`);
    if (f.party) where.push(`parties @> $${params.push(JSON.stringify([{ partyId: f.party }]))}::jsonb`);
    // Overdue: the next deadline has passed, or a party is late on one that has already closed (its last
    // notice sent, so the case's next deadline is a later one while the party still owes its answer).
    if (f.due === 'overdue') where.push(`status = 'open' AND (next_due_date < $${params.push(this.today())}::date OR late_parties > 0)`);
    if (f.due === 'risk') where.push(`status = 'open' AND next_due_date BETWEEN $${params.push(this.today())}::date AND $${params.length}::date + 14`);
    if (f.q) where.push(`(title ILIKE $${params.push(`%${f.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`)} OR case_id ILIKE $${params.length})`);
    return where.length ? `WHERE ${where.join(' AND ')}` : '';
  }

  /** One page of the selection. `hasMore` comes from fetching one row past the page, so a pager can rely on it
   * even where `total` is only the planner's estimate (which can be far off for a search or a party filter). */
  async list(f: ListFilter): Promise<{ items: CaseRow[]; total: number; totalIsEstimate: boolean; page: number; pageSize: number; hasMore: boolean }> {
    const params: unknown[] = [];
    const w = this.whereOf(f, params);
    const [{ total, totalIsEstimate }, { rows }] = await Promise.all([
      this.count(w, params),
      this.deps.pool.query(
        `SELECT * FROM case_summary ${w}
         ORDER BY (status = 'open') DESC, next_due_date ASC NULLS LAST, updated_at DESC, case_id
         LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, f.pageSize + 1, (f.page - 1) * f.pageSize],
      ),
    ]);
    return { items: rows.slice(0, f.pageSize).map(toRow), total, totalIsEstimate, page: f.page, pageSize: f.pageSize, hasMore: rows.length > f.pageSize };
  }

  /**
   * Exact up to COUNT_EXACT_UP_TO matching cases; above that the planner's estimate. Counting every one of
   * 100,000 rows on each page view costs more than the page itself, and nobody pages to the 2,000th page.
   */
  private async count(w: string, params: unknown[]): Promise<{ total: number; totalIsEstimate: boolean }> {
    const capped = Number(
      (await this.deps.pool.query(`SELECT count(*) AS n FROM (SELECT 1 FROM case_summary ${w} LIMIT ${COUNT_EXACT_UP_TO + 1}) t`, params)).rows[0].n,
    );
    if (capped <= COUNT_EXACT_UP_TO) return { total: capped, totalIsEstimate: false };
    const plan = (await this.deps.pool.query(`EXPLAIN (FORMAT JSON) SELECT 1 FROM case_summary ${w}`, params)).rows[0]['QUERY PLAN'];
    const estimate = Math.round(Number(plan?.[0]?.Plan?.['Plan Rows'] ?? 0));
    return { total: Math.max(estimate, capped), totalIsEstimate: true };
  }

  /** Every case of the selection in case-number order, a batch at a time (keyset, so the last batch costs what
   * the first does): for exports. */
  async *all(f: ListFilter, batch = 1000): AsyncGenerator<CaseRow[]> {
    let after = '';
    for (;;) {
      const params: unknown[] = [];
      const w = this.whereOf(f, params);
      const { rows } = await this.deps.pool.query(
        `SELECT * FROM case_summary ${w ? `${w} AND` : 'WHERE'} case_id > $${params.push(after)} ORDER BY case_id LIMIT $${params.push(batch)}`,
        params,
      );
      if (!rows.length) return;
      yield rows.map(toRow);
      after = rows[rows.length - 1].case_id as string;
    }
  }

  async get(caseId: string): Promise<{ summary: CaseRow; journal: JournalView[]; live: CaseState | null } | null> {
    const { rows } = await this.deps.pool.query('SELECT * FROM case_summary WHERE case_id = $1', [caseId]);
    if (!rows[0]) return null;
    const journal = (
      await this.deps.pool.query(
        'SELECT at, description, actor, documents FROM case_journal WHERE case_id = $1 ORDER BY at, entry_key',
        [caseId],
      )
    ).rows.map((r) => ({ at: (r.at as Date).toISOString(), description: r.description, actor: r.actor, documents: r.documents }));
    let live: CaseState | null = null;
    try {
      live = await withTimeout(this.deps.client.workflow.getHandle(caseId).query<CaseState>('caseState'), 3_000);
    } catch (e) {
      // The read model still answers when the workflow cannot (no worker running, or past retention).
      if (!(e instanceof WorkflowNotFoundError) && (e as Error).message !== 'timeout') this.deps.log?.warn({ caseId, err: e }, 'case query failed');
    }
    return { summary: toRow(rows[0]), journal, live };
  }

  /** The content of a case's kept documents (the journal holds their references). */
  async documents(caseId: string, ids: string[]): Promise<Map<string, DocumentContent>> {
    return loadDocuments(this.deps.pool, caseId, ids);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
