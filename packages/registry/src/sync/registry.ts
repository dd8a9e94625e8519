import { RegistryClient } from '../client/client.js';
import type { RegistryClientOptions } from '../client/client.js';
import { CHECKS_PER_COPY } from './sync.js';

interface SyncRegistryOptions extends Pick<RegistryClientOptions, 'baseUrl' | 'credentials' | 'userAgent' | 'retry' | 'fetch' | 'onRequest'> {
  /** The sync's concurrency: enough connections per host are kept for its checks and copies to overlap. */
  concurrency: number;
}

/**
 * A RegistryClient set up for syncRepositories: the node-http transport (keep-alive sockets, no undici load,
 * blobs piped socket to socket as Node streams). Imported from the client's file, not its barrel, which
 * re-exports manifest helpers that load zod. Call `close()` when the sync is done.
 */
function createSyncRegistry(options: SyncRegistryOptions): RegistryClient {
  const { concurrency, ...client } = options;
  return new RegistryClient({ ...client, transport: 'node-http', sockets: concurrency * (CHECKS_PER_COPY + 1) });
}

export { createSyncRegistry };
export type { SyncRegistryOptions };
