/**
 * A step's summary carries the parties only when they changed. The read model must still end with the newest
 * parties and the newest stage whatever order two side-by-side steps' writes land in, and a retried write
 * changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { migratedPool } from '../support/database';
import { createReadModelActivities } from '../../activities/readModel';
import type { CaseSummary } from '../../contracts/caseState';

const db = migratedPool();

const row = async (caseId: string) => (await db().query('SELECT stage, parties, version::int AS version, late_parties FROM case_summary WHERE case_id = $1', [caseId])).rows[0];

describe('summaries without unchanged parties', () => {
  it('keeps the newest parties and the newest stage, in whatever order the writes land', async () => {
    const rm = createReadModelActivities(db());
    const caseId = `PARTIES-${randomUUID().slice(0, 8)}`;
    const base = { caseId, procedure: 'refugeeQuota', title: 't', status: 'open', nextDeadline: null } as const;
    const summary = (version: number, stage: string, parties?: CaseSummary['parties']): CaseSummary => ({ ...base, stage, version, ...(parties ? { parties } : {}) });
    await rm.upsertCaseSummary(summary(1, 'Oprettet', [{ partyId: '461', name: 'Odense', state: 'afventer svar' }]));
    // Step 2 changed the parties (Odense is late), step 3 changed only the stage; step 3's write lands first.
    await rm.upsertCaseSummary(summary(3, 'Afventer KKR’s beslutning'));
    await rm.upsertCaseSummary(summary(2, 'Høring', [{ partyId: '461', name: 'Odense', state: 'mangler svar (for sent)' }]));
    let r = await row(caseId);
    expect(r.stage).toBe('Afventer KKR’s beslutning');
    expect(r.version).toBe(3);
    expect(r.parties).toEqual([{ partyId: '461', name: 'Odense', state: 'mangler svar (for sent)' }]);
    expect(r.late_parties).toBe(1);
    // A retry of step 1 (older parties, older stage) changes nothing.
    await rm.upsertCaseSummary(summary(1, 'Oprettet', [{ partyId: '461', name: 'Odense', state: 'afventer svar' }]));
    r = await row(caseId);
    expect(r.stage).toBe('Afventer KKR’s beslutning');
    expect(r.parties[0].state).toBe('mangler svar (for sent)');
    // A newer summary without parties keeps them.
    await rm.upsertCaseSummary(summary(4, 'Aftalt'));
    r = await row(caseId);
    expect(r).toMatchObject({ stage: 'Aftalt', version: 4, late_parties: 1 });
    expect(r.parties).toHaveLength(1);
  });

  it('keeps the newest next deadline when summaries without it (unchanged) and with it land out of order', async () => {
    const rm = createReadModelActivities(db());
    const caseId = `DEADLINE-${randomUUID().slice(0, 8)}`;
    const base = { caseId, procedure: 'centralAnnouncement', title: 't', status: 'open' } as const;
    const due = (dueDate: string) => ({ wording: 'senest', rule: 'r', dueDate, dueAt: `${dueDate}T21:59:59Z`, label: 'Kommunernes tilbagemelding' });
    const deadlineOf = async () => (await db().query('SELECT next_deadline, next_due_date::text AS d FROM case_summary WHERE case_id = $1', [caseId])).rows[0];
    await rm.upsertCaseSummary({ ...base, stage: 'Oprettet', version: 1, nextDeadline: due('2027-03-01') });
    // Step 2 extended the deadline, step 3 left it as it was; step 3's write lands first.
    await rm.upsertCaseSummary({ ...base, stage: 'Høring', version: 3 });
    await rm.upsertCaseSummary({ ...base, stage: 'Forlænget', version: 2, nextDeadline: due('2027-03-15') });
    let r = await deadlineOf();
    expect(r.d).toBe('2027-03-15');
    expect(r.next_deadline.dueDate).toBe('2027-03-15');
    // A retried step 1 changes nothing; a newer summary without a deadline keeps it; null closes it.
    await rm.upsertCaseSummary({ ...base, stage: 'Oprettet', version: 1, nextDeadline: due('2027-03-01') });
    await rm.upsertCaseSummary({ ...base, stage: 'Høring', version: 4 });
    expect((await deadlineOf()).d).toBe('2027-03-15');
    await rm.upsertCaseSummary({ ...base, stage: 'Afsluttet', version: 5, nextDeadline: null });
    r = await deadlineOf();
    expect(r).toEqual({ next_deadline: null, d: null });
  });
});
