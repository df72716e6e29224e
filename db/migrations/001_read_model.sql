-- The read model the dashboard and the API lists read. Workflows are the source of truth; every status
-- change is pushed here by an activity (idempotently, keyed by case and a monotonically increasing version).

CREATE TABLE directory_party (
  party_id      text PRIMARY KEY,            -- kommunenr as text ('461') or 'region-syddanmark'
  kind          text NOT NULL CHECK (kind IN ('municipality', 'region')),
  kommunenr     integer UNIQUE,
  name          text NOT NULL,
  region        text NOT NULL,
  population    integer,
  contacts      jsonb NOT NULL DEFAULT '{}'::jsonb,  -- { "<procedure or 'default'>": ["e-mail", ...] }
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE case_summary (
  case_id          text PRIMARY KEY,
  procedure        text NOT NULL,
  title            text NOT NULL,
  stage            text NOT NULL,
  status           text NOT NULL CHECK (status IN ('open', 'completed', 'withdrawn', 'failed')),
  next_deadline    jsonb,                     -- the deadline value: wording, rule, dueDate, dueAt, shiftedFrom, reason
  next_due_date    date,                      -- copied out of next_deadline for indexing and sorting
  parties          jsonb NOT NULL DEFAULT '[]'::jsonb,
  version          bigint NOT NULL DEFAULT 0, -- last applied workflow-side version; older updates are ignored
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_summary_open_due ON case_summary (status, next_due_date, case_id);
CREATE INDEX case_summary_procedure ON case_summary (procedure, status);
CREATE INDEX case_summary_updated ON case_summary (updated_at DESC, case_id);

CREATE TABLE case_journal (
  case_id       text NOT NULL REFERENCES case_summary (case_id),
  entry_key     text NOT NULL,                -- deterministic per step, so a retried activity writes once
  at            timestamptz NOT NULL,
  description   text NOT NULL,
  actor         text NOT NULL,
  documents     jsonb NOT NULL DEFAULT '[]'::jsonb,
  PRIMARY KEY (case_id, entry_key)
);
CREATE INDEX case_journal_at ON case_journal (case_id, at);

-- Outbox: one row per (case, step, recipient, reminder). The key makes retries, replays and restarts
-- insert once; the sender claims pending rows and records the outcome.
CREATE TABLE email_outbox (
  id              bigserial PRIMARY KEY,
  case_id         text NOT NULL,
  step            text NOT NULL,
  recipient       text NOT NULL,
  reminder        text NOT NULL DEFAULT '',
  message_id      text NOT NULL UNIQUE,
  subject         text NOT NULL,
  body_text       text NOT NULL,
  body_html       text NOT NULL,
  attachments     jsonb NOT NULL DEFAULT '[]'::jsonb,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz,
  UNIQUE (case_id, step, recipient, reminder)
);
CREATE INDEX email_outbox_case ON email_outbox (case_id, created_at);
