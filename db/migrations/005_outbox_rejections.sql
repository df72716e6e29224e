-- A message the receiving server refused for good (5xx: unknown mailbox, bad domain) is 'rejected': it is not
-- retried, the case page shows it and the secretariat is told. A resend by the secretariat is a new row whose
-- resend_of names the original, so the delivery log shows both.
ALTER TABLE email_outbox DROP CONSTRAINT IF EXISTS email_outbox_status_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'rejected'));
ALTER TABLE email_outbox ADD COLUMN resend_of bigint REFERENCES email_outbox (id);
ALTER TABLE email_outbox ADD COLUMN rejected_at timestamptz;
ALTER TABLE email_outbox ADD COLUMN requested_by text;
