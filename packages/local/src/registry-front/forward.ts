import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';

/*
 * Streaming reverse-proxy plumbing on node:http (no proxy library: the front must inspect and rewrite
 * registry-specific answers, and node:http already streams both ways without buffering layers).
 */

/** Hop-by-hop headers (RFC 9110 7.6.1) plus the ones the front owns: Host and the caller's credentials. */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'authorization']);
const NOT_RELAYED = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'trailer', 'upgrade']);

function forwardableHeaders(headers: IncomingHttpHeaders, skip: ReadonlySet<string>): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name, value]) => value !== undefined && !skip.has(name.toLowerCase())));
}

/**
 * Sends the client's request to `target`, streaming its body (or `body` instead, e.g. a manifest the
 * front already read), and resolves with the backend's response head; its body is still unread.
 */
function sendToBackend(request: IncomingMessage, target: URL, body?: Buffer): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers = forwardableHeaders(request.headers, NOT_FORWARDED);
    if (body !== undefined) headers['content-length'] = String(body.length);
    const outgoing = httpRequest(target, { method: request.method, headers }, resolve);
    outgoing.once('error', reject);
    request.once('close', () => {
      // The client went away before the backend answered: stop the backend request too.
      if (!request.complete) outgoing.destroy();
    });
    if (body !== undefined) outgoing.end(body);
    else request.pipe(outgoing);
  });
}

/** Streams a backend response to the client, rewriting `Location` so the client keeps talking to the front. */
async function relayResponse(backend: IncomingMessage, response: ServerResponse, rewriteLocation: (location: string) => string): Promise<void> {
  const headers = forwardableHeaders(backend.headers, NOT_RELAYED);
  if (typeof headers.location === 'string') headers.location = rewriteLocation(headers.location);
  response.writeHead(backend.statusCode ?? 502, headers);
  await pipeline(backend, response);
}


/**
 * Maps Location headers from a backend back to the front: same origin as the request came in on, and
 * `/v2/<backend name>/...` back to `/v2/<front name>/...` (a cache instance knows repositories without the prefix).
 */
function locationRewriter(backendOrigin: string, frontOrigin: string, names?: { backend: string; front: string }): (location: string) => string {
  return (location) => {
    const url = new URL(location, backendOrigin);
    if (url.origin !== backendOrigin) return location;
    const backendPath = names === undefined ? undefined : `/v2/${names.backend}/`;
    const path = backendPath !== undefined && names !== undefined && url.pathname.startsWith(backendPath) ? `/v2/${names.front}/${url.pathname.slice(backendPath.length)}` : url.pathname;
    return `${frontOrigin}${path}${url.search}`;
  };
}

export { locationRewriter, relayResponse, sendToBackend };
