import { RegistryError, registryErrorFromResponse, RegistryErrorCode, requestInfo } from './errors.js';
import { readJson, readTokenResponse } from './responses.js';
import type { TransportResponse } from './transport.js';
import { parseWwwAuthenticate } from './www-authenticate.js';

/**
 * Registry authentication as the Distribution token spec describes it: nothing until the registry answers 401,
 * then Bearer tokens fetched from the challenge's realm per set of scopes (cached until shortly before they
 * expire), or Basic credentials on every request. One instance per client: it remembers the scheme the
 * registry asked for, so later requests send credentials up front instead of waiting for another 401.
 */

interface RegistryCredentials {
  username: string;
  password: string;
}

interface RegistryAuthOptions {
  credentials?: RegistryCredentials | undefined;
  /** Sends the token request (GET, no registry auth; the client's retries and redirects apply). */
  requestToken: (url: URL, headers: Record<string, string>) => Promise<TransportResponse>;
  /** Clock for token expiry; tests inject one. */
  now?: () => number;
}

interface CachedToken {
  value: string;
  expiresAt: number;
}

type AuthScheme = 'none' | 'basic' | 'bearer';

const DEFAULT_TOKEN_LIFETIME_S = 60;
/** Renew a little before expiry so a token does not lapse between cache lookup and use. */
const TOKEN_EXPIRY_SLACK_MS = 5_000;

function basicAuthorization(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** Cache key of a scope set: order does not matter. */
function scopeKey(scopes: readonly string[]): string {
  return [...scopes].sort().join(' ');
}

class RegistryAuth {
  private readonly credentials: RegistryCredentials | undefined;
  private readonly requestToken: RegistryAuthOptions['requestToken'];
  private readonly now: () => number;
  private scheme: AuthScheme = 'none';
  private bearerChallenge: { realm: string; service: string | undefined } | undefined;
  private readonly tokens = new Map<string, CachedToken>();

  public constructor(options: RegistryAuthOptions) {
    this.credentials = options.credentials;
    this.requestToken = options.requestToken;
    this.now = options.now ?? Date.now;
  }

  /** The Authorization header for a request needing `scopes`, or undefined (no scheme yet, or no valid token). */
  public authorizationFor(scopes: readonly string[]): string | undefined {
    if (this.scheme === 'basic' && this.credentials !== undefined) return basicAuthorization(this.credentials);
    if (this.scheme !== 'bearer') return undefined;
    const cached = this.tokens.get(scopeKey(scopes));
    return cached !== undefined && cached.expiresAt > this.now() ? `Bearer ${cached.value}` : undefined;
  }

  /** Before a request: when the registry already asked for tokens, get one for these scopes instead of waiting for a 401. */
  public async prepare(scopes: readonly string[]): Promise<void> {
    if (this.scheme === 'bearer' && this.authorizationFor(scopes) === undefined) this.tokens.set(scopeKey(scopes), await this.fetchToken(scopes));
  }

  /**
   * Reacts to a 401's WWW-Authenticate: fetch a Bearer token for the scopes, or switch to Basic.
   * True when the request is worth sending again; false when there is nothing to try.
   */
  public async answerChallenge(wwwAuthenticate: string | null, scopes: readonly string[]): Promise<boolean> {
    const challenges = parseWwwAuthenticate(wwwAuthenticate);
    const bearer = challenges.find((challenge) => challenge.scheme === 'bearer' && challenge.params.realm !== undefined);
    if (bearer?.params.realm !== undefined) {
      this.scheme = 'bearer';
      this.bearerChallenge = { realm: bearer.params.realm, service: bearer.params.service };
      const challengeScopes = bearer.params.scope?.split(' ').filter(Boolean) ?? [];
      const token = await this.fetchToken([...new Set([...scopes, ...challengeScopes])]);
      this.tokens.set(scopeKey(scopes), token);
      return true;
    }
    if (challenges.some((challenge) => challenge.scheme === 'basic') && this.credentials !== undefined && this.scheme !== 'basic') {
      this.scheme = 'basic';
      return true;
    }
    return false;
  }

  private async fetchToken(scopes: readonly string[]): Promise<CachedToken> {
    const challenge = this.bearerChallenge;
    if (challenge === undefined) throw new Error('fetchToken called before a Bearer challenge');
    const url = new URL(challenge.realm);
    if (challenge.service !== undefined) url.searchParams.set('service', challenge.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const headers: Record<string, string> = this.credentials === undefined ? {} : { Authorization: basicAuthorization(this.credentials) };
    const response = await this.requestToken(url, headers);
    if (!response.ok) {
      const error = await registryErrorFromResponse(response, 'GET', url, `Getting a registry token for ${scopes.join(' ') || 'the registry'}`);
      const hint = this.credentials === undefined ? 'the registry needs credentials' : 'check the username and password';
      throw new RegistryError({ message: `${error.message}; ${hint}`, code: error.code, status: error.status ?? response.status, request: error.request, errors: error.errors });
    }
    const token = readTokenResponse(await readJson(response));
    if (token === undefined) {
      throw new RegistryError({ message: `Token endpoint ${url.origin}${url.pathname} returned no token`, code: RegistryErrorCode.InvalidResponse, request: requestInfo('GET', url) });
    }
    const lifetimeMs = (token.expiresInSeconds ?? DEFAULT_TOKEN_LIFETIME_S) * 1_000;
    return { value: token.value, expiresAt: this.now() + Math.max(0, lifetimeMs - TOKEN_EXPIRY_SLACK_MS) };
  }
}

export { RegistryAuth };
export type { RegistryAuthOptions, RegistryCredentials };
