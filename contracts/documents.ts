/**
 * Documents a procedure produces. An activity renders a document and keeps it in PostgreSQL (`case_documents`,
 * with the SHA-256 of its content); the workflow, its history and the journal carry only the reference. Older
 * histories passed the content itself (`CaseDocument`); the activities that take documents accept both, and the
 * journal stores an inline document on arrival so the read side only ever sees references.
 */
export interface CaseDocument {
  name: string;
  mediaType: string;
  content: string;
}

/** A document kept in `case_documents`: what a workflow and the journal hold instead of the content. */
export interface DocumentRef {
  id: string;
  name: string;
  mediaType: string;
  /** Hex SHA-256 of the content's bytes. */
  sha256: string;
  bytes: number;
}

/** What a step hands on: a kept document, or (from histories before `documents-by-reference`) its content. */
export type StepDocument = CaseDocument | DocumentRef;

export const isDocumentRef = (d: StepDocument): d is DocumentRef => 'id' in d && !('content' in d);

/** The patch behind which procedures keep their documents by reference (see README, Versioning). */
export const DOCUMENTS_BY_REFERENCE = 'documents-by-reference';
