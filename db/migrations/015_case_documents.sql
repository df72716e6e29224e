-- Generated documents are kept once, here, with the SHA-256 of their content; workflow histories, the journal
-- and e-mails refer to them by id. The id is derived from the case, the name, the media type and the content's
-- hash, so an activity retried after a crash keeps the same document once. Content is bytes (PDFs to come).
CREATE TABLE case_documents (
  id text PRIMARY KEY,
  case_id text NOT NULL,
  name text NOT NULL,
  media_type text NOT NULL,
  content bytea NOT NULL,
  sha256 text NOT NULL,
  bytes integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_documents_case ON case_documents (case_id);

-- Journal entries written before this kept their documents inline: move the content here and leave the
-- references, so the read side sees one shape.
WITH inline AS (
  SELECT j.case_id, j.entry_key, d.ord, d.doc ->> 'name' AS name, d.doc ->> 'mediaType' AS media_type,
         convert_to(d.doc ->> 'content', 'UTF8') AS content
  FROM case_journal j, jsonb_array_elements(j.documents) WITH ORDINALITY AS d(doc, ord)
  WHERE d.doc ? 'content'
), hashed AS (
  SELECT *, encode(sha256(content), 'hex') AS sha FROM inline
), ids AS (
  SELECT *, 'doc-' || left(encode(sha256(convert_to(case_id || '|' || name || '|' || media_type || '|' || sha, 'UTF8')), 'hex'), 32) AS id FROM hashed
), kept AS (
  INSERT INTO case_documents (id, case_id, name, media_type, content, sha256, bytes)
  SELECT DISTINCT ON (id) id, case_id, name, media_type, content, sha, length(content) FROM ids
  ON CONFLICT (id) DO NOTHING
)
UPDATE case_journal j SET documents = r.refs
FROM (
  SELECT case_id, entry_key,
         jsonb_agg(jsonb_build_object('id', id, 'name', name, 'mediaType', media_type, 'sha256', sha, 'bytes', length(content)) ORDER BY ord) AS refs
  FROM ids GROUP BY case_id, entry_key
) r
WHERE j.case_id = r.case_id AND j.entry_key = r.entry_key;
