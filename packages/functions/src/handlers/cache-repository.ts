import { ECRClient } from '@aws-sdk/client-ecr';
import { AutomationId } from '@dockmaster/core/constants';
import { createEcrRepositories } from '../adapters/ecr-repositories.js';
import type { CacheRepositoryDeps } from '../cache-repository/index.js';
import { ECR_CLIENT_RETRY } from '../constants.js';
import { lazy, memoize } from '../runtime/memoize.js';
import { alertOnceFromEnvironment } from './wiring/alert-once.js';
import { dockmasterBusFromEnvironment } from './wiring/environment.js';
import { repositoryLockFromEnvironment } from './wiring/repository-lock.js';
import { createSqsBatchHandler, type SqsBatchHandlerDeps } from './wiring/sqs-worker.js';

/** The cache-repository worker; every dependency can be replaced (tests, local stack), the rest comes from the environment. */
const createCacheRepositoryHandler = (deps: Partial<SqsBatchHandlerDeps & CacheRepositoryDeps> = {}) => {
  const getAdapters = lazy(
    (): CacheRepositoryDeps => ({
      repositoriesIn: deps.repositoriesIn ?? memoize((region) => createEcrRepositories({ client: new ECRClient({ region, ...ECR_CLIENT_RETRY }) })),
      bus: deps.bus ?? dockmasterBusFromEnvironment(),
      // Undefined without the state table: reconcile then says so and works without the lease.
      repositoryLock: deps.repositoryLock ?? repositoryLockFromEnvironment(),
      // Undefined without the state table: every failed sync is then reported (see CacheRepositoryDeps).
      alertOnce: deps.alertOnce ?? alertOnceFromEnvironment(),
    }),
  );
  return createSqsBatchHandler({
    automation: AutomationId.CacheRepository,
    // On the first batch: the message schema (zod) and the automation's code cost nothing at cold start.
    load: async () => {
      const { CACHE_REPOSITORY_IDEMPOTENCY_KEY, CacheRepositoryMessageSchema, processCacheRepositoryMessage } = await import('../cache-repository/index.js');
      return {
        schema: CacheRepositoryMessageSchema,
        idempotencyKey: CACHE_REPOSITORY_IDEMPOTENCY_KEY,
        processRecord: (message, context) => processCacheRepositoryMessage(message, context, getAdapters()),
      };
    },
    deps,
  });
};

/** Lambda entry point: `packages/functions/src/handlers/cache-repository.handler`. */
const handler = createCacheRepositoryHandler();

export { createCacheRepositoryHandler, handler };
