import type { Agent as HttpAgent } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A request body: bytes (replayable), or a web or Node stream (sent as read, so not replayable). */
type BlobBody = Uint8Array | ReadableStream<Uint8Array> | Readable;

interface TransportRequest {
  method: string;
  headers: Record<string, string>;
  body?: BlobBody;
}

/** The part of an HTTP response the client reads, so `fetch` and node:http can both answer. */
interface TransportResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: { get: (name: string) => string | null };
  text: () => Promise<string>;
  bytes: () => Promise<Uint8Array>;
  /** The body as a web stream (the public openBlob API), null when there is none. */
  webBody: () => ReadableStream<Uint8Array> | null;
  /** The body as a Node stream: what node:http gives without conversion (no web-stream promise per chunk). */
  nodeBody: () => Readable;
  /** True when the body is a Node stream that errors if the connection ends before Content-Length bytes. */
  readonly lengthEnforced: boolean;
  /** Releases the connection without reading a body the caller does not need. */
  discard: () => Promise<void>;
}

type Transport = (url: URL, request: TransportRequest) => Promise<TransportResponse>;

function isNodeReadable(body: BlobBody): body is Readable {
  return body instanceof Readable;
}

/** The original transport: global (or injected) fetch, redirects handled by the client. */
function fetchTransport(fetchImpl: typeof fetch): Transport {
  return async (url, request) => {
    const body = request.body === undefined ? undefined : isNodeReadable(request.body) ? (Readable.toWeb(request.body) as ReadableStream<Uint8Array>) : request.body;
    const response = await fetchImpl(url, {
      method: request.method,
      headers: request.headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body, duplex: 'half' }),
    });
    return {
      status: response.status,
      statusText: response.statusText,
      ok: response.ok,
      headers: response.headers,
      text: () => response.text(),
      bytes: async () => new Uint8Array(await response.arrayBuffer()),
      webBody: () => response.body,
      // Readable.fromWeb over fetch's body is not known to enforce it, so callers keep counting.
      lengthEnforced: false,
      nodeBody: () => (response.body === null ? Readable.from([]) : Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>)),
      discard: async () => {
        await response.body?.cancel().catch(() => undefined);
      },
    };
  };
}

/** Bodies up to this size are read to the end on discard so the keep-alive socket can be reused; bigger ones close it. */
const DRAIN_LIMIT_BYTES = 64 * 1024;

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * node:http(s) with keep-alive agents. Cheaper than fetch for a short-lived CLI: fetch loads undici on first
 * use (about 50 ms) and turns every body into web streams (a promise per chunk); here blob bodies stay Node
 * streams that `pipeline` moves from the source socket to the target socket. `sockets` bounds connections per host.
 */
function nodeHttpTransport(options: { sockets: number }): Transport & { close: () => void } {
  // getBuiltinModule, not `import http from 'node:http'`: an ESM import of node:http reads every export, and
  // its lazy `WebSocket`-family getters load undici (about 10 ms), the very cost this transport avoids.
  // Each agent is made on first use: node:https loads TLS, which a sync between local registries never needs.
  const agents = new Map<string, HttpAgent>();
  const agentFor = (protocol: string): { agent: HttpAgent; request: typeof import('node:http').request } => {
    const module = protocol === 'https:' ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http');
    let agent = agents.get(protocol);
    if (agent === undefined) {
      agent = new module.Agent({ keepAlive: true, maxSockets: options.sockets });
      agents.set(protocol, agent);
    }
    return { agent, request: module.request };
  };
  const transport = (url: URL, request: TransportRequest): Promise<TransportResponse> =>
    new Promise((resolve, reject) => {
      const { agent, request: send } = agentFor(url.protocol);
      const outgoing = send(url, { method: request.method, headers: request.headers, agent }, (incoming) => {
        const status = incoming.statusCode ?? 0;
        // A HEAD answer has no body, but the socket only returns to the pool once the response is read to its end.
        if (request.method === 'HEAD') incoming.resume();
        resolve({
          status,
          statusText: incoming.statusMessage ?? '',
          ok: status >= 200 && status < 300,
          headers: { get: (name) => headerValue(incoming.headers[name.toLowerCase()]) },
          text: async () => (await readAll(incoming)).toString('utf8'),
          bytes: async () => new Uint8Array(await readAll(incoming)),
          webBody: () => (request.method === 'HEAD' ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>)),
          nodeBody: () => incoming,
          lengthEnforced: true,
          discard: async () => {
            const length = Number(incoming.headers['content-length'] ?? Number.POSITIVE_INFINITY);
            if (request.method === 'HEAD' || incoming.complete || length <= DRAIN_LIMIT_BYTES) incoming.resume();
            else incoming.destroy();
          },
        });
      });
      outgoing.once('error', reject);
      const body = request.body;
      if (body === undefined) outgoing.end();
      else if (body instanceof Uint8Array) outgoing.end(body);
      else {
        const readable = isNodeReadable(body) ? body : Readable.fromWeb(body as import('node:stream/web').ReadableStream<Uint8Array>);
        // A failed body (e.g. the source connection dropped) aborts the request, which rejects above.
        pipeline(readable, outgoing).catch((error: unknown) => {
          outgoing.destroy(error instanceof Error ? error : new Error(String(error)));
        });
      }
    });
  return Object.assign(transport, {
    close: () => {
      for (const agent of agents.values()) agent.destroy();
    },
  });
}

export { fetchTransport, isNodeReadable, nodeHttpTransport };
export type { BlobBody, Transport, TransportRequest, TransportResponse };
