import { renderRepositorySettings } from '@dockmaster/core/cache-repository';
import type { PullThroughCacheConfig } from '@dockmaster/core/config';
import type { RepositoryCreator } from '../adapters/ecr-repository-creator.js';
import { type WarmFailure, WarmFailureReason, warmFailure } from './warm-failure.js';

type EnsureCopyRepositoryInput = {
  repositories: RepositoryCreator;
  /** The copy-mode entry: its repositorySettings (scan on push, tag mutability) are applied at creation. */
  entry: Pick<PullThroughCacheConfig, 'prefix' | 'repositorySettings'>;
  repository: string;
  /** Where to say that a repository was created (the worker's logger; the CLI's stderr). */
  logger: { info: (message: string) => void };
};

/** AWS error names that mean the role may not look up or create the repository. */
const DENIED = new Set(['AccessDeniedException', 'AccessDenied']);

/**
 * Creates a copy-mode repository when it is missing, with the entry's scan on push and tag mutability. Its
 * CreateRepository call reaches the cache-repository worker (CloudTrail), which adds the repository policy and
 * the lifecycle policy, as for a repository the pull-through cache creates. A refusal becomes an access-denied
 * failure for the team; other errors (throttling, outages) are thrown, so the message is retried.
 */
const ensureCopyRepository = async ({ repositories, entry, repository, logger }: EnsureCopyRepositoryInput): Promise<WarmFailure | undefined> => {
  const settings = renderRepositorySettings(entry);
  try {
    if (await repositories.ensureRepository(repository, settings)) {
      logger.info(`created ${repository} for copies under ${entry.prefix}/ (scan on push ${settings.scanOnPush ? 'on' : 'off'}, ${settings.tagMutability})`);
    }
    return undefined;
  } catch (error) {
    if (!(error instanceof Error) || !DENIED.has(error.name)) throw error;
    return warmFailure(
      WarmFailureReason.AccessDenied,
      `Creating ${repository} for the copy failed: ${error.message}. The prepopulate worker's role needs ecr:DescribeRepositories and ecr:CreateRepository on ${entry.prefix}/*.`,
    );
  }
};

export { ensureCopyRepository };
export type { EnsureCopyRepositoryInput };
