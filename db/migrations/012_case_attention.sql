-- "Kræver handling": a case whose step an activity refused for good (invalid data, a broken constraint, an
-- unknown party). The workflow records the reason and when it arose, the case page shows it, and the dashboard
-- filters on it (status=attention). The reason stays until the secretariat has dealt with the case.
ALTER TABLE case_summary ADD COLUMN attention_reason text;
ALTER TABLE case_summary ADD COLUMN attention_since timestamptz;
CREATE INDEX case_summary_attention ON case_summary (attention_since DESC, case_id) WHERE attention_reason IS NOT NULL;
