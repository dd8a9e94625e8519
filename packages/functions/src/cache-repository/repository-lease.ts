import { createDynamoDbRepositoryLock, type RepositoryLock } from '../adapters/repository-lock.js';
import { EnvVar } from '../constants.js';

/** Dockmaster's state table; the lease items live next to prepopulate's and scan-alert's records. */
const STATE_TABLE_ENV = EnvVar.StateTable;

/** The lease key of one repository: the same name in two Regions is two repositories. */
const repositoryLeaseKey = (region: string, repository: string): string => `cache-repository#${region}#${repository}`;

let fromEnvironment: RepositoryLock | undefined;

/**
 * The DynamoDB lease on the state table named by DOCKMASTER_STATE_TABLE, built on first use (importing the
 * worker needs no environment); undefined when the variable is not set, so the caller can say so.
 */
const repositoryLockFromEnvironment = (): RepositoryLock | undefined => {
  const tableName = process.env[STATE_TABLE_ENV]?.trim();
  if (tableName === undefined || tableName === '') return undefined;
  fromEnvironment ??= createDynamoDbRepositoryLock({ tableName });
  return fromEnvironment;
};

export { repositoryLeaseKey, repositoryLockFromEnvironment, STATE_TABLE_ENV };
