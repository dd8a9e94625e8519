import { RegistryError, RegistryErrorCode, requestInfo } from './errors.js';
import { fetchFollowingRedirects } from './redirects.js';
import { RegistryAuth } from './registry-auth.js';
import type { RegistryCredentials } from './registry-auth.js';
import { isRetryableStatus, retryDelay } from './retry.js';
import type { RetryPolicy } from './retry.js';
import type { BlobBody, Transport, TransportResponse } from './transport.js';

/**
 * Turns one registry request into HTTP exchanges: credentials from RegistryAuth (answering a 401 once),
 * retries of network errors and retryable statuses with backoff (retry.ts), redirects (redirects.ts).
 * The RegistryClient builds its operations on `send` and never sees a challenge or a retry.
 */

interface RequestSpec {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  url: URL;
  /** Token scopes this request needs, e.g. `repository:team/app:pull`. */
  scopes: readonly string[];
  headers?: Record<string, string>;
  body?: BlobBody;
  /** Follow 3xx ourselves (blob GETs go to S3/CDN); Authorization is dropped when the host changes. */
  followRedirects?: boolean;
  /** Token requests: no registry auth handling, credentials passed in headers. */
  skipAuth?: boolean;
}

interface RequestSenderOptions {
  transport: Transport;
  retry: RetryPolicy;
  userAgent: string;
  credentials?: RegistryCredentials | undefined;
  /** Called before every HTTP request (each retry and redirect hop too). */
  onRequest?: ((method: string, url: URL) => void) | undefined;
}

class RequestSender {
  private readonly transport: Transport;
  private readonly retry: RetryPolicy;
  private readonly userAgent: string;
  private readonly onRequest: ((method: string, url: URL) => void) | undefined;
  private readonly auth: RegistryAuth;

  public constructor(options: RequestSenderOptions) {
    this.transport = options.transport;
    this.retry = options.retry;
    this.userAgent = options.userAgent;
    this.onRequest = options.onRequest;
    this.auth = new RegistryAuth({
      credentials: options.credentials,
      requestToken: (url, headers) => this.send({ method: 'GET', url, scopes: [], headers, skipAuth: true }),
    });
  }

  /** One logical request: auth challenge handling, retries with backoff, optional redirects. */
  public async send(spec: RequestSpec): Promise<TransportResponse> {
    const replayable = spec.body === undefined || spec.body instanceof Uint8Array;
    let answeredChallenge = false;
    if (!spec.skipAuth) await this.auth.prepare(spec.scopes);
    for (let attempt = 1; ; attempt += 1) {
      let response: TransportResponse;
      try {
        const authorization = spec.skipAuth ? undefined : this.auth.authorizationFor(spec.scopes);
        const headers: Record<string, string> = { 'User-Agent': this.userAgent, ...spec.headers, ...(authorization === undefined ? {} : { Authorization: authorization }) };
        response = await fetchFollowingRedirects(this.transport, { method: spec.method, url: spec.url, headers, body: spec.body, followRedirects: spec.followRedirects }, this.onRequest);
      } catch (cause) {
        if (replayable && attempt < this.retry.attempts && !(cause instanceof Error && cause.name === 'AbortError')) {
          await this.retry.sleep(retryDelay(this.retry, attempt - 1, null));
          continue;
        }
        const request = requestInfo(spec.method, spec.url);
        const reason = cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause);
        throw new RegistryError({
          message: `${request.method} ${request.url} failed without a response after ${attempt} attempt(s): ${reason}. Check that the registry address is right and reachable.`,
          code: RegistryErrorCode.NetworkError,
          request,
          cause,
        });
      }
      if (response.status === 401 && !spec.skipAuth && !answeredChallenge && replayable) {
        answeredChallenge = true;
        if (await this.auth.answerChallenge(response.headers.get('www-authenticate'), spec.scopes)) {
          await response.discard();
          attempt -= 1; // an auth round trip is not a failed attempt
          continue;
        }
      }
      if (isRetryableStatus(response.status) && replayable && attempt < this.retry.attempts) {
        const delay = retryDelay(this.retry, attempt - 1, response.headers.get('retry-after'));
        await response.discard();
        await this.retry.sleep(delay);
        continue;
      }
      return response;
    }
  }
}

export { RequestSender };
export type { RequestSenderOptions, RequestSpec };
