-- A sign-in attempt is counted before its password is checked (so parallel attempts cannot all pass the limit)
-- and the row is removed again when the attempt succeeds: `attempt` names the rows of one attempt.
ALTER TABLE sign_in_failure ADD COLUMN attempt uuid;
CREATE INDEX sign_in_failure_attempt ON sign_in_failure (attempt) WHERE attempt IS NOT NULL;
