import { ECRClient } from '@aws-sdk/client-ecr';
import { AutomationId } from '@dockmaster/core/constants';
import type { WorkerHandler } from '@dockmaster/local/runner';
import { createEcrRepositories } from '../../../packages/functions/src/adapters/ecr-repositories.js';
import type { RepositoryLock } from '../../../packages/functions/src/adapters/repository-lock.js';
import { CACHE_REPOSITORY_IDEMPOTENCY_KEY, CacheRepositoryMessageSchema, processCacheRepositoryMessage } from '../../../packages/functions/src/cache-repository/index.js';
import { EnvVar, requireEnv } from '../../../packages/functions/src/constants.js';
import { createDockmasterBus } from '../../../packages/functions/src/dockmaster-bus.js';
import { createSqsBatchHandler } from '../../../packages/functions/src/sqs-batch-handler.js';

/**
 * One execution environment of the cache-repository worker composed as its handler module composes it
 * (packages/functions/src/handlers/cache-repository.ts), except for the repository lock the test provides,
 * so that the test can observe and order the lease waits. Everything else comes from the stack's environment.
 */
const cacheRepositoryEnvironment = (repositoryLock: RepositoryLock): WorkerHandler => {
  const repositoriesIn = (region: string) => createEcrRepositories({ client: new ECRClient({ region }) });
  const bus = createDockmasterBus({ busName: requireEnv(EnvVar.BusName) });
  return createSqsBatchHandler({
    automation: AutomationId.CacheRepository,
    schema: CacheRepositoryMessageSchema,
    idempotencyKey: CACHE_REPOSITORY_IDEMPOTENCY_KEY,
    processRecord: (message, context) => processCacheRepositoryMessage(message, context, { repositoriesIn, bus, repositoryLock }),
  });
};

export { cacheRepositoryEnvironment };
