import { ECRClient } from '@aws-sdk/client-ecr';
import { AutomationId } from '@dockmaster/core/constants';
import type { RegistryClient } from '@dockmaster/registry';
import { createEcrRepositories } from '../adapters/ecr-repositories.js';
import { createDynamoDbWarmStateStore } from '../adapters/state-store.js';
import { EnvVar, requireEnv } from '../constants.js';
import { dockmasterBusFromEnvironment } from '../dockmaster-bus.js';
import { lazy, memoize } from '../memoize.js';
import {
  BLOB_CONCURRENCY_PER_UPSTREAM,
  type CacheRegistry,
  createCacheRegistry,
  createEcrRegistryEndpoint,
  createLimiter,
  createSqsWarmQueue,
  type Limiter,
  PREPOPULATE_IDEMPOTENCY_KEY,
  type PrepopulateDeps,
  PrepopulateMessageSchema,
  processPrepopulateMessage,
} from '../prepopulate/index.js';
import { createSqsBatchHandler, type SqsBatchHandlerDeps } from '../sqs-batch-handler.js';

/** The prepopulate worker; every dependency can be replaced (tests, local stack), the rest comes from the environment. */
const createPrepopulateHandler = (deps: Partial<SqsBatchHandlerDeps & PrepopulateDeps> = {}) => {
  const getAdapters = lazy((): PrepopulateDeps => {
    const ecrIn = memoize((region) => new ECRClient({ region }));
    const registries = memoize<CacheRegistry>((region) => createCacheRegistry({ endpoint: createEcrRegistryEndpoint({ client: ecrIn(region) }) }));
    const defaultCacheRegistry = (registry: { region: string }): Promise<RegistryClient> => registries(registry.region)();
    return {
      cacheRegistry: deps.cacheRegistry ?? defaultCacheRegistry,
      imagesIn: deps.imagesIn ?? memoize((region) => createEcrRepositories({ client: ecrIn(region) })),
      stateStore: deps.stateStore ?? createDynamoDbWarmStateStore({ tableName: requireEnv(EnvVar.StateTable) }),
      warmQueue: deps.warmQueue ?? createSqsWarmQueue({ queueUrl: requireEnv(EnvVar.PrepopulateQueueUrl) }),
      bus: deps.bus ?? dockmasterBusFromEnvironment(),
      blobLimiterFor: deps.blobLimiterFor ?? memoize<Limiter>(() => createLimiter(BLOB_CONCURRENCY_PER_UPSTREAM)),
      loadFreshConfig: deps.loadFreshConfig,
    };
  });
  return createSqsBatchHandler({
    automation: AutomationId.Prepopulate,
    schema: PrepopulateMessageSchema,
    idempotencyKey: PREPOPULATE_IDEMPOTENCY_KEY,
    processRecord: (message, context) => processPrepopulateMessage(message, context, getAdapters()),
    deps,
  });
};

/** Lambda entry point: `packages/functions/src/handlers/prepopulate.handler`. */
const handler = createPrepopulateHandler();

export { createPrepopulateHandler, handler };
