/**
 * Activities that push a case's state to the PostgreSQL read model. Each write is idempotent: summaries carry
 * a version and older versions are ignored; journal entries carry a deterministic key.
 */
import type { Pool } from 'pg';
import { withTransaction } from '../db/pool';
import { keepDocuments } from '../db/documents';
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
  // The scalar fields follow the newest summary; the parties (sent only when they changed) follow the newest
  // summary that carried them, so two steps recorded side by side cannot lose a change of the parties.
  const parties = s.parties === undefined ? null : JSON.stringify(s.parties);
  // Likewise the next deadline: `undefined` means unchanged; `null` means none is open.
  const deadlineGiven = s.nextDeadline !== undefined;
  await db.query(
    `INSERT INTO case_summary (case_id, procedure, title, stage, status, next_deadline, next_due_date, next_deadline_version, parties, parties_version, version, awaiting_body, late_parties, attention_reason, attention_since, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $14 THEN $9 ELSE 0 END, COALESCE($8::jsonb, '[]'::jsonb), CASE WHEN $8::jsonb IS NULL THEN 0 ELSE $9 END, $9, $10, COALESCE($11, 0), $12, $13, now())
     ON CONFLICT (case_id) DO UPDATE SET
       procedure = CASE WHEN case_summary.version < EXCLUDED.version THEN EXCLUDED.procedure ELSE case_summary.procedure END,
       title = CASE WHEN case_summary.version < EXCLUDED.version THEN EXCLUDED.title ELSE case_summary.title END,
       stage = CASE WHEN case_summary.version < EXCLUDED.version THEN EXCLUDED.stage ELSE case_summary.stage END,
       status = CASE WHEN case_summary.version < EXCLUDED.version THEN EXCLUDED.status ELSE case_summary.status END,
       next_deadline = CASE WHEN $14 AND case_summary.next_deadline_version < $9 THEN EXCLUDED.next_deadline ELSE case_summary.next_deadline END,
       next_due_date = CASE WHEN $14 AND case_summary.next_deadline_version < $9 THEN EXCLUDED.next_due_date ELSE case_summary.next_due_date END,
       next_deadline_version = CASE WHEN $14 AND case_summary.next_deadline_version < $9 THEN $9 ELSE case_summary.next_deadline_version END,
       awaiting_body = CASE WHEN case_summary.version < EXCLUDED.version THEN EXCLUDED.awaiting_body ELSE case_summary.awaiting_body END,
       parties = CASE WHEN $8::jsonb IS NOT NULL AND case_summary.parties_version < $9 THEN EXCLUDED.parties ELSE case_summary.parties END,
       late_parties = CASE WHEN $8::jsonb IS NOT NULL AND case_summary.parties_version < $9 THEN EXCLUDED.late_parties ELSE case_summary.late_parties END,
       parties_version = CASE WHEN $8::jsonb IS NOT NULL AND case_summary.parties_version < $9 THEN $9 ELSE case_summary.parties_version END,
       version = GREATEST(case_summary.version, EXCLUDED.version),
       attention_reason = COALESCE(EXCLUDED.attention_reason, case_summary.attention_reason),
       attention_since = COALESCE(EXCLUDED.attention_since, case_summary.attention_since), updated_at = now()
     WHERE case_summary.version < EXCLUDED.version OR ($8::jsonb IS NOT NULL AND case_summary.parties_version < $9)
        OR ($14 AND case_summary.next_deadline_version < $9)`,
    [
      s.caseId,
      s.procedure,
      s.title,
      s.stage,
      s.status,
      s.nextDeadline ? JSON.stringify(s.nextDeadline) : null,
      s.nextDeadline?.dueDate ?? null,
      parties,
      s.version,
      s.awaitingBody ?? null,
      s.parties === undefined ? null : lateParties(s.parties),
      s.attention ? storable(s.attention.reason) : null,
      s.attention?.since ?? null,
      deadlineGiven,
    ],
  );
}

async function insertJournal(db: Queryable, e: JournalEntry): Promise<void> {
  // Documents passed inline (histories before `documents-by-reference`) are kept in the store first, so the
  // journal holds references only.
  const documents = await keepDocuments(db, e.caseId, e.documents);
  await db.query(
    `INSERT INTO case_journal (case_id, entry_key, at, description, actor, documents)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (case_id, entry_key) DO NOTHING`,
    [e.caseId, e.entryKey, e.at, e.description, e.actor, JSON.stringify(documents)],
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
