import type { z } from 'zod';
import type { Pool } from 'pg';
import type { FormHints } from '../../contracts/forms';
import type { StepDefinition, WorkflowContract } from '../../contracts/kit/step';
import type { Deadline } from '../../domain/calendar/deadline';

export interface StartContext {
  caseId: string;
  actor: string;
  publicUrl: string;
  pool: Pool;
  /** Today in Copenhagen, as the start's date checks read it (a deadline already passed); a test walking an
   * earlier year gives its own. Default: the real date. */
  today?: string;
}

/** A start refused by a check that needs more than the input (today's date, the directory): the fields and their
 * Danish reasons, as a schema error would give them. Nothing is started. */
export class StartRefusal extends Error {
  constructor(readonly fields: { field: string; reason: string }[]) {
    super(fields.map((f) => f.reason).join(' '));
  }
}

/** What the start form shows before a case starts: the deadlines as computed, with why any moved, and tables of
 * the procedure's own calculation (plain text cells; the page escapes and lays them out). */
export interface StartPreview {
  deadlines: { label: string; deadline: Deadline }[];
  tables: { title: string; head: string[]; rows: string[][]; note?: string }[];
  warnings: string[];
}

export interface StartForm<S extends z.ZodType> {
  hints: FormHints;
  /** The form's first values, as JSON input (dates relative to today). */
  defaults(today: string): Record<string, unknown>;
  preview(input: z.infer<S>, ctx: { pool: Pool }): Promise<StartPreview>;
}

/** What the API needs to know about a procedure: its input schema, and how to turn valid input into the
 * workflow's start arguments. A new procedure registers one of these; the pages and endpoints are generic. */
export interface ProcedureDefinition<S extends z.ZodType = z.ZodType, W extends WorkflowContract = WorkflowContract> {
  id: string;
  casePrefix: string;
  label: string;
  description: string;
  /** The workflow type, as the procedure's contract names it. */
  workflowType: W['type'];
  inputSchema: S;
  /** The workflow's start arguments, typed by the contract: a start that does not match the workflow fails to
   * compile. */
  toWorkflowArgs(input: z.infer<S>, ctx: StartContext): Promise<W['args']>;
  caseTitle(input: z.infer<S>): string;
  /** The generic start form (api/views/schemaForm.ts); procedures with a hand-made page leave it out. */
  startForm?: StartForm<S>;
  /** The secretariat's steps, from the procedure's contract; the case page, the actions endpoint and the
   * OpenAPI document are drawn from them. */
  steps?: readonly StepDefinition[];
  /** What the parties answer, by collection key (the definition's name), from the contract. */
  answers?: readonly StepDefinition[];
}
