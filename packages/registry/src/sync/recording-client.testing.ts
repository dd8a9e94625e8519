import { RegistryClient } from '../client/index.js';

/* Test support for the sync tests: a client that records what it asks a registry, so a test can count requests. */

interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
}

/** A node-http client (what `dockmaster sync` uses) that records every request it sends. */
function countingClient(baseUrl: string): { client: RegistryClient; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const client = new RegistryClient({
    baseUrl,
    transport: 'node-http',
    onRequest: (method, url) => requests.push({ method, path: url.pathname, query: new URLSearchParams(url.search) }),
  });
  return { client, requests };
}

const manifestPuts = (requests: readonly RecordedRequest[]) => requests.filter((request) => request.method === 'PUT' && request.path.includes('/manifests/'));

export { countingClient, manifestPuts };
export type { RecordedRequest };
