import type { BlobBody, Transport, TransportResponse } from './transport.js';

/** One HTTP exchange that may follow 3xx hops itself (the transports never follow them: see fetchTransport). */

interface RedirectingRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: BlobBody | undefined;
  /** Follow 3xx (blob GETs go to S3/CDN); otherwise the 3xx answer is returned as it is. */
  followRedirects?: boolean | undefined;
}

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Sends the request, following up to MAX_REDIRECTS Location hops when asked (the last 3xx is returned after that).
 * `onRequest` sees every hop. Authorization is dropped once a hop leaves the request's origin.
 */
async function fetchFollowingRedirects(transport: Transport, request: RedirectingRequest, onRequest?: (method: string, url: URL) => void): Promise<TransportResponse> {
  const headers = { ...request.headers };
  let url = request.url;
  for (let hop = 0; ; hop += 1) {
    onRequest?.(request.method, url);
    const response = await transport(url, { method: request.method, headers, ...(request.body === undefined ? {} : { body: request.body }) });
    const location = response.headers.get('location');
    if (request.followRedirects !== true || !REDIRECT_STATUSES.has(response.status) || location === null || hop >= MAX_REDIRECTS) return response;
    await response.discard();
    const target = new URL(location, url);
    // Blob redirects go to pre-signed storage URLs: registry credentials must not leak there (and S3 rejects them).
    if (target.origin !== request.url.origin) delete headers.Authorization;
    url = target;
  }
}

export { fetchFollowingRedirects, MAX_REDIRECTS };
export type { RedirectingRequest };
