import { cacheResources } from './cache-resources';
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

export { caches };
