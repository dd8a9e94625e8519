import { AutomationId } from '../../constants.js';
import { AwsDetailType, EcrActionResult, EcrActionType, EventSource } from '../../events/vocabulary.js';
import { grantCalls, listRepositories, repositoryArnsForGlobs } from '../iam.js';
import { repositoryMatchersForGlobs } from '../repository-filter.js';
import { packRepositoryRules } from '../rule-packing.js';
import { compileTagImmutability, TagImmutabilityEnforcement } from '../../tag-policy/tag-immutability.js';
import { TagPolicyMode } from '../../tag-policy/types.js';
import { scheduleRule } from '../scheduled-event.js';
import type { AutomationSpec, EventRuleSpec, RuleSpec } from '../types.js';
import { type AutomationContext, automationSpec } from './automation.js';

/** Successful pushes to repositories some tag policy covers; failed actions and deletes reach nothing. */
const tagPolicyRules = (globs: string[]): EventRuleSpec[] => {
  if (globs.length === 0) return [];
  return packRepositoryRules({
    name: 'tag-policy-push',
    description: 'Dockmaster: successful image pushes to repositories covered by a tag policy',
    matchers: repositoryMatchersForGlobs(globs),
    build: (matchers) => ({
      source: [EventSource.Ecr],
      'detail-type': [AwsDetailType.EcrImageAction],
      detail: {
        'action-type': [EcrActionType.Push],
        result: [EcrActionResult.Success],
        ...(matchers === undefined ? {} : { 'repository-name': matchers }),
      },
    }),
  });
};

/** Events are best effort and settings can be changed by hand: the worker sweeps the tag mutability on this schedule. */
const TAG_MUTABILITY_RECONCILE_SCHEDULE = 'rate(12 hours)';

/**
 * Checks tags and labels of every push to a covered repository; in enforce mode removes the offending tag.
 * Reads the manifest (BatchGetImage) and the config blob (labels) through the pre-signed URL of
 * GetDownloadUrlForLayer: SDK calls only, so no registry login.
 */
const tagPolicyAutomation = ({ config, registry }: AutomationContext): AutomationSpec => {
  const coveredGlobs = config.tagPolicies.flatMap((policy) => policy.repositories);
  const enforcedGlobs = config.tagPolicies.filter((policy) => policy.mode === TagPolicyMode.Enforce).flatMap((policy) => policy.repositories);
  const covered = repositoryArnsForGlobs(registry, coveredGlobs);
  // Policies whose tagImmutability ECR can hold: the worker sets it on their repositories and sweeps for drift.
  const ecrEnforcedGlobs = config.tagPolicies
    .filter((policy) => compileTagImmutability(policy).enforcement === TagImmutabilityEnforcement.Ecr)
    .flatMap((policy) => policy.repositories);
  // Immutability ECR cannot hold is checked on the push event against the first digest seen (state table).
  const checkedOnPush = config.tagPolicies.some((policy) => compileTagImmutability(policy).enforcement === TagImmutabilityEnforcement.PushEvent);
  const sweep: RuleSpec[] =
    ecrEnforcedGlobs.length === 0
      ? []
      : [
          scheduleRule('tag-policy-reconcile', 'Dockmaster: repair the tag mutability of repositories under tag policies ECR enforces', TAG_MUTABILITY_RECONCILE_SCHEDULE, {
            automation: AutomationId.TagPolicy,
            trigger: 'reconcile',
          }),
        ];
  return automationSpec(AutomationId.TagPolicy, {
    description: 'Checks pushed tags and labels against the tag policies; enforce mode removes offending tags; keeps tag immutability in ECR.',
    rules: [...tagPolicyRules(coveredGlobs), ...sweep],
    permissions:
      coveredGlobs.length === 0
        ? []
        : [
            ...grantCalls(AutomationId.TagPolicy, 'ReadPushedImages', covered),
            // Only repositories of enforce-mode policies may lose tags.
            ...grantCalls(AutomationId.TagPolicy, 'RemoveOffendingTags', repositoryArnsForGlobs(registry, enforcedGlobs)),
            // Only repositories of policies compiled into ECR get their tag mutability written.
            ...grantCalls(AutomationId.TagPolicy, 'KeepTagMutability', repositoryArnsForGlobs(registry, ecrEnforcedGlobs)),
            ...(ecrEnforcedGlobs.length === 0 ? [] : listRepositories(AutomationId.TagPolicy, registry)),
          ],
    needsIdempotency: true,
    needsState: checkedOnPush,
  });
};

export { TAG_MUTABILITY_RECONCILE_SCHEDULE, tagPolicyAutomation };
