/**
 * Activities that push a case's state to the PostgreSQL read model. Each write is idempotent: summaries carry
 * a version and older versions are ignored; journal entries carry a deterministic key.
 */
import type { Pool } from 'pg';
import { withTransaction } from '../db/pool';
import { lateParties } from '../domain/partyStates';
import type { CaseSummary, DeadlineValue, JournalEntry } from '../contracts/caseState';
export type { CaseSummary, DeadlineValue, JournalEntry };




type Queryable = Pick<Pool, 'query'>;

async function upsertSummary(db: Queryable, s: CaseSummary): Promise<void> {
      await db.query(
        `INSERT INTO case_summary (case_id, procedure, title, stage, status, next_deadline, next_due_date, parties, version, awaiting_body, late_parties, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
         ON CONFLICT (case_id) DO UPDATE SET
           procedure = EXCLUDED.procedure, title = EXCLUDED.title, stage = EXCLUDED.stage, status = EXCLUDED.status,
           next_deadline = EXCLUDED.next_deadline, next_due_date = EXCLUDED.next_due_date, parties = EXCLUDED.parties,
           version = EXCLUDED.version, awaiting_body = EXCLUDED.awaiting_body, late_parties = EXCLUDED.late_parties, updated_at = now()
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

    async appendJournal(e: JournalEntry): Promise<void> {
      await insertJournal(pool, e);
    },
  };
}
