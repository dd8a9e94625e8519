import { RegistryClient, type RetryOptions } from '@dockmaster/registry';
import type { RegistryEndpoint, RegistryEndpointProvider } from './registry-endpoint.js';

type CacheRegistryOptions = {
  endpoint: RegistryEndpointProvider;
  fetch?: typeof fetch;
  retry?: RetryOptions;
  userAgent?: string;
  /**
   * `node-http` for copies (blob bodies piped socket to socket, as the sync engine wants them); default `fetch`.
   * An explicit `fetch` wins.
   */
  transport?: 'fetch' | 'node-http';
};

/** A registry client for an endpoint (the cache, the registry a copy goes to, an upstream), rebuilt only when its credentials were renewed. */
type CacheRegistry = () => Promise<RegistryClient>;

const createCacheRegistry = ({ endpoint, fetch: fetchImpl, retry, userAgent = 'dockmaster-prepopulate', transport }: CacheRegistryOptions): CacheRegistry => {
  let current: { endpoint: RegistryEndpoint; client: RegistryClient } | undefined;
  return async () => {
    const latest = await endpoint();
    if (current?.endpoint !== latest) {
      // The replaced client is not closed: a warm may still be using it (closing destroys sockets in use), and
      // node-http keeps idle sockets unreferenced, so they never hold the process open.
      current = {
        endpoint: latest,
        client: new RegistryClient({
          baseUrl: latest.baseUrl,
          userAgent,
          ...(latest.credentials ? { credentials: latest.credentials } : {}),
          ...(fetchImpl ? { fetch: fetchImpl } : {}),
          ...(retry ? { retry } : {}),
          ...(transport ? { transport } : {}),
        }),
      };
    }
    return current.client;
  };
};

export { createCacheRegistry };
export type { CacheRegistry, CacheRegistryOptions };
