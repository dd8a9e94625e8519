import { ECRClient } from '@aws-sdk/client-ecr';
import type { PullThroughCacheConfig } from '@dockmaster/core/config';
import { AutomationId } from '@dockmaster/core/constants';
import type { RegistryClient } from '@dockmaster/registry';
import type { CacheRegistry } from '../adapters/cache-registry.js';
import { createEcrRepositoryCreator } from '../adapters/ecr-repository-creator.js';
import { createEcrRepositories } from '../adapters/ecr-repositories.js';
import { createEcrStorageClasses } from '../adapters/ecr-storage-class.js';
import { createEcrRegistryEndpoint } from '../adapters/registry-endpoint.js';
import { createSecretReader } from '../adapters/secrets.js';
import { createDynamoDbWarmStateStore } from '../adapters/state-store.js';
import { createSqsWarmQueue } from '../adapters/warm-queue.js';
import { EnvVar } from '../constants.js';
import { BLOB_CONCURRENCY_PER_UPSTREAM } from '../prepopulate/constants.js';
import type { PrepopulateDeps } from '../prepopulate/index.js';
import { createLimiter, type Limiter } from '../runtime/concurrency.js';
import { lazy, memoize } from '../runtime/memoize.js';
import { alertOnceFromEnvironment } from './wiring/alert-once.js';
import { dockmasterBusFromEnvironment, optionalEnv, requireEnv } from './wiring/environment.js';
import { createSqsBatchHandler, type SqsBatchHandlerDeps } from './wiring/sqs-worker.js';

/** The prepopulate worker; every dependency can be replaced (tests, local stack), the rest comes from the environment. */
const createPrepopulateHandler = (deps: Partial<SqsBatchHandlerDeps & PrepopulateDeps> = {}) => {
  return createSqsBatchHandler({
    automation: AutomationId.Prepopulate,
    // On the first batch: the message schema (zod), the automation's code, the registry client and the upstream
    // resolution (with the configuration stack) cost nothing at cold start. The adapters that only wrap SDK
    // clients stay static: an SDK package that a lazily imported module also imports is evaluated whole at load.
    load: async () => {
      // The automation's own modules, not its index: that re-exports the SDK adapters too.
      const [{ PREPOPULATE_IDEMPOTENCY_KEY, PrepopulateMessageSchema }, { processPrepopulateMessage }, { createCacheRegistry }, { createUpstreamEndpoint }] = await Promise.all([
        import('../prepopulate/messages.js'),
        import('../prepopulate/process-message.js'),
        import('../adapters/cache-registry.js'),
        import('../adapters/upstream-endpoint.js'),
      ]);
      const getAdapters = lazy((): PrepopulateDeps => {
        const ecrIn = memoize((region) => new ECRClient({ region }));
        // One login per Region, shared by the cache's client and the copies' client.
        const endpoints = memoize((region) => createEcrRegistryEndpoint({ client: ecrIn(region) }));
        const registries = memoize<CacheRegistry>((region) => createCacheRegistry({ endpoint: endpoints(region) }));
        const copyRegistries = memoize<CacheRegistry>((region) => createCacheRegistry({ endpoint: endpoints(region), transport: 'node-http' }));
        const defaultCacheRegistry = (registry: { region: string }): Promise<RegistryClient> => registries(registry.region)();
        const defaultCopyRegistry = (registry: { region: string }): Promise<RegistryClient> => copyRegistries(registry.region)();
        const readSecret = createSecretReader();
        const upstreams = memoize<CacheRegistry>((key) => {
          const { upstream, credentialArn } = JSON.parse(key) as { upstream: string; credentialArn?: string };
          const endpointOverrides = optionalEnv(EnvVar.UpstreamEndpoints);
          return createCacheRegistry({
            endpoint: createUpstreamEndpoint({ upstream, ...(credentialArn === undefined ? {} : { credentialArn }), readSecret, ...(endpointOverrides === undefined ? {} : { endpointOverrides }) }),
            transport: 'node-http',
          });
        });
        const defaultUpstreamRegistry = (entry: Pick<PullThroughCacheConfig, 'upstream' | 'credentialArn'>): Promise<RegistryClient> =>
          upstreams(JSON.stringify({ upstream: entry.upstream, credentialArn: entry.credentialArn }))();
        return {
          cacheRegistry: deps.cacheRegistry ?? defaultCacheRegistry,
          copyRegistry: deps.copyRegistry ?? defaultCopyRegistry,
          upstreamRegistry: deps.upstreamRegistry ?? defaultUpstreamRegistry,
          repositoriesFor: deps.repositoriesFor ?? memoize((region) => createEcrRepositoryCreator({ client: ecrIn(region) })),
          imagesIn: deps.imagesIn ?? memoize((region) => createEcrRepositories({ client: ecrIn(region) })),
          storageClassesIn: deps.storageClassesIn ?? memoize((region) => createEcrStorageClasses({ client: ecrIn(region) })),
          stateStore: deps.stateStore ?? createDynamoDbWarmStateStore({ tableName: requireEnv(EnvVar.StateTable) }),
          warmQueue: deps.warmQueue ?? createSqsWarmQueue({ queueUrl: requireEnv(EnvVar.PrepopulateQueueUrl) }),
          bus: deps.bus ?? dockmasterBusFromEnvironment(),
          blobLimiterFor: deps.blobLimiterFor ?? memoize<Limiter>(() => createLimiter(BLOB_CONCURRENCY_PER_UPSTREAM)),
          alertOnce: deps.alertOnce ?? alertOnceFromEnvironment(),
        };
      });
      return {
        schema: PrepopulateMessageSchema,
        idempotencyKey: PREPOPULATE_IDEMPOTENCY_KEY,
        processRecord: (message, context) => processPrepopulateMessage(message, context, getAdapters()),
      };
    },
    deps,
  });
};

/** Lambda entry point: `packages/functions/src/handlers/prepopulate.handler`. */
const handler = createPrepopulateHandler();

export { createPrepopulateHandler, handler };
