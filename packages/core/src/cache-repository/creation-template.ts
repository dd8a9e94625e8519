import type { PullThroughCacheConfig } from '../config/index.js';
import { PolicyTooLargeError, REPOSITORY_POLICY_MAX_CHARS } from './errors.js';
import { renderTemplateLifecyclePolicy } from './lifecycle-policy.js';
import { POLICY_VERSION } from './merge-policy.js';
import type { Partition } from '../topology/arn.js';
import { renderPullStatements } from './pull-statements.js';
import { type EcrTagMutability, renderRepositorySettings } from './repository-settings.js';

const DESCRIPTION_MAX_CHARS = 256;

/**
 * The input of CreateRepositoryCreationTemplate (and UpdateRepositoryCreationTemplate) for one rule, in
 * the SDK's field names. A template only shapes repositories ECR creates from then on; existing ones are
 * configured by the worker.
 *
 * Deliberately absent: `resourceTags` and `encryptionConfiguration` (KMS). With either, ECR needs a
 * `customRoleArn` or "the repository creation will fail" (and resource tags have broken cache pulls:
 * containers-roadmap#2398); without them no role is needed, so none is set and encryption is ECR's AES-256.
 * Scan on push is not a template field: the worker sets it on the created repository.
 */
type CreationTemplateInput = {
  prefix: string;
  appliedFor: ['PULL_THROUGH_CACHE'];
  description: string;
  imageTagMutability: EcrTagMutability;
  imageTagMutabilityExclusionFilters?: { filterType: 'WILDCARD'; filter: string }[];
  repositoryPolicy?: string;
  lifecyclePolicy?: string;
};

const renderCreationTemplate = (
  rule: Pick<PullThroughCacheConfig, 'prefix' | 'upstream' | 'repositoryPolicy' | 'repositorySettings'>,
  partition: Partition,
): CreationTemplateInput => {
  const statements = renderPullStatements(rule, partition);
  const repositoryPolicy = statements.length > 0 ? JSON.stringify({ Version: POLICY_VERSION, Statement: statements }) : undefined;
  if (repositoryPolicy && repositoryPolicy.length > REPOSITORY_POLICY_MAX_CHARS) {
    throw new PolicyTooLargeError(`${rule.prefix}/*`, repositoryPolicy.length, 'creation-template');
  }
  const lifecyclePolicy = renderTemplateLifecyclePolicy(rule);
  const settings = renderRepositorySettings(rule);
  return {
    prefix: rule.prefix,
    appliedFor: ['PULL_THROUGH_CACHE'],
    description: `Dockmaster: pull-through cache ${rule.prefix}/ <- ${rule.upstream}`.slice(0, DESCRIPTION_MAX_CHARS),
    imageTagMutability: settings.tagMutability,
    ...(settings.tagMutabilityExclusionFilters === undefined
      ? {}
      : { imageTagMutabilityExclusionFilters: settings.tagMutabilityExclusionFilters.map((filter) => ({ filterType: 'WILDCARD' as const, filter })) }),
    ...(repositoryPolicy ? { repositoryPolicy } : {}),
    ...(lifecyclePolicy ? { lifecyclePolicy } : {}),
  };
};

export { renderCreationTemplate };
export type { CreationTemplateInput };
