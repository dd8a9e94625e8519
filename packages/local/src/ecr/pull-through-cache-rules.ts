import { AwsServiceError } from '../aws-endpoint/aws-service-error.js';
import { paginate } from '../aws-endpoint/pagination.js';
import { invalidNextToken } from './ecr-errors.js';
import type { EcrState } from './ecr-state.js';

/** Pull-through cache rules: declared to the local stack, served by DescribePullThroughCacheRules. */

function describePullThroughCacheRules(
  ecr: Pick<EcrState, 'pullThroughCacheRules' | 'registryId'>,
  input: { ecrRepositoryPrefixes?: string[] | undefined; maxResults?: number | undefined; nextToken?: string | undefined },
): object {
  const rules = input.ecrRepositoryPrefixes === undefined
    ? [...ecr.pullThroughCacheRules]
    : input.ecrRepositoryPrefixes.map((prefix) => {
        const rule = ecr.pullThroughCacheRules.find((candidate) => candidate.ecrRepositoryPrefix === prefix);
        if (rule === undefined) {
          throw new AwsServiceError('PullThroughCacheRuleNotFoundException', `The pull through cache rule with prefix '${prefix}' does not exist in the registry with id '${ecr.registryId}'`);
        }
        return rule;
      });
  const page = paginate(rules, { maxResults: input.maxResults ?? 100, nextToken: input.nextToken, invalidTokenError: invalidNextToken });
  return {
    pullThroughCacheRules: page.items.map((rule) => ({
      ecrRepositoryPrefix: rule.ecrRepositoryPrefix,
      upstreamRegistryUrl: rule.upstreamRegistryUrl,
      createdAt: rule.createdAt ?? new Date(0),
      registryId: ecr.registryId,
      ...(rule.upstreamRegistry === undefined ? {} : { upstreamRegistry: rule.upstreamRegistry }),
      ...(rule.upstreamRepositoryPrefix === undefined ? {} : { upstreamRepositoryPrefix: rule.upstreamRepositoryPrefix }),
      ...(rule.credentialArn === undefined ? {} : { credentialArn: rule.credentialArn }),
      ...(rule.customRoleArn === undefined ? {} : { customRoleArn: rule.customRoleArn }),
    })),
    nextToken: page.nextToken,
  };
}

export { describePullThroughCacheRules };
