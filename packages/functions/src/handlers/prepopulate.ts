import { ECRClient } from '@aws-sdk/client-ecr';
import { AutomationId } from '@dockmaster/core/constants';
import type { RegistryClient } from '@dockmaster/registry';
import { createEcrRepositories } from '../adapters/ecr-repositories.js';
import { createDynamoDbWarmStateStore } from '../adapters/state-store.js';
import { EnvVar, requireEnv } from '../constants.js';
import { createDockmasterBus } from '../dockmaster-bus.js';
import {
  BLOB_CONCURRENCY_PER_UPSTREAM,
  type CacheRegistry,
  createCacheRegistry,
  createEcrRegistryEndpoint,
  createLimiter,
  createSqsWarmQueue,
  type Limiter,
  PREPOPULATE_IDEMPOTENCY_KEY,
  PrepopulateEnvVar,
  type PrepopulateDeps,
  PrepopulateMessageSchema,
  processPrepopulateMessage,
  requirePrepopulateEnv,
} from '../prepopulate/index.js';
import { createSqsBatchHandler, type SqsBatchHandlerDeps } from '../sqs-batch-handler.js';

/** Keeps one value per key: ECR clients per Region, limiters per upstream. */
const memoize = <T>(create: (key: string) => T): ((key: string) => T) => {
  const values = new Map<string, T>();
  return (key) => {
    let value = values.get(key);
    if (value === undefined) {
      value = create(key);
      values.set(key, value);
    }
    return value;
  };
};

/** The prepopulate worker; every dependency can be replaced (tests, local stack), the rest comes from the environment. */
const createPrepopulateHandler = (deps: Partial<SqsBatchHandlerDeps & PrepopulateDeps> = {}) => {
  let adapters: PrepopulateDeps | undefined;
  // Resolved on first use so that importing this module needs no environment.
  const getAdapters = (): PrepopulateDeps => {
    if (adapters) return adapters;
    const ecrIn = memoize((region) => new ECRClient({ region }));
    const registries = memoize<CacheRegistry>((region) => createCacheRegistry({ endpoint: createEcrRegistryEndpoint({ client: ecrIn(region) }) }));
    const defaultCacheRegistry = (registry: { region: string }): Promise<RegistryClient> => registries(registry.region)();
    adapters = {
      cacheRegistry: deps.cacheRegistry ?? defaultCacheRegistry,
      imagesIn: deps.imagesIn ?? memoize((region) => createEcrRepositories({ client: ecrIn(region) })),
      stateStore: deps.stateStore ?? createDynamoDbWarmStateStore({ tableName: requirePrepopulateEnv(PrepopulateEnvVar.StateTable) }),
      warmQueue: deps.warmQueue ?? createSqsWarmQueue({ queueUrl: requirePrepopulateEnv(PrepopulateEnvVar.QueueUrl) }),
      bus: deps.bus ?? createDockmasterBus({ busName: requireEnv(EnvVar.BusName) }),
      blobLimiterFor: deps.blobLimiterFor ?? memoize<Limiter>(() => createLimiter(BLOB_CONCURRENCY_PER_UPSTREAM)),
    };
    return adapters;
  };
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
