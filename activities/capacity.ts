/**
 * Side effects of the capacity-change procedure (Rammeaftale Bilag 4, Tabel 4.1): the classification (run here
 * so that its result, which depends on the holiday tables, is recorded in the workflow's history), the capacity
 * register, and the orientation of a forum whose members are a maintained list of addresses.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Pool, PoolClient } from 'pg';
import { ZodError } from 'zod';
import {
  classifyCapacityChange,
  type CapacityChangeClassification,
  type CapacityChangeOptions,
  type CapacityChangeRawInput,
} from '../domain/capacityChange';
import { addDays, type PlainDate } from '../domain/calendar/plainDate';
import { endOfDayInstant } from '../domain/calendar/timeZone';
import type { createEmailActivities } from './email';
import { renderCaseEmail } from './emailTemplate';
import { withTransaction } from '../db/pool';
import type { TilbudRef } from '../workflows/capacityChange/contract';

export type { TilbudRef };

export interface TilbudRecord {
  id: number;
  name: string;
  operatorPartyId: string;
  targetGroup: string;
  fixedPlaces: number;
  temporaryPlaces: number;
  temporaryFrom: string | null;
  closedOn: string | null;
}

export interface ClassifyCapacityResult {
  classification: CapacityChangeClassification;
  /** The instant the effective date begins in Copenhagen (00:00 local time), for the workflow's timer. */
  effectiveFrom: string;
}

export interface RegisterPermanentInput {
  caseId: string;
  tilbud: TilbudRef;
  newPlaces: number;
  changeDate: string;
  reason: string;
  actor: string;
  /** End the temporary staffing this case recorded: it bridged the time until the permanent change. */
  endTemporary: boolean;
}

export interface RegisterPermanentResult {
  tilbudId: number;
  oldPlaces: number;
  newPlaces: number;
  /** The temporary places that ended with the permanent change (null when none ended). */
  endedTemporaryPlaces: number | null;
  alreadyRecorded: boolean;
}

export interface RegisterTemporaryInput {
  caseId: string;
  /** 'temporary:<n>', one per recorded staffing, so a retry records it once. */
  entryKey: string;
  tilbud: TilbudRef;
  places: number;
  from: string;
  reason: string;
  actor: string;
}

export interface RegisterTemporaryResult {
  tilbudId: number;
  fixedPlaces: number;
  oldTemporaryPlaces: number;
  newTemporaryPlaces: number;
  alreadyRecorded: boolean;
}

export interface NotifyForumInput {
  caseId: string;
  body: string;
  step: string;
  subject: string;
  heading: string;
  paragraphs: string[];
  facts?: { label: string; value: string }[];
}

interface TilbudRow {
  id: number;
  name: string;
  operator_party_id: string;
  target_group: string;
  fixed_places: number;
  temporary_places: number;
  temporary_from: string | null;
  closed_on: string | null;
}

const TILBUD_COLUMNS = `id, name, operator_party_id, target_group, fixed_places, temporary_places,
  to_char(temporary_from, 'YYYY-MM-DD') AS temporary_from, to_char(closed_on, 'YYYY-MM-DD') AS closed_on`;

const toRecord = (r: TilbudRow): TilbudRecord => ({
  id: r.id,
  name: r.name,
  operatorPartyId: r.operator_party_id,
  targetGroup: r.target_group,
  fixedPlaces: r.fixed_places,
  temporaryPlaces: r.temporary_places,
  temporaryFrom: r.temporary_from,
  closedOn: r.closed_on,
});

/** The tilbud's row, locked for the transaction; a tilbud new to the register is entered once per case. */
async function lockTilbud(db: PoolClient, caseId: string, ref: TilbudRef): Promise<TilbudRow> {
  if (ref.id === undefined) {
    await db.query(
      `INSERT INTO tilbud (name, operator_party_id, target_group, fixed_places, created_by_case)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (created_by_case) DO NOTHING`,
      [ref.name, ref.operatorPartyId, ref.targetGroup, ref.basePlaces, caseId],
    );
  }
  const { rows } = await db.query<TilbudRow>(
    ref.id === undefined
      ? `SELECT ${TILBUD_COLUMNS} FROM tilbud WHERE created_by_case = $1 FOR UPDATE`
      : `SELECT ${TILBUD_COLUMNS} FROM tilbud WHERE id = $1 FOR UPDATE`,
    [ref.id ?? caseId],
  );
  const row = rows[0];
  // A missing tilbud will not appear by retrying: fail the step instead of retrying it forever.
  if (!row) throw ApplicationFailure.nonRetryable(`Tilbud ${ref.id} findes ikke i kapacitetsregistret`, 'UnknownTilbud');
  return row;
}

async function historyEntry(db: PoolClient, caseId: string, entryKey: string) {
  const { rows } = await db.query<{ tilbud_id: number; old_places: number; new_places: number }>(
    'SELECT tilbud_id, old_places, new_places FROM tilbud_capacity_history WHERE case_id = $1 AND entry_key = $2',
    [caseId, entryKey],
  );
  return rows[0];
}

async function addHistory(
  db: PoolClient,
  e: { tilbudId: number; caseId: string; entryKey: string; kind: 'permanent' | 'temporary'; date: string; oldPlaces: number; newPlaces: number; reason: string; actor: string },
) {
  await db.query(
    `INSERT INTO tilbud_capacity_history (tilbud_id, case_id, entry_key, kind, change_date, old_places, new_places, reason, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [e.tilbudId, e.caseId, e.entryKey, e.kind, e.date, e.oldPlaces, e.newPlaces, e.reason, e.actor],
  );
}

export function createCapacityActivities(deps: { pool: Pool; email: ReturnType<typeof createEmailActivities>; publicUrl: string }) {
  const { pool } = deps;
  return {
    async classifyCapacity(input: { change: CapacityChangeRawInput; options?: Omit<CapacityChangeOptions, 'calendar'> }): Promise<ClassifyCapacityResult> {
      let classification: CapacityChangeClassification;
      try {
        classification = classifyCapacityChange(input.change, input.options);
      } catch (e) {
        if (e instanceof ZodError) {
          throw ApplicationFailure.nonRetryable(`Ugyldig kapacitetsændring: ${e.issues.map((i) => i.message).join('; ')}`, 'InvalidCapacityChange');
        }
        throw e;
      }
      const effective = input.change.effectiveDate as PlainDate;
      return { classification, effectiveFrom: new Date(endOfDayInstant(addDays(effective, -1)).epochMs + 1).toISOString() };
    },

    async capacityTilbud(input: { tilbudId: number }): Promise<TilbudRecord | null> {
      const { rows } = await pool.query<TilbudRow>(`SELECT ${TILBUD_COLUMNS} FROM tilbud WHERE id = $1`, [input.tilbudId]);
      return rows[0] ? toRecord(rows[0]) : null;
    },

    /** Sets the tilbud's fixed places at the effective date and records the change in its history, once per case. */
    async registerPermanentCapacity(input: RegisterPermanentInput): Promise<RegisterPermanentResult> {
      return withTransaction(pool, async (db) => {
        const done = await historyEntry(db, input.caseId, 'permanent');
        if (done) {
          const ended = await historyEntry(db, input.caseId, 'temporary:end');
          return { tilbudId: done.tilbud_id, oldPlaces: done.old_places, newPlaces: done.new_places, endedTemporaryPlaces: ended ? ended.old_places : null, alreadyRecorded: true };
        }
        const t = await lockTilbud(db, input.caseId, input.tilbud);
        const endTemporary = input.endTemporary && t.temporary_places !== 0;
        if (input.newPlaces + (endTemporary ? 0 : t.temporary_places) < 0) {
          throw ApplicationFailure.nonRetryable(`${t.name}: ${input.newPlaces} faste pladser og ${t.temporary_places} midlertidige giver et negativt antal pladser`, 'NegativePlaces');
        }
        await addHistory(db, { tilbudId: t.id, caseId: input.caseId, entryKey: 'permanent', kind: 'permanent', date: input.changeDate, oldPlaces: t.fixed_places, newPlaces: input.newPlaces, reason: input.reason, actor: input.actor });
        if (endTemporary) {
          await addHistory(db, {
            tilbudId: t.id,
            caseId: input.caseId,
            entryKey: 'temporary:end',
            kind: 'temporary',
            date: input.changeDate,
            oldPlaces: t.temporary_places,
            newPlaces: 0,
            reason: 'Den midlertidige normering ophører, da den varige ændring træder i kraft',
            actor: input.actor,
          });
        }
        await db.query(
          `UPDATE tilbud SET fixed_places = $2,
             temporary_places = CASE WHEN $3 THEN 0 ELSE temporary_places END,
             temporary_from = CASE WHEN $3 THEN NULL ELSE temporary_from END,
             updated_at = now()
           WHERE id = $1`,
          [t.id, input.newPlaces, endTemporary],
        );
        return { tilbudId: t.id, oldPlaces: t.fixed_places, newPlaces: input.newPlaces, endedTemporaryPlaces: endTemporary ? t.temporary_places : null, alreadyRecorded: false };
      });
    },

    /** Records a temporary up- or down-staffing as the tilbud's temporary places; the fixed places stay as they are. */
    async registerTemporaryStaffing(input: RegisterTemporaryInput): Promise<RegisterTemporaryResult> {
      return withTransaction(pool, async (db) => {
        const done = await historyEntry(db, input.caseId, input.entryKey);
        if (done) {
          const { rows } = await db.query<{ fixed_places: number }>('SELECT fixed_places FROM tilbud WHERE id = $1', [done.tilbud_id]);
          return { tilbudId: done.tilbud_id, fixedPlaces: rows[0]!.fixed_places, oldTemporaryPlaces: done.old_places, newTemporaryPlaces: done.new_places, alreadyRecorded: true };
        }
        const t = await lockTilbud(db, input.caseId, input.tilbud);
        if (t.fixed_places + input.places < 0) {
          throw ApplicationFailure.nonRetryable(`${t.name}: en nednormering med ${-input.places} pladser er flere end de ${t.fixed_places} faste pladser`, 'NegativePlaces');
        }
        await addHistory(db, { tilbudId: t.id, caseId: input.caseId, entryKey: input.entryKey, kind: 'temporary', date: input.from, oldPlaces: t.temporary_places, newPlaces: input.places, reason: input.reason, actor: input.actor });
        await db.query('UPDATE tilbud SET temporary_places = $2, temporary_from = $3, updated_at = now() WHERE id = $1', [
          t.id,
          input.places,
          input.places === 0 ? null : input.from,
        ]);
        return { tilbudId: t.id, fixedPlaces: t.fixed_places, oldTemporaryPlaces: t.temporary_places, newTemporaryPlaces: input.places, alreadyRecorded: false };
      });
    },

    /** The addresses a forum's notices go to (A-1: FU is a maintained list, not a directory party). */
    async forumRecipients(input: { body: string }): Promise<string[]> {
      const { rows } = await pool.query<{ email: string }>('SELECT email FROM forum_recipient WHERE body = $1 ORDER BY email', [input.body]);
      return rows.map((r) => r.email);
    },

    /** E-mails a forum's recipient list (forum_recipient); returns the addresses, empty when none are registered. */
    async notifyForum(input: NotifyForumInput): Promise<{ recipients: string[] }> {
      const { rows } = await pool.query<{ email: string }>('SELECT email FROM forum_recipient WHERE body = $1 ORDER BY email', [input.body]);
      const recipients = rows.map((r) => r.email);
      if (!recipients.length) return { recipients };
      const { text, html } = renderCaseEmail({
        greeting: 'Til medlemmerne',
        heading: input.heading,
        paragraphs: input.paragraphs,
        facts: [{ label: 'Sagsnummer', value: input.caseId }, ...(input.facts ?? [])],
        link: { url: `${deps.publicUrl}/sager/${encodeURIComponent(input.caseId)}`, label: 'Se sagen' },
      });
      await deps.email.sendEmails(recipients.map((recipient) => ({ caseId: input.caseId, step: input.step, recipient, subject: input.subject, text, html })));
      return { recipients };
    },
  };
}
