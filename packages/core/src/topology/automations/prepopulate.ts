import { AutomationId } from '../../constants.js';
import { REGISTRY_LOGIN, repositoryArnsForPrefixes, statementIfAny } from '../iam.js';
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
    source: ['aws.ssm'],
    'detail-type': ['Parameter Store Change'],
    detail: { name: [configParameterName], operation: ['Create', 'Update'] },
  },
});

/**
 * Warms allow-listed upstream images into the pull-through cache by pulling them through it
 * (manifests and layers), which needs the pull-through-cache import and repository creation rights.
 */
const prepopulateAutomation = ({ config, registry, configParameterName }: AutomationContext): AutomationSpec => {
  const caches = config.pullThroughCache.filter((cache) => (cache.prepopulate?.images.length ?? 0) > 0);
  const rules: RuleSpec[] =
    caches.length === 0
      ? []
      : [
          configChangeRule(configParameterName),
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
  const credentialArns = [...new Set(caches.flatMap((cache) => (cache.credentialArn === undefined ? [] : [cache.credentialArn])))].sort();
  return automationSpec(AutomationId.Prepopulate, {
    description: 'Pulls allow-listed upstream images through the pull-through cache so private-subnet clusters find them cached.',
    rules,
    permissions:
      caches.length === 0
        ? []
        : [
            ...statementIfAny(
              'PullThroughCache',
              [
                'ecr:BatchImportUpstreamImage',
                'ecr:CreateRepository',
                'ecr:BatchGetImage',
                'ecr:BatchCheckLayerAvailability',
                'ecr:GetDownloadUrlForLayer',
                'ecr:DescribeImages',
                'ecr:ListImages',
              ],
              repositoryArnsForPrefixes(
                registry,
                caches.map((cache) => cache.prefix),
              ),
            ),
            // Listing upstream tags (semver/regex selectors) needs the same credentials as the cache rule.
            ...statementIfAny('ReadUpstreamCredentials', ['secretsmanager:GetSecretValue'], credentialArns),
            REGISTRY_LOGIN,
          ],
    needsIdempotency: true,
    // The last warmed digest per cache repository tag: an unchanged tag then costs one HEAD.
    needsState: true,
    // The plan fans out one `warm` message per image and tag to the worker's own queue.
    fansOutToOwnQueue: true,
  });
};

export { prepopulateAutomation };
