-- Lists stay fast with 100,000 cases and more:
-- * the dashboard's order (open cases first, nearest deadline first) as an index, so the first page is read in
--   order instead of sorting every matching row;
-- * trigram indexes so a search for part of a title or case number does not read the whole table. pg_trgm is a
--   trusted extension (PostgreSQL 13+): the database owner may create it, also on managed PostgreSQL services.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX case_summary_list_order ON case_summary ((status = 'open') DESC, next_due_date ASC NULLS LAST, updated_at DESC, case_id);
CREATE INDEX case_summary_title_trgm ON case_summary USING gin (title gin_trgm_ops);
CREATE INDEX case_summary_case_id_trgm ON case_summary USING gin (case_id gin_trgm_ops);
