-- OpenID Connect sign-in in progress: what the callback must check (state, nonce, PKCE verifier) and where to go
-- afterwards. Kept in PostgreSQL rather than in one process's memory, because the callback may reach another web
-- process than the one that started the sign-in. The browser holds only a random key; its SHA-256 is stored.
-- A row is deleted when the callback reads it (single use) and is worthless after expires_at.
CREATE TABLE oidc_login (
  key_hash       text PRIMARY KEY,
  state          text NOT NULL,
  nonce          text NOT NULL,
  code_verifier  text NOT NULL,
  next_path      text,
  expires_at     timestamptz NOT NULL
);
CREATE INDEX oidc_login_expires ON oidc_login (expires_at);
