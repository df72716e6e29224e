/**
 * Activities that push a case's state to the PostgreSQL read model. Each write is idempotent: summaries carry
 * a version and older versions are ignored; journal entries carry a deterministic key.
 */
import type { Pool } from 'pg';
import { withTransaction } from '../db/pool';
import { lateParties } from '../domain/partyStates';
import type { CaseAttention, CaseSummary, DeadlineValue, JournalEntry } from '../contracts/caseState';
export type { CaseSummary, DeadlineValue, JournalEntry };

export interface CaseAttentionInput extends CaseAttention {
  caseId: string;
  procedure: string;
  title: string;
  stage: string;
}

/** Text PostgreSQL cannot store (NUL, lone surrogates) removed, so the note about a refused step is itself stored. */
const storable = (s: string) => s.replace(/\u0000/g, '').replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

type Queryable = Pick<Pool, 'query'>;

async function upsertSummary(db: Queryable, s: CaseSummary): Promise<void> {
      await db.query(
        `INSERT INTO case_summary (case_id, procedure, title, stage, status, next_deadline, next_due_date, parties, version, awaiting_body, late_parties, attention_reason, attention_since, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, now())
         ON CONFLICT (case_id) DO UPDATE SET
           procedure = EXCLUDED.procedure, title = EXCLUDED.title, stage = EXCLUDED.stage, status = EXCLUDED.status,
           next_deadline = EXCLUDED.next_deadline, next_due_date = EXCLUDED.next_due_date, parties = EXCLUDED.parties,
           version = EXCLUDED.version, awaiting_body = EXCLUDED.awaiting_body, late_parties = EXCLUDED.late_parties,
           attention_reason = COALESCE(EXCLUDED.attention_reason, case_summary.attention_reason),
           attention_since = COALESCE(EXCLUDED.attention_since, case_summary.attention_since), updated_at = now()
         WHERE case_summary.version < EXCLUDED.version`,
        [
          s.caseId,
          s.procedure,
          s.title,
          s.stage,
          s.status,
          s.nextDeadline ? JSON.stringify(s.nextDeadline) : null,
          s.nextDeadline?.dueDate ?? null,
          JSON.stringify(s.parties),
          s.version,
          s.awaitingBody ?? null,
          lateParties(s.parties),
          s.attention ? storable(s.attention.reason) : null,
          s.attention?.since ?? null,
        ],
      );
}

async function insertJournal(db: Queryable, e: JournalEntry): Promise<void> {
  await db.query(
    `INSERT INTO case_journal (case_id, entry_key, at, description, actor, documents)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (case_id, entry_key) DO NOTHING`,
    [e.caseId, e.entryKey, e.at, e.description, e.actor, JSON.stringify(e.documents)],
  );
}

export function createReadModelActivities(pool: Pool) {
  return {
    async upsertCaseSummary(s: CaseSummary): Promise<void> {
      await upsertSummary(pool, s);
    },

    /** One step of a case: its journal entry and its new summary, in one transaction. */
    async recordCaseChange(input: { summary: CaseSummary; journal: JournalEntry }): Promise<void> {
      await withTransaction(pool, async (client) => {
        await upsertSummary(client, input.summary);
        await insertJournal(client, input.journal);
      });
    },

    /** Marks the case "Kræver handling" without the step's own data (which the database refused): a row that
     * does not exist yet gets version 0, so the workflow's next summary still replaces it. The first reason stays. */
    async markCaseAttention(a: CaseAttentionInput): Promise<void> {
      await pool.query(
        `INSERT INTO case_summary (case_id, procedure, title, stage, status, parties, version, attention_reason, attention_since, updated_at)
         VALUES ($1, $2, $3, $4, 'open', '[]'::jsonb, 0, $5, $6, now())
         ON CONFLICT (case_id) DO UPDATE SET
           attention_reason = COALESCE(case_summary.attention_reason, EXCLUDED.attention_reason),
           attention_since = COALESCE(case_summary.attention_since, EXCLUDED.attention_since), updated_at = now()`,
        [a.caseId, storable(a.procedure), storable(a.title), storable(a.stage), storable(a.reason), a.since],
      );
    },

    async appendJournal(e: JournalEntry): Promise<void> {
      await insertJournal(pool, e);
    },
  };
}
