/**
 * The document store: generated documents kept once in `case_documents` with the SHA-256 of their content, and
 * referred to by id everywhere else (workflow histories, the journal, e-mail outbox calls).
 */
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { isDocumentRef, type CaseDocument, type DocumentRef, type StepDocument } from '../contracts/documents';

type Queryable = Pick<Pool, 'query'>;

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** The id of a document: the same case, name, media type and content give the same id (as migration 015 derives
 * it), so a retried activity keeps a document once. */
export function documentId(caseId: string, name: string, mediaType: string, contentSha256: string): string {
  return `doc-${sha256(`${caseId}|${name}|${mediaType}|${contentSha256}`).slice(0, 32)}`;
}

/** Keeps a document of a case and returns its reference. Idempotent. */
export async function keepDocument(db: Queryable, caseId: string, doc: CaseDocument): Promise<DocumentRef> {
  const content = Buffer.from(doc.content, 'utf8');
  const hash = sha256(content);
  const id = documentId(caseId, doc.name, doc.mediaType, hash);
  await db.query(
    `INSERT INTO case_documents (id, case_id, name, media_type, content, sha256, bytes) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO NOTHING`,
    [id, caseId, doc.name, doc.mediaType, content, hash, content.length],
  );
  return { id, name: doc.name, mediaType: doc.mediaType, sha256: hash, bytes: content.length };
}

/** References for a step's documents: inline ones (older histories) are kept first. */
export async function keepDocuments(db: Queryable, caseId: string, docs: StepDocument[]): Promise<DocumentRef[]> {
  const refs: DocumentRef[] = [];
  for (const d of docs) refs.push(isDocumentRef(d) ? d : await keepDocument(db, caseId, d));
  return refs;
}

export interface DocumentContent extends DocumentRef {
  content: Buffer;
}

/** The content of a case's documents by id; a document of another case is not found. */
export async function loadDocuments(db: Queryable, caseId: string, ids: string[]): Promise<Map<string, DocumentContent>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query(
    'SELECT id, name, media_type, sha256, bytes, content FROM case_documents WHERE case_id = $1 AND id = ANY($2::text[])',
    [caseId, ids],
  );
  return new Map(
    rows.map((r) => [r.id as string, { id: r.id, name: r.name, mediaType: r.media_type, sha256: r.sha256, bytes: r.bytes, content: r.content as Buffer }]),
  );
}

/** The content of a step's documents, inline or kept, in order (for e-mail attachments); `missing` names any
 * reference the store does not hold for the case (the caller decides how to fail). */
export async function documentContents(
  db: Queryable,
  caseId: string,
  docs: StepDocument[],
): Promise<{ documents: { name: string; mediaType: string; content: Buffer }[]; missing: string[] }> {
  const kept = await loadDocuments(db, caseId, docs.filter(isDocumentRef).map((d) => d.id));
  const documents: { name: string; mediaType: string; content: Buffer }[] = [];
  const missing: string[] = [];
  for (const d of docs) {
    if (!isDocumentRef(d)) documents.push({ name: d.name, mediaType: d.mediaType, content: Buffer.from(d.content, 'utf8') });
    else if (kept.has(d.id)) documents.push(kept.get(d.id)!);
    else missing.push(d.name);
  }
  return { documents, missing };
}

/** Where the activities keep documents and read them back: PostgreSQL in the worker, memory in the workflow tests. */
export interface DocumentStore {
  keep(caseId: string, doc: CaseDocument): Promise<DocumentRef>;
  contents(caseId: string, docs: StepDocument[]): ReturnType<typeof documentContents>;
}

export function postgresDocumentStore(db: Queryable): DocumentStore {
  return { keep: (caseId, doc) => keepDocument(db, caseId, doc), contents: (caseId, docs) => documentContents(db, caseId, docs) };
}

/** The same store in memory (ids and hashes as in PostgreSQL), for tests that run the activities without a database. */
export function memoryDocumentStore(): DocumentStore & { contentOf(caseId: string, id: string): string | undefined } {
  const kept = new Map<string, { caseId: string; doc: CaseDocument; ref: DocumentRef }>();
  return {
    async keep(caseId, doc) {
      const content = Buffer.from(doc.content, 'utf8');
      const hash = sha256(content);
      const ref = { id: documentId(caseId, doc.name, doc.mediaType, hash), name: doc.name, mediaType: doc.mediaType, sha256: hash, bytes: content.length };
      kept.set(ref.id, { caseId, doc, ref });
      return ref;
    },
    async contents(caseId, docs) {
      const documents: { name: string; mediaType: string; content: Buffer }[] = [];
      const missing: string[] = [];
      for (const d of docs) {
        const k = isDocumentRef(d) ? kept.get(d.id) : { caseId, doc: d };
        if (k && k.caseId === caseId) documents.push({ name: k.doc.name, mediaType: k.doc.mediaType, content: Buffer.from(k.doc.content, 'utf8') });
        else missing.push(d.name);
      }
      return { documents, missing };
    },
    contentOf: (caseId, id) => {
      const k = kept.get(id);
      return k && k.caseId === caseId ? k.doc.content : undefined;
    },
  };
}
