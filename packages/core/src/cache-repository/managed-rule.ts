import type { DockmasterConfig, PullThroughCacheConfig, RepositoryTemplateConfig } from '../config/index.js';
import { CacheMode } from '../constants.js';
import { findCacheRule } from './find-cache-rule.js';
import { renderLifecyclePolicy } from './lifecycle-policy.js';

/**
 * What the cache-repository worker configures one repository by: a pullThroughCache entry, or a
 * repositoryTemplates entry seen through the same typed fields (repositoryPolicy, repositorySettings).
 * A template entry has no upstream and no allow-list; its `mode` is `copy` because its repositories are plain
 * ones, filled by pushes or replication: nothing is ever imported from an upstream, so the policy grants the
 * copy-mode pull actions (no ecr:BatchImportUpstreamImage).
 */
type ManagedRule = Pick<PullThroughCacheConfig, 'prefix' | 'mode' | 'repositoryPolicy' | 'repositorySettings'> &
  Partial<Pick<PullThroughCacheConfig, 'upstream' | 'prepopulate'>>;

type ManagedConfig = Pick<DockmasterConfig, 'pullThroughCache'> & Partial<Pick<DockmasterConfig, 'repositoryTemplates'>>;

const templateRule = (template: Pick<RepositoryTemplateConfig, 'prefix' | 'repositoryPolicy' | 'repositorySettings'>): ManagedRule => ({
  prefix: template.prefix,
  mode: CacheMode.Copy,
  ...(template.repositoryPolicy === undefined ? {} : { repositoryPolicy: template.repositoryPolicy }),
  ...(template.repositorySettings === undefined ? {} : { repositorySettings: template.repositorySettings }),
});

/**
 * The rule of a repository: the cache prefix it is under, else the template prefix (name starts with the
 * prefix plus '/'). The semantic checks forbid nesting across both lists, so at most one matches.
 */
const findManagedRule = (config: ManagedConfig, repository: string): ManagedRule | undefined => {
  const cache = findCacheRule(config, repository);
  if (cache !== undefined) return cache;
  const template = (config.repositoryTemplates ?? []).find((candidate) => repository.startsWith(`${candidate.prefix}/`));
  return template === undefined ? undefined : templateRule(template);
};

/** Every prefix the worker configures repositories under: the cache prefixes, then the template prefixes. */
const managedPrefixes = (config: ManagedConfig): string[] => [
  ...config.pullThroughCache.map((rule) => rule.prefix),
  ...(config.repositoryTemplates ?? []).map((template) => template.prefix),
];

/**
 * The full lifecycle policy of one repository under the rule (renderLifecyclePolicy). A template entry has no
 * allow-list, so its upstream is never read: the empty string only satisfies the cache rule's shape.
 */
const renderManagedLifecyclePolicy = (rule: ManagedRule, repository: string): string | undefined =>
  renderLifecyclePolicy({ prefix: rule.prefix, upstream: rule.upstream ?? '', repositorySettings: rule.repositorySettings, prepopulate: rule.prepopulate }, repository);

export { findManagedRule, managedPrefixes, renderManagedLifecyclePolicy, templateRule };
export type { ManagedConfig, ManagedRule };
