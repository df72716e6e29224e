-- Sign-ins in progress are counted per client (the SHA-256 of its IP address, as Express sees it behind
-- TRUST_PROXY), so one client cannot fill oidc_login by opening /log-ind/oidc over and over. Rows from before
-- this migration have no client and expire within 10 minutes.
ALTER TABLE oidc_login ADD COLUMN client_hash text;
CREATE INDEX oidc_login_client ON oidc_login (client_hash, expires_at);
