import type { z } from 'zod';
import type { Pool } from 'pg';

export interface StartContext {
  caseId: string;
  actor: string;
  publicUrl: string;
  pool: Pool;
}

/** What the API needs to know about a procedure: its input schema, and how to turn valid input into the
 * workflow's start arguments. A new procedure registers one of these; the pages and endpoints are generic. */
export interface ProcedureDefinition<S extends z.ZodType = z.ZodType> {
  id: string;
  casePrefix: string;
  label: string;
  description: string;
  workflowType: string;
  inputSchema: S;
  toWorkflowArgs(input: z.infer<S>, ctx: StartContext): Promise<unknown[]>;
  caseTitle(input: z.infer<S>): string;
}
