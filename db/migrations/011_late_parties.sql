-- "Overskredet" lists every open case with a passed deadline or a late party. A collection's deadline closes
-- once its last notice has gone out and the case's next deadline moves on, while the parties stay late; so
-- lateness is stored with the summary (counted by the activity that writes it, see domain/partyStates.ts).
ALTER TABLE case_summary ADD COLUMN late_parties integer NOT NULL DEFAULT 0;
UPDATE case_summary SET late_parties = (
  SELECT count(*) FROM jsonb_array_elements(parties) p WHERE p->>'state' ~ '^mangler\M.*\(for sent\)$'
) WHERE parties @? '$[*] ? (@.state like_regex "^mangler")';
CREATE INDEX case_summary_open_late ON case_summary (next_due_date, case_id) WHERE status = 'open' AND late_parties > 0;
