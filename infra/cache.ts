import { cacheResources, templateResources } from './cache-resources';
import { deployConfig } from './config';

/**
 * Per pullThroughCache entry in mode cache: the ECR pull-through cache rule (prefix -> upstream, with the
 * Secrets Manager credential when the upstream needs one) and the repository creation template ECR applies to
 * the repositories it creates under the prefix on a first pull. Entries in mode copy get neither.
 */
const caches = cacheResources(deployConfig.config).map(({ prefix, name, rule, template }) => ({
  prefix,
  rule: new aws.ecr.PullThroughCacheRule(`${name}PullThroughCacheRule`, rule),
  template: new aws.ecr.RepositoryCreationTemplate(`${name}RepositoryCreationTemplate`, template),
}));

/**
 * Per repositoryTemplates entry: the repository creation template ECR applies to repositories it creates on a
 * push (CREATE_ON_PUSH) or by replication (REPLICATION) under the prefix. `Created...` in the logical name keeps
 * these apart from the cache templates even where a prefix's PascalCase equals a cache prefix's.
 */
const templates = templateResources(deployConfig.config).map(({ prefix, name, template }) => ({
  prefix,
  template: new aws.ecr.RepositoryCreationTemplate(`${name}CreatedRepositoryCreationTemplate`, template),
}));

export { caches, templates };
