import { createDynamoDbRepositoryLock, type RepositoryLock } from '../adapters/repository-lock.js';
import { EnvVar } from '../constants.js';

/** The lease key of one repository: the same name in two Regions is two repositories. */
const repositoryLeaseKey = (region: string, repository: string): string => `cache-repository#${region}#${repository}`;

let fromEnvironment: RepositoryLock | undefined;

/**
 * The DynamoDB lease on Dockmaster's state table (EnvVar.StateTable), next to prepopulate's and scan-alert's
 * records, built on first use (importing the worker needs no environment); undefined when the variable is not
 * set, so the caller can say so.
 */
const repositoryLockFromEnvironment = (): RepositoryLock | undefined => {
  const tableName = process.env[EnvVar.StateTable]?.trim();
  if (tableName === undefined || tableName === '') return undefined;
  fromEnvironment ??= createDynamoDbRepositoryLock({ tableName });
  return fromEnvironment;
};

export { repositoryLeaseKey, repositoryLockFromEnvironment };
