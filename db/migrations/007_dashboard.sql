-- The body (SDF, K22, KKR, FU) a case waits for, so the dashboard can show that body's next meeting; and a GIN
-- index so "cases of one municipality" and the who-is-late matrix stay fast with many cases.
ALTER TABLE case_summary ADD COLUMN awaiting_body text;
CREATE INDEX case_summary_parties ON case_summary USING gin (parties jsonb_path_ops);
