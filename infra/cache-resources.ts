import { type CreationTemplateInput, renderCreationTemplate, renderRepositoryTemplate } from '@dockmaster/core/cache-repository';
import { type DockmasterConfig, ecrUpstreamAccount, pullThroughUpstreamUrl } from '@dockmaster/core/config';
import { CacheMode } from '@dockmaster/core/constants';
import { partitionOf } from '@dockmaster/core/topology';
// Not re-exported by @dockmaster/core/config's index (kept out of this change); the module has no other imports.
import { pascalCase } from './names';

/*
 * What infra creates per pullThroughCache entry, as plain arguments (Pulumi aws v7 property names). No SST
 * globals here, so it is tested outside `sst deploy`; infra/cache.ts turns it into resources.
 */

interface PullThroughCacheRuleArgs {
  ecrRepositoryPrefix: string;
  upstreamRegistryUrl: string;
  credentialArn?: string;
}

/**
 * aws.ecr.RepositoryCreationTemplate arguments from core's renderCreationTemplate. No resourceTags and no KMS
 * encryption, so no customRoleArn: ECR needs that role only to tag or KMS-encrypt the repositories it creates
 * (and resource tags have broken pull-through-cache pulls, containers-roadmap#2398).
 */
interface RepositoryCreationTemplateArgs {
  prefix: string;
  appliedFors: string[];
  description: string;
  imageTagMutability: string;
  imageTagMutabilityExclusionFilters?: { filterType: string; filter: string }[];
  repositoryPolicy?: string;
  lifecyclePolicy?: string;
}

interface CacheResources {
  prefix: string;
  /** Base of the Pulumi logical names (`k8s` -> `K8s`), unique among the entries. */
  name: string;
  rule: PullThroughCacheRuleArgs;
  template: RepositoryCreationTemplateArgs;
}

/** Resources of one repositoryTemplates entry: only its creation template (no pull-through cache rule). */
interface TemplateResources {
  prefix: string;
  /** Base of the Pulumi logical name (`mirror/eu` -> `MirrorEu`), unique among the repositoryTemplates entries. */
  name: string;
  template: RepositoryCreationTemplateArgs;
}

/** Pulumi's argument names for core's CreateRepositoryCreationTemplate input (`appliedFor` is `appliedFors`). */
const templateArgs = (rendered: CreationTemplateInput): RepositoryCreationTemplateArgs => ({
  prefix: rendered.prefix,
  appliedFors: [...rendered.appliedFor],
  description: rendered.description,
  imageTagMutability: rendered.imageTagMutability,
  ...(rendered.imageTagMutabilityExclusionFilters === undefined ? {} : { imageTagMutabilityExclusionFilters: rendered.imageTagMutabilityExclusionFilters }),
  ...(rendered.repositoryPolicy === undefined ? {} : { repositoryPolicy: rendered.repositoryPolicy }),
  ...(rendered.lifecyclePolicy === undefined ? {} : { lifecyclePolicy: rendered.lifecyclePolicy }),
});

/** Logical names drop separators (`a-1` and `a1` are both `A1`); two entries must never share a resource. */
const refuseNameClashes = (resources: readonly { name: string; prefix: string }[], section: string): void => {
  const byName = new Map<string, string>();
  for (const { name, prefix } of resources) {
    const other = byName.get(name);
    if (other !== undefined) {
      throw new Error(`The ${section} prefixes "${other}" and "${prefix}" differ only in separators; rename one of them in the Dockmaster configuration.`);
    }
    byName.set(name, prefix);
  }
};

/**
 * A private ECR registry of another account as upstream needs an IAM role ECR assumes to pull from it
 * (`customRoleArn`; ECR user guide, "Setting up permissions for cross-account ECR to ECR PTC"). Dockmaster
 * does not create that role, and a rule without it fails on the first pull, so the deploy stops here instead.
 * A registry of the same account (another Region) uses ECR's service-linked role and needs none.
 */
const refuseCrossAccountEcrUpstream = (cache: { prefix: string; upstream: string }, accountId: string): void => {
  const upstreamAccount = ecrUpstreamAccount(cache.upstream);
  if (upstreamAccount === undefined || upstreamAccount === accountId) return;
  throw new Error(
    `pullThroughCache "${cache.prefix}": the upstream ${cache.upstream} is a private ECR registry of another account (${upstreamAccount}). ` +
      `ECR pulls from it only through an IAM role it can assume (customRoleArn, "Setting up permissions for cross-account ECR to ECR PTC" in the ECR user guide), ` +
      `which Dockmaster does not create. Cache from a registry of account ${accountId}, or remove the entry.`,
  );
};

/**
 * The pull-through cache rule and the repository creation template of every pullThroughCache entry in mode
 * `cache`. The template shapes the repositories ECR creates on a first pull; the cache-repository worker
 * configures those that existed before and repairs drift. Entries in mode `copy` get neither: their
 * repositories are plain ones the prepopulate worker creates, configured by the cache-repository worker.
 */
const cacheResources = (config: Pick<DockmasterConfig, 'pullThroughCache' | 'registry'>): CacheResources[] => {
  const partition = partitionOf(config.registry.region);
  const resources = config.pullThroughCache.filter((cache) => cache.mode === CacheMode.Cache).map((cache): CacheResources => {
    refuseCrossAccountEcrUpstream(cache, config.registry.accountId);
    const rendered = renderCreationTemplate(cache, partition);
    return {
      prefix: cache.prefix,
      name: pascalCase(cache.prefix),
      rule: {
        ecrRepositoryPrefix: cache.prefix,
        upstreamRegistryUrl: pullThroughUpstreamUrl(cache.upstream),
        ...(cache.credentialArn === undefined ? {} : { credentialArn: cache.credentialArn }),
      },
      template: templateArgs(rendered),
    };
  });
  refuseNameClashes(resources, 'pull-through cache');
  return resources;
};

/**
 * The repository creation template of every repositoryTemplates entry (CREATE_ON_PUSH and/or REPLICATION),
 * rendered by the same core renderer as the cache templates. The templates act only at creation; the
 * cache-repository worker keeps the repositories under these prefixes afterwards.
 */
const templateResources = (config: Pick<DockmasterConfig, 'repositoryTemplates' | 'registry'>): TemplateResources[] => {
  const partition = partitionOf(config.registry.region);
  const resources = config.repositoryTemplates.map((entry): TemplateResources => ({
    prefix: entry.prefix,
    name: pascalCase(entry.prefix),
    template: templateArgs(renderRepositoryTemplate(entry, partition)),
  }));
  refuseNameClashes(resources, 'repositoryTemplates');
  return resources;
};

export { cacheResources, templateResources };
export type { CacheResources, PullThroughCacheRuleArgs, RepositoryCreationTemplateArgs, TemplateResources };
