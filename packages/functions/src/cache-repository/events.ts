import { DockmasterEventType } from '@dockmaster/core/constants';
import type { PullThroughCacheConfig } from '@dockmaster/core/config';
import { ecrRepositoryArn } from '@dockmaster/core/topology';
import type { DockmasterEvent } from '../adapters/dockmaster-bus.js';
import type { RepositoryChanges } from './configure-repository.js';

/** What made the worker look at the repository: an ECR event, or the sweep. */
type CacheRepositoryCause = 'create-repository' | 'pull-through-cache' | 'replication' | 'reconcile';

/** Detail of `Cache Repository Configured` and `Cache Repository Drift Repaired`. */
type CacheRepositoryChangeDetail = {
  repository: string;
  prefix: string;
  /** The cache's upstream; absent for a repositoryTemplates prefix (repositories created on push or by replication). */
  upstream?: string;
  region: string;
  account: string;
  trigger: CacheRepositoryCause;
  /** Before and after of everything that was written; absent parts were already right. */
  diff: RepositoryChanges;
  /** The EventBridge event that led here, when there was one. */
  eventId?: string;
};

type ChangeEventInput = {
  repository: string;
  rule: Pick<PullThroughCacheConfig, 'prefix'> & Partial<Pick<PullThroughCacheConfig, 'upstream'>>;
  region: string;
  account: string;
  trigger: CacheRepositoryCause;
  firstTime: boolean;
  changes: RepositoryChanges;
  eventId?: string;
};

/** `Cache Repository Configured` the first time, `Cache Repository Drift Repaired` afterwards. */
const cacheRepositoryChangeEvent = (input: ChangeEventInput): DockmasterEvent => {
  const detail: CacheRepositoryChangeDetail = {
    repository: input.repository,
    prefix: input.rule.prefix,
    ...(input.rule.upstream === undefined ? {} : { upstream: input.rule.upstream }),
    region: input.region,
    account: input.account,
    trigger: input.trigger,
    diff: input.changes,
    ...(input.eventId === undefined ? {} : { eventId: input.eventId }),
  };
  return {
    detailType: input.firstTime ? DockmasterEventType.CacheRepositoryConfigured : DockmasterEventType.CacheRepositoryDriftRepaired,
    detail,
    resources: [ecrRepositoryArn({ accountId: input.account, region: input.region }, input.repository)],
  };
};

export { cacheRepositoryChangeEvent };
export type { CacheRepositoryCause, CacheRepositoryChangeDetail, ChangeEventInput };
