-- A step's summary carries the parties only when they changed (they are most of a summary's bytes, and every
-- step's summary is in the workflow's history). The parties column keeps the version of the summary that last
-- set it, so a late write of an older summary that carried parties never overwrites newer ones, and a newer
-- summary without parties leaves them as they are.
ALTER TABLE case_summary ADD COLUMN parties_version integer NOT NULL DEFAULT 0;
UPDATE case_summary SET parties_version = version;
