-- A step's summary carries the next deadline only when it changed (as 014 did for the parties): the column keeps
-- the version of the summary that last set it, so an older summary landing late never overwrites a newer
-- deadline, and a newer summary without one leaves it as it is.
ALTER TABLE case_summary ADD COLUMN next_deadline_version integer NOT NULL DEFAULT 0;
UPDATE case_summary SET next_deadline_version = version;
