import { AutomationId, CacheMode } from '../../constants.js';
import { AwsDetailType, EcrActionResult, EcrActionType, EcrStorageClass, EventSource } from '../../events/vocabulary.js';
import { listWarmTargets } from '../../prepopulate/index.js';
import { grantCalls, repositoryArnsForPrefixes } from '../iam.js';
import { packRepositoryRules } from '../rule-packing.js';
import { scheduleRule } from '../scheduled-event.js';
import type { AutomationSpec, EventRuleSpec, RuleSpec } from '../types.js';
import { ruleName } from '../rule-name.js';
import { type AutomationContext, automationSpec } from './automation.js';

/** The configuration parameter changed: the allow-list may have new images. */
const configChangeRule = (configParameterName: string): EventRuleSpec => ({
  kind: 'event',
  name: 'prepopulate-config-change',
  description: 'Dockmaster: the configuration parameter was created or updated',
  eventPattern: {
    source: [EventSource.Ssm],
    'detail-type': [AwsDetailType.ParameterStoreChange],
    detail: { name: [configParameterName], operation: ['Create', 'Update'] },
  },
});

/**
 * ECR archived an image of an allow-listed repository (a lifecycle `transition` rule or a manual
 * UpdateImageStorageClass): the worker restores it when it carries an allow-listed tag. Matched by exact
 * repository name: only the allow-listed repositories, not every repository under the prefix.
 */
const imageArchivedRules = (repositories: string[]): RuleSpec[] =>
  repositories.length === 0
    ? []
    : packRepositoryRules({
        name: 'prepopulate-image-archived',
        description: 'Dockmaster: an image of an allow-listed repository was archived',
        matchers: repositories,
        build: (chunk) => ({
          source: [EventSource.Ecr],
          'detail-type': [AwsDetailType.EcrImageAction],
          detail: {
            'action-type': [EcrActionType.UpdateStorageClass],
            'target-storage-class': [EcrStorageClass.Archive],
            result: [EcrActionResult.Success],
            ...(chunk === undefined ? {} : { 'repository-name': chunk }),
          },
        }),
      });

/**
 * Warms allow-listed upstream images: into the pull-through cache by pulling them through it (mode cache),
 * or by copying them from the upstream into plain repositories under the prefix (mode copy).
 */
const prepopulateAutomation = ({ config, registry, configParameterName }: AutomationContext): AutomationSpec => {
  const caches = config.pullThroughCache.filter((cache) => (cache.prepopulate?.images.length ?? 0) > 0);
  const pulled = caches.filter((cache) => cache.mode === CacheMode.Cache);
  const copied = caches.filter((cache) => cache.mode === CacheMode.Copy);
  const rules: RuleSpec[] =
    caches.length === 0
      ? []
      : [
          configChangeRule(configParameterName),
          ...imageArchivedRules([...new Set(listWarmTargets(config).map((target) => target.repository))].sort()),
          ...caches.flatMap((cache) =>
            cache.prepopulate?.schedule === undefined
              ? []
              : [
                  scheduleRule(
                    ruleName(`prepopulate-schedule-${cache.prefix}`),
                    `Dockmaster: pre-populate the allow-listed images under ${cache.prefix}/`,
                    cache.prepopulate.schedule,
                    { automation: AutomationId.Prepopulate, trigger: 'schedule', prefix: cache.prefix },
                  ),
                ],
          ),
        ];
  // Only the copy reads upstream credentials; a cache rule's secret is read by ECR itself.
  const credentialArns = [...new Set(copied.flatMap((cache) => (cache.credentialArn === undefined ? [] : [cache.credentialArn])))].sort();
  return automationSpec(AutomationId.Prepopulate, {
    description: 'Pulls allow-listed upstream images through the pull-through cache so private-subnet clusters find them cached.',
    rules,
    permissions:
      caches.length === 0
        ? []
        : [
            // A cache-mode warm pulls through the cache; a copy creates the repository when it is missing and pushes.
            ...grantCalls(AutomationId.Prepopulate, 'PullThroughCache', repositoryArnsForPrefixes(registry, pulled.map((cache) => cache.prefix))),
            ...grantCalls(AutomationId.Prepopulate, 'CopyIntoRepositories', repositoryArnsForPrefixes(registry, copied.map((cache) => cache.prefix))),
            // The copy logs in to the upstream with the entry's secret (username and accessToken).
            ...grantCalls(AutomationId.Prepopulate, 'ReadUpstreamCredentials', credentialArns),
            // An archived allow-listed image is re-read (DescribeImages) and restored.
            ...grantCalls(AutomationId.Prepopulate, 'RestoreArchivedImages', repositoryArnsForPrefixes(registry, caches.map((cache) => cache.prefix))),
            // Registry login for the OCI API. GetAuthorizationToken has no resource-level permissions, so IAM only
            // accepts `*` here; the token alone grants nothing: every registry call is checked against the statements above.
            ...grantCalls(AutomationId.Prepopulate, 'RegistryLogin', ['*']),
          ],
    needsIdempotency: true,
    // The last warmed digest per cache repository tag: an unchanged tag then costs one HEAD.
    needsState: true,
    // The plan fans out one `warm` message per image and tag to the worker's own queue.
    fansOutToOwnQueue: true,
  });
};

export { prepopulateAutomation };
