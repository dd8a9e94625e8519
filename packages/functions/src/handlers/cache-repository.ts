import { ECRClient } from '@aws-sdk/client-ecr';
import { AutomationId } from '@dockmaster/core/constants';
import { createEcrRepositories, type EcrRepositories } from '../adapters/ecr-repositories.js';
import {
  CACHE_REPOSITORY_IDEMPOTENCY_KEY,
  CacheRepositoryMessageSchema,
  type CacheRepositoryDeps,
  processCacheRepositoryMessage,
} from '../cache-repository/index.js';
import { EnvVar, requireEnv } from '../constants.js';
import { createDockmasterBus } from '../dockmaster-bus.js';
import { createSqsBatchHandler, type SqsBatchHandlerDeps } from '../sqs-batch-handler.js';

/** The cache-repository worker; every dependency can be replaced (tests, local stack), the rest comes from the environment. */
const createCacheRepositoryHandler = (deps: Partial<SqsBatchHandlerDeps & CacheRepositoryDeps> = {}) => {
  const byRegion = new Map<string, EcrRepositories>();
  let adapters: CacheRepositoryDeps | undefined;
  // Resolved on first use so that importing this module needs no environment.
  const getAdapters = (): CacheRepositoryDeps =>
    (adapters ??= {
      repositoriesIn:
        deps.repositoriesIn ??
        ((region) => {
          let repositories = byRegion.get(region);
          if (!repositories) {
            repositories = createEcrRepositories({ client: new ECRClient({ region }) });
            byRegion.set(region, repositories);
          }
          return repositories;
        }),
      bus: deps.bus ?? createDockmasterBus({ busName: requireEnv(EnvVar.BusName) }),
      ...(deps.repositoryLock ? { repositoryLock: deps.repositoryLock } : {}),
    });
  return createSqsBatchHandler({
    automation: AutomationId.CacheRepository,
    schema: CacheRepositoryMessageSchema,
    idempotencyKey: CACHE_REPOSITORY_IDEMPOTENCY_KEY,
    processRecord: (message, context) => processCacheRepositoryMessage(message, context, getAdapters()),
    deps,
  });
};

/** Lambda entry point: `packages/functions/src/handlers/cache-repository.handler`. */
const handler = createCacheRepositoryHandler();

export { createCacheRepositoryHandler, handler };
