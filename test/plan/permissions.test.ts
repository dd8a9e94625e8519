import { isWildcardOnlyAction, runSimulation } from '@cloud-copilot/iam-simulate';
import { AutomationId } from '@dockmaster/core/constants';
import { beforeAll, describe, expect, it } from 'vitest';
import { pascalCase } from '../../infra/names';
import { fullConfigFile, listOf, ofType, PARTITIONS, PLAN_TIMEOUT_MS, planFor, policyOf, type Partition, type Plan, type PlannedResource } from './plan-runner';

/*
 * Every worker role of the plan, evaluated by a real IAM policy evaluator (@cloud-copilot/iam-simulate) over a
 * matrix of calls, in each partition. The full test configuration has enforce globs prod/** and release/*, the
 * audit glob vendor/**, cache prefixes k8s/ and hub/ and the copy-mode prefix mcr/.
 * Only the roles' inline policies are evaluated: the one managed policy SST attaches,
 * AWSLambdaBasicExecutionRole (CloudWatch Logs only), is AWS's and grants nothing on ECR.
 */

const ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '999988887777';
const plans: Partial<Record<Partition, Plan>> = {};

beforeAll(async () => {
  const results = await Promise.all(PARTITIONS.map(async ({ partition }) => [partition, await planFor(fullConfigFile(partition))] as const));
  Object.assign(plans, Object.fromEntries(results));
}, PLAN_TIMEOUT_MS);

const identityPolicies = (role: PlannedResource) =>
  (role.inputs.inlinePolicies as { name: string; policy: string }[]).map(({ name, policy }) => ({ name, policy: policyOf(policy) }));

const automationOf = (role: PlannedResource): string => {
  const id = Object.values(AutomationId).find((candidate) => role.name.startsWith(`${pascalCase(candidate)}Queue`));
  if (id === undefined) throw new Error(`role ${role.name} belongs to no automation`);
  return id;
};

const simulate = async (role: PlannedResource, roleArn: string, action: string, resource: string, account = ACCOUNT): Promise<string> => {
  const result = await runSimulation(
    {
      request: { principal: roleArn, action, resource: { resource, accountId: account }, contextVariables: {} },
      identityPolicies: identityPolicies(role),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`${action} on ${resource}: ${result.errors.message}`);
  return result.overallResult;
};

describe.each(PARTITIONS.map(({ partition, region }) => [partition, region] as const))('worker permissions in %s', (partition, region) => {
  const repository = (name: string, account = ACCOUNT) => `arn:${partition}:ecr:${region}:${account}:repository/${name}`;
  const roles = () => ofType(plans[partition]!, 'aws:iam/role:Role');
  const roleArn = (role: PlannedResource) => `arn:${partition}:iam::${ACCOUNT}:role/${String(role.inputs.name)}`;
  const SAMPLE_REPOSITORIES = ['prod/api', 'prod/payments/api', 'release/web', 'release/web/nested', 'vendor/lib', 'k8s/pause', 'hub/library/nginx', 'mcr/dotnet/runtime', 'team/app'];

  it('lets only the tag-policy role delete images, and only in repositories under enforce-mode globs', async () => {
    // Prepare: IAM's '*' crosses '/', so `release/*` becomes repository/release/* and also admits release/web/nested
    // (core/topology/wildcard.ts: the translation over-approximates; the worker re-checks the exact glob).
    const enforced = new Set(['prod/api', 'prod/payments/api', 'release/web', 'release/web/nested']);
    expect(roles()).toHaveLength(5);

    for (const role of roles()) {
      for (const name of SAMPLE_REPOSITORIES) {
        // Act
        const result = await simulate(role, roleArn(role), 'ecr:BatchDeleteImage', repository(name));

        // Assess
        const expected = automationOf(role) === AutomationId.TagPolicy && enforced.has(name) ? 'Allowed' : 'ImplicitlyDenied';
        expect(result, `${automationOf(role)} ecr:BatchDeleteImage on ${name}`).toBe(expected);
      }
    }
  });

  it('lets no role delete a repository, or set a repository policy outside the cache prefixes', async () => {
    for (const role of roles()) {
      for (const name of SAMPLE_REPOSITORIES) {
        // Act
        const deleteRepository = await simulate(role, roleArn(role), 'ecr:DeleteRepository', repository(name));
        const setPolicy = await simulate(role, roleArn(role), 'ecr:SetRepositoryPolicy', repository(name));

        // Assess
        expect(deleteRepository, `${automationOf(role)} ecr:DeleteRepository on ${name}`).toBe('ImplicitlyDenied');
        if (!/^(k8s|hub|mcr)\//.test(name)) expect(setPolicy, `${automationOf(role)} ecr:SetRepositoryPolicy on ${name}`).toBe('ImplicitlyDenied');
      }
    }
    // The cache-repository worker does set policies under the cache prefixes (the matrix can tell the two apart).
    const cacheRole = roles().find((role) => automationOf(role) === AutomationId.CacheRepository)!;
    expect(await simulate(cacheRole, roleArn(cacheRole), 'ecr:SetRepositoryPolicy', repository('k8s/pause'))).toBe('Allowed');
  });

  it('grants nothing in another account: every allowed call is denied on the same resource of another account', async () => {
    for (const role of roles()) {
      for (const { policy } of identityPolicies(role)) {
        for (const statement of policy.Statement) {
          for (const resource of listOf(statement.Resource).filter((arn) => arn !== '*')) {
            for (const action of listOf(statement.Action)) {
              // Prepare: the same ARN (wildcards made concrete) in another account
              const own = resource.replaceAll('*', 'x');
              const other = own.split(':').map((part, index) => (index === 4 && part === ACCOUNT ? OTHER_ACCOUNT : part)).join(':');
              expect(own, `${role.name}: ${resource} is in the partition`).toMatch(new RegExp(`^arn:${partition}:`));

              // Act
              const ownResult = await simulate(role, roleArn(role), action, own);
              const otherResult = await simulate(role, roleArn(role), action, other, OTHER_ACCOUNT);

              // Assess
              expect(ownResult, `${automationOf(role)} ${action} on ${own}`).toBe('Allowed');
              expect(otherResult, `${automationOf(role)} ${action} on ${other}`).toBe('ImplicitlyDenied');
            }
          }
        }
      }
    }
  });

  it('uses Resource "*" only for actions that support no narrower resource', async () => {
    for (const role of roles()) {
      for (const { policy } of identityPolicies(role)) {
        for (const statement of policy.Statement.filter((candidate) => listOf(candidate.Resource).includes('*'))) {
          for (const action of listOf(statement.Action)) {
            // Act
            const [service, name] = action.split(':') as [string, string];

            // Assess
            expect(await isWildcardOnlyAction(service, name), `${automationOf(role)}: ${action} on "*"`).toBe(true);
          }
        }
      }
    }
  });
});
