/**
 * Generated documents are kept once in PostgreSQL with the SHA-256 of their content, and everything else refers
 * to them by id: a retried activity keeps a document once, a journal entry from a history before
 * `documents-by-reference` (content inline) is stored as a reference, journal rows written before migration 015
 * are moved to the store with the same ids the activities derive, and an e-mail attaches the kept content.
 */
import { describe, expect, it } from 'vitest';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { migratedPool } from '../support/database';
import { documentId, keepDocument, loadDocuments, postgresDocumentStore } from '../../db/documents';
import { createReadModelActivities } from '../../activities/readModel';
import { attachmentsOf } from '../../activities/documents';

const db = migratedPool();

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const newCase = () => `DOC-${randomUUID().slice(0, 8)}`;
/** A case in the read model (journal rows belong to a case). */
const caseWithSummary = async () => {
  const caseId = newCase();
  await createReadModelActivities(db()).upsertCaseSummary({ caseId, procedure: 'refugeeQuota', title: 't', stage: 'Oprettet', status: 'open', nextDeadline: null, version: 1 });
  return caseId;
};
const notice = { name: 'Meddelelse til Udlændingestyrelsen – kommunekvoter 2024.txt', mediaType: 'text/plain; charset=utf-8', content: 'Til Udlændingestyrelsen\nÆndret landstal: …' };

describe('the document store', () => {
  it('keeps a document once, by a stable id, with the hash and size of its content', async () => {
    const caseId = newCase();
    const a = await keepDocument(db(), caseId, notice);
    const b = await keepDocument(db(), caseId, notice); // the activity retried after a crash
    expect(b).toEqual(a);
    expect(a).toMatchObject({ name: notice.name, mediaType: notice.mediaType, sha256: sha(notice.content), bytes: Buffer.byteLength(notice.content) });
    expect((await db().query('SELECT count(*)::int AS n FROM case_documents WHERE case_id = $1', [caseId])).rows[0].n).toBe(1);
    // Another case's document with the same content is its own (a case's documents are found by its id only).
    const other = newCase();
    expect((await keepDocument(db(), other, notice)).id).not.toBe(a.id);
    expect((await loadDocuments(db(), other, [a.id])).size).toBe(0);
    expect((await loadDocuments(db(), caseId, [a.id])).get(a.id)!.content.toString('utf8')).toBe(notice.content);
  });

  it('stores a journal entry that carries its document inline (an older history) as a reference', async () => {
    const caseId = await caseWithSummary();
    await createReadModelActivities(db()).appendJournal({ caseId, entryKey: '000001', at: new Date().toISOString(), description: 'Aftalen er meddelt', actor: 'sekretariatet', documents: [notice] });
    const { documents } = (await db().query('SELECT documents FROM case_journal WHERE case_id = $1', [caseId])).rows[0];
    expect(documents).toEqual([{ id: documentId(caseId, notice.name, notice.mediaType, sha(notice.content)), name: notice.name, mediaType: notice.mediaType, sha256: sha(notice.content), bytes: Buffer.byteLength(notice.content) }]);
    expect(JSON.stringify(documents)).not.toContain('Udlændingestyrelsen\n');
  });

  it('moves the inline documents of journal rows written before migration 015 into the store, with the ids the activities derive', async () => {
    const caseId = await caseWithSummary();
    const csv = { name: 'Efterregulering – Bostedet.csv', mediaType: 'text/csv; charset=utf-8', content: 'Part;Beløb\r\nOdense;-1200' };
    await db().query(`INSERT INTO case_journal (case_id, entry_key, at, description, actor, documents) VALUES ($1, '000001', now(), 'Efterregulering', 'sekretariatet', $2)`, [caseId, JSON.stringify([notice, csv])]);
    const sql = readFileSync(path.join(import.meta.dirname, '../../db/migrations/015_case_documents.sql'), 'utf8');
    await db().query(sql.slice(sql.indexOf('WITH inline AS')));
    const { documents } = (await db().query('SELECT documents FROM case_journal WHERE case_id = $1', [caseId])).rows[0];
    expect(documents.map((d: { id: string }) => d.id)).toEqual([
      documentId(caseId, notice.name, notice.mediaType, sha(notice.content)),
      documentId(caseId, csv.name, csv.mediaType, sha(csv.content)),
    ]);
    const kept = await loadDocuments(db(), caseId, documents.map((d: { id: string }) => d.id));
    expect(kept.get(documents[1].id)!.content.toString('utf8')).toBe(csv.content);
    expect(documents[1]).toMatchObject({ sha256: sha(csv.content), bytes: Buffer.byteLength(csv.content) });
  });

  it('attaches the kept content to an e-mail, and refuses a reference the case does not hold', async () => {
    const caseId = newCase();
    const ref = await keepDocument(db(), caseId, notice);
    expect(await attachmentsOf(postgresDocumentStore(db()), caseId, [ref])).toEqual([{ filename: notice.name, contentType: notice.mediaType, content: notice.content }]);
    await expect(attachmentsOf(postgresDocumentStore(db()), newCase(), [ref])).rejects.toThrow(/Dokumentet findes ikke i sagen: Meddelelse til Udlændingestyrelsen/);
  });
});
