/**
 * Whether this case keeps its documents by reference: the rendering activity stores the document in PostgreSQL
 * and the history, the state and the journal carry only its id and hash. Cases recorded before the patch keep
 * the content inline on their old path; the activities that take documents accept both.
 */
import { patched } from '@temporalio/workflow';
import { DOCUMENTS_BY_REFERENCE } from '../../contracts/documents';

export const documentsByReference = (): boolean => patched(DOCUMENTS_BY_REFERENCE);
