/**
 * Sign-in through the organisation's OpenID provider (authorization code flow with PKCE, state and nonce). The
 * provider only vouches for who the person is: the account, its role and whether it is open stay local, made by
 * the secretariat. A person is matched to an account by the e-mail address the provider vouches for; OpenID
 * Connect never creates an account or changes a role.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import type { Pool } from 'pg';
import type { OidcSettings } from '../../config';
import type { Role } from './principal';

/** Holds the key of one sign-in in progress; scoped to the OIDC paths, so no other request carries it. */
export const OIDC_COOKIE = 'kkr_oidc';
export const OIDC_COOKIE_PATH = '/log-ind/oidc';
export const OIDC_LOGIN_MINUTES = 10;
/** Sign-ins in progress one client may have at once: more than a person with a few tabs open needs. */
export const OIDC_LOGINS_PER_CLIENT = 30;
export const OIDC_CALLBACK_PATH = '/log-ind/oidc/callback';

/** An OAuth error code from the query string, made safe to log and show: codes are ASCII words. */
const loggable = (code: string) => code.replace(/[^\w.-]/g, '').slice(0, 64);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The provider could not be reached or answered nonsense at discovery: worth trying again later. */
export class ProviderUnavailableError extends Error {}

export type OidcFinish =
  | { ok: true; userId: string; role: Role; next?: string }
  /** No sign-in in progress for this browser: expired, already used, or started in another browser. */
  | { ok: false; reason: 'expired' }
  /** The provider answered with an error (the person cancelled, or the provider refused). */
  | { ok: false; reason: 'provider'; error: string }
  /** The answer did not check out: state, issuer, code, nonce or signature. */
  | { ok: false; reason: 'invalid' }
  /** The provider did not vouch for an e-mail address (none given, or email_verified false). */
  | { ok: false; reason: 'no_email' }
  | { ok: false; reason: 'no_account' | 'disabled'; email: string };

export class OidcSignIn {
  readonly redirectUri: string;
  private configuration?: Promise<oidc.Configuration>;

  constructor(
    private readonly settings: OidcSettings,
    private readonly pool: Pool,
    publicUrl: string,
  ) {
    this.redirectUri = `${publicUrl.replace(/\/+$/, '')}${OIDC_CALLBACK_PATH}`;
  }

  get label(): string {
    return this.settings.label;
  }

  /** Discovered on first use, not at start-up, so a provider that is down does not stop password sign-in; a
   * failed discovery is tried again on the next sign-in. */
  private config(): Promise<oidc.Configuration> {
    this.configuration ??= oidc
      .discovery(new URL(this.settings.issuer), this.settings.clientId, this.settings.clientSecret, undefined, {
        // The configuration only accepts plain http for a provider on this machine (config/index.ts).
        execute: new URL(this.settings.issuer).protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
      })
      .catch((e: unknown) => {
        this.configuration = undefined;
        throw new ProviderUnavailableError(`discovery of ${this.settings.issuer} failed: ${(e as Error).message}`, { cause: e });
      });
    return this.configuration;
  }

  /** Records a new sign-in and returns the browser's key for it and the provider's address to send it to; or
   * `tooMany` when this client already has OIDC_LOGINS_PER_CLIENT sign-ins in progress (each row lives 10
   * minutes, so a client that opens the address in a loop cannot fill the table). */
  async begin(next: string | undefined, client: string): Promise<{ key: string; url: string } | { tooMany: true }> {
    const clientHash = sha256(`client:${client}`);
    const inProgress = Number(
      (await this.pool.query('SELECT count(*) AS n FROM oidc_login WHERE client_hash = $1 AND expires_at > now()', [clientHash])).rows[0].n,
    );
    if (inProgress >= OIDC_LOGINS_PER_CLIENT) return { tooMany: true };
    const config = await this.config();
    const key = randomBytes(32).toString('base64url');
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    await this.pool.query(
      `INSERT INTO oidc_login (key_hash, state, nonce, code_verifier, next_path, expires_at, client_hash)
       VALUES ($1, $2, $3, $4, $5, now() + interval '${OIDC_LOGIN_MINUTES} minutes', $6)`,
      [sha256(key), state, nonce, verifier, next ?? null, clientHash],
    );
    // Abandoned sign-ins are removed as new ones start; no separate job is needed.
    await this.pool.query('DELETE FROM oidc_login WHERE expires_at < now()');
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: 'openid email',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { key, url: url.href };
  }

  /** Checks the provider's answer (the callback's query string) against the sign-in the browser's key names. */
  async finish(key: string | undefined, query: string): Promise<OidcFinish> {
    if (!key) return { ok: false, reason: 'expired' };
    // Deleted as it is read: a replayed or doubled callback finds nothing, whatever the provider would say.
    const { rows } = await this.pool.query<{ state: string; nonce: string; code_verifier: string; next_path: string | null; live: boolean }>(
      'DELETE FROM oidc_login WHERE key_hash = $1 RETURNING state, nonce, code_verifier, next_path, expires_at > now() AS live',
      [sha256(key)],
    );
    const login = rows[0];
    if (!login?.live) return { ok: false, reason: 'expired' };
    // Built from PUBLIC_URL, not from the request: behind a proxy the request's own scheme and host may differ
    // from the redirect URI registered at the provider, which the token request must repeat exactly.
    const currentUrl = new URL(this.redirectUri);
    currentUrl.search = query;
    const error = currentUrl.searchParams.get('error');
    if (error !== null) {
      console.warn(`oidc: the provider answered ${loggable(error)}`);
      return { ok: false, reason: 'provider', error: loggable(error) };
    }
    const config = await this.config();
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: login.code_verifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims()!;
      claims = idClaims;
      // Many providers put the e-mail address only in the UserInfo response unless the client asks for it in the
      // ID token; the subject check ties that answer to the person the ID token names.
      if (idClaims.email === undefined && config.serverMetadata().userinfo_endpoint) {
        claims = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      }
    } catch (e) {
      // A provider that cannot be reached is not a refused answer: the caller tells the person to try again.
      if (!(e instanceof oidc.ClientError || e instanceof oidc.ResponseBodyError || e instanceof oidc.AuthorizationResponseError)) {
        throw new ProviderUnavailableError(`the token or UserInfo request failed: ${(e as Error).message}`, { cause: e });
      }
      // The code names the failed check (state, nonce, signature...); the message may quote the provider's answer.
      console.warn(`oidc: the provider's answer was refused: ${e instanceof oidc.ClientError ? (e.code ?? e.name) : `${e.name} ${loggable(e.error)}`}`);
      return { ok: false, reason: 'invalid' };
    }
    // Some providers send the flag as a string. A missing flag counts as unverified unless OIDC_EMAIL_VERIFIED says
    // the provider vouches for every address it sends.
    const flag = claims.email_verified;
    const verified = flag === true || flag === 'true';
    const unverified = this.settings.emailVerified === 'if-present' ? flag !== undefined && !verified : !verified;
    if (typeof claims.email !== 'string' || !claims.email.includes('@') || unverified) return { ok: false, reason: 'no_email' };
    const email = claims.email.trim().toLowerCase();
    const { rows: users } = await this.pool.query<{ id: string; role: Role; disabled: boolean }>('SELECT id, role, disabled FROM app_user WHERE email = $1', [email]);
    const user = users[0];
    if (!user) return { ok: false, reason: 'no_account', email };
    if (user.disabled) return { ok: false, reason: 'disabled', email };
    return { ok: true, userId: String(user.id), role: user.role, next: login.next_path ?? undefined };
  }
}
