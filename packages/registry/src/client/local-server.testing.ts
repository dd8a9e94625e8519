import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { afterEach } from 'vitest';

/*
 * Tiny loopback HTTP servers for the client tests: they stand in for registry behaviour a real Distribution
 * instance cannot be made to show (rate limiting, token auth, redirects, bodies cut short). Every server a
 * test starts is closed after it.
 */

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const servers: Server[] = [];

async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

/** Stops a server early (to make its address refuse connections); the others stay up until the test ends. */
async function stopServer(baseUrl: string): Promise<void> {
  const port = Number(new URL(baseUrl).port);
  const index = servers.findIndex((server) => (server.address() as { port?: number } | null)?.port === port);
  const [server] = index >= 0 ? servers.splice(index, 1) : [];
  if (server) await new Promise((resolve) => server.close(resolve));
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

export { serve, stopServer };
export type { Handler };
