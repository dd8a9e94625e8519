import { createDynamoDbRepositoryLock, type RepositoryLock } from '../../adapters/repository-lock.js';
import { EnvVar } from '../../constants.js';
import { optionalEnv } from './environment.js';

/*
 * Apart from ./environment.ts, which every worker imports: only the cache-repository worker takes the lease, and
 * a worker that does not should not have the lease's DynamoDB commands in its bundle (test/topology/worker-calls.test.ts
 * compares the commands in each bundle with the worker's declared permissions).
 */

let repositoryLock: RepositoryLock | undefined;

/**
 * The DynamoDB lease on Dockmaster's state table (EnvVar.StateTable), next to prepopulate's and scan-alert's
 * records, built once per execution environment; undefined when the variable is not set, so the caller can say so.
 */
const repositoryLockFromEnvironment = (): RepositoryLock | undefined => {
  const tableName = optionalEnv(EnvVar.StateTable);
  if (tableName === undefined) return undefined;
  repositoryLock ??= createDynamoDbRepositoryLock({ tableName });
  return repositoryLock;
};

export { repositoryLockFromEnvironment };
