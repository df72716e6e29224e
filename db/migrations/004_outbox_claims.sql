-- A sending attempt claims its outbox row; a claim older than the lease belongs to an attempt that died.
ALTER TABLE email_outbox ADD COLUMN claimed_at timestamptz;
