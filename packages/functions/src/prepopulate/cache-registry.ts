import { RegistryClient, type RetryOptions } from '@dockmaster/registry';
import type { RegistryEndpoint, RegistryEndpointProvider } from './registry-endpoint.js';

type CacheRegistryOptions = {
  endpoint: RegistryEndpointProvider;
  fetch?: typeof fetch;
  retry?: RetryOptions;
  userAgent?: string;
};

/** A registry client for the cache, rebuilt only when the endpoint's credentials were renewed. */
type CacheRegistry = () => Promise<RegistryClient>;

const createCacheRegistry = ({ endpoint, fetch: fetchImpl, retry, userAgent = 'dockmaster-prepopulate' }: CacheRegistryOptions): CacheRegistry => {
  let current: { endpoint: RegistryEndpoint; client: RegistryClient } | undefined;
  return async () => {
    const latest = await endpoint();
    if (current?.endpoint !== latest) {
      current = {
        endpoint: latest,
        client: new RegistryClient({
          baseUrl: latest.baseUrl,
          userAgent,
          ...(latest.credentials ? { credentials: latest.credentials } : {}),
          ...(fetchImpl ? { fetch: fetchImpl } : {}),
          ...(retry ? { retry } : {}),
        }),
      };
    }
    return current.client;
  };
};

export { createCacheRegistry };
export type { CacheRegistry, CacheRegistryOptions };
