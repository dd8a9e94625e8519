import type { DockmasterConfig, PullThroughCacheConfig, RepositoryTemplateConfig } from '../config/index.js';
import { CacheMode, type TemplateAppliedFor } from '../constants.js';
import { PolicyTooLargeError, REPOSITORY_POLICY_MAX_CHARS } from './errors.js';
import { renderTemplateLifecyclePolicy } from './lifecycle-policy.js';
import { type ManagedRule, renderManagedLifecyclePolicy, templateRule } from './managed-rule.js';
import { POLICY_VERSION } from './merge-policy.js';
import type { Partition } from '../topology/arn.js';
import { renderPullStatements } from './pull-statements.js';
import { type EcrTagMutability, renderRepositorySettings } from './repository-settings.js';

const DESCRIPTION_MAX_CHARS = 256;

/** CreateRepositoryCreationTemplate's `appliedFor` values Dockmaster renders. */
type CreationScenario = 'PULL_THROUGH_CACHE' | TemplateAppliedFor;

/**
 * The input of CreateRepositoryCreationTemplate (and UpdateRepositoryCreationTemplate) for one prefix, in
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
  appliedFor: CreationScenario[];
  description: string;
  imageTagMutability: EcrTagMutability;
  imageTagMutabilityExclusionFilters?: { filterType: 'WILDCARD'; filter: string }[];
  repositoryPolicy?: string;
  lifecyclePolicy?: string;
};

/**
 * The one renderer behind every template: policy, tag mutability and lifecycle from the rule's typed fields,
 * exactly as the worker renders them for an existing repository (only the lifecycle text is chosen by the caller).
 */
const renderTemplate = (
  rule: ManagedRule,
  scenario: { appliedFor: CreationScenario[]; description: string; lifecyclePolicy: string | undefined },
  partition: Partition,
): CreationTemplateInput => {
  const statements = renderPullStatements(rule, partition);
  const repositoryPolicy = statements.length > 0 ? JSON.stringify({ Version: POLICY_VERSION, Statement: statements }) : undefined;
  if (repositoryPolicy && repositoryPolicy.length > REPOSITORY_POLICY_MAX_CHARS) {
    throw new PolicyTooLargeError(`${rule.prefix}/*`, repositoryPolicy.length, 'creation-template');
  }
  const settings = renderRepositorySettings(rule);
  return {
    prefix: rule.prefix,
    appliedFor: scenario.appliedFor,
    description: scenario.description.slice(0, DESCRIPTION_MAX_CHARS),
    imageTagMutability: settings.tagMutability,
    ...(settings.tagMutabilityExclusionFilters === undefined
      ? {}
      : { imageTagMutabilityExclusionFilters: settings.tagMutabilityExclusionFilters.map((filter) => ({ filterType: 'WILDCARD' as const, filter })) }),
    ...(repositoryPolicy ? { repositoryPolicy } : {}),
    ...(scenario.lifecyclePolicy ? { lifecyclePolicy: scenario.lifecyclePolicy } : {}),
  };
};

/**
 * The template of a pullThroughCache entry (PULL_THROUGH_CACHE). Its lifecycle expires untagged images only:
 * the template is applied before ECR knows which image the repository is for, so it cannot protect that
 * image's allow-list; the worker writes the full policy once the repository exists.
 */
const renderCreationTemplate = (
  rule: Pick<PullThroughCacheConfig, 'prefix' | 'upstream' | 'repositoryPolicy' | 'repositorySettings'> & Partial<Pick<PullThroughCacheConfig, 'mode'>>,
  partition: Partition,
): CreationTemplateInput =>
  renderTemplate(
    { ...rule, mode: rule.mode ?? CacheMode.Cache },
    { appliedFor: ['PULL_THROUGH_CACHE'], description: `Dockmaster: pull-through cache ${rule.prefix}/ <- ${rule.upstream}`, lifecyclePolicy: renderTemplateLifecyclePolicy(rule) },
    partition,
  );

/**
 * The template of a repositoryTemplates entry (CREATE_ON_PUSH and/or REPLICATION). Such a prefix has no
 * allow-list, so the template carries the full lifecycle policy: the same text the worker's drift repair writes.
 */
const renderRepositoryTemplate = (template: Pick<RepositoryTemplateConfig, 'prefix' | 'appliedFor' | 'repositoryPolicy' | 'repositorySettings'>, partition: Partition): CreationTemplateInput => {
  const rule = templateRule(template);
  const appliedFor = [...new Set(template.appliedFor)];
  return renderTemplate(
    rule,
    {
      appliedFor,
      description: `Dockmaster: repositories created ${appliedFor.map((scenario) => (scenario === 'CREATE_ON_PUSH' ? 'on push' : 'by replication')).join(' or ')} under ${template.prefix}/`,
      lifecyclePolicy: renderManagedLifecyclePolicy(rule, `${template.prefix}/`),
    },
    partition,
  );
};

/**
 * Every creation template the configuration asks for, in one list: the pull-through cache entries in mode
 * cache, then the repositoryTemplates entries. Infra creates these; the local stack's ECR applies them.
 */
const renderCreationTemplates = (config: Pick<DockmasterConfig, 'pullThroughCache' | 'repositoryTemplates'>, partition: Partition): CreationTemplateInput[] => [
  ...config.pullThroughCache.filter((rule) => rule.mode === CacheMode.Cache).map((rule) => renderCreationTemplate(rule, partition)),
  ...config.repositoryTemplates.map((template) => renderRepositoryTemplate(template, partition)),
];

export { renderCreationTemplate, renderCreationTemplates, renderRepositoryTemplate };
export type { CreationScenario, CreationTemplateInput };
