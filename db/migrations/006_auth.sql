-- Sign-in: local accounts (argon2id hashes), sessions and API tokens (only SHA-256 hashes of the secrets are
-- stored), and failed sign-ins for rate limiting across web processes.
CREATE TABLE app_user (
  id             bigserial PRIMARY KEY,
  email          text NOT NULL UNIQUE,
  name           text NOT NULL,
  role           text NOT NULL CHECK (role IN ('secretariat', 'leadership', 'municipality')),
  party_id       text REFERENCES directory_party (party_id),
  password_hash  text NOT NULL,
  disabled       boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'municipality') = (party_id IS NOT NULL))
);

CREATE TABLE app_session (
  token_hash   text PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX app_session_expires ON app_session (expires_at);

CREATE TABLE api_token (
  id           bigserial PRIMARY KEY,
  token_hash   text NOT NULL UNIQUE,
  name         text NOT NULL,
  role         text NOT NULL CHECK (role IN ('secretariat', 'leadership', 'municipality')),
  party_id     text REFERENCES directory_party (party_id),
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  CHECK ((role = 'municipality') = (party_id IS NOT NULL))
);

CREATE TABLE sign_in_failure (
  key   text NOT NULL,
  at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failure_key_at ON sign_in_failure (key, at);
