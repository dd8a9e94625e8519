import { AutomationId } from '../../constants.js';
import { AwsDetailType, EcrActionResult, EcrActionType, EventSource } from '../../events/vocabulary.js';
import { grantCalls, repositoryArnsForGlobs } from '../iam.js';
import { repositoryMatchersForGlobs } from '../repository-filter.js';
import { packRepositoryRules } from '../rule-packing.js';
import { TagPolicyMode } from '../../tag-policy/types.js';
import type { AutomationSpec, EventRuleSpec } from '../types.js';
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

/**
 * Checks tags and labels of every push to a covered repository; in enforce mode removes the offending tag.
 * Reads the manifest (BatchGetImage) and the config blob (labels) through the pre-signed URL of
 * GetDownloadUrlForLayer: SDK calls only, so no registry login.
 */
const tagPolicyAutomation = ({ config, registry }: AutomationContext): AutomationSpec => {
  const coveredGlobs = config.tagPolicies.flatMap((policy) => policy.repositories);
  const enforcedGlobs = config.tagPolicies.filter((policy) => policy.mode === TagPolicyMode.Enforce).flatMap((policy) => policy.repositories);
  const covered = repositoryArnsForGlobs(registry, coveredGlobs);
  return automationSpec(AutomationId.TagPolicy, {
    description: 'Checks pushed tags and labels against the tag policies; enforce mode removes offending tags.',
    rules: tagPolicyRules(coveredGlobs),
    permissions:
      coveredGlobs.length === 0
        ? []
        : [
            ...grantCalls(AutomationId.TagPolicy, 'ReadPushedImages', covered),
            // Only repositories of enforce-mode policies may lose tags.
            ...grantCalls(AutomationId.TagPolicy, 'RemoveOffendingTags', repositoryArnsForGlobs(registry, enforcedGlobs)),
          ],
    needsIdempotency: true,
    needsState: false,
  });
};

export { tagPolicyAutomation };
