import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configWithCaches, exampleK8sRule } from './example-config.fixture.js';
import { mergeRepositoryPolicy } from './merge-policy.js';
import { renderPullStatements, type PolicyStatement } from './pull-statements.js';

const FOUR_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:BatchImportUpstreamImage', 'ecr:GetDownloadUrlForLayer'];

const principalIsEveryone = (statement: PolicyStatement): boolean => {
  const principal = statement.Principal;
  if (principal === '*') return true;
  return Object.values(principal ?? {}).some((value) => value === '*' || (Array.isArray(value) && value.includes('*')));
};

const orgCondition = (statement: PolicyStatement): string[] => {
  const value = statement.Condition?.['StringEquals']?.['aws:PrincipalOrgID'];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
};

const accountId = fc.stringMatching(/^\d{12}$/);
const organizationId = fc.stringMatching(/^o-[a-z0-9]{10,32}$/);

describe('renderPullStatements', () => {
  it('renders the example k8s grants: two accounts and one organisation, pull actions only', () => {
    // Prepare
    const rule = exampleK8sRule();

    // Act
    const statements = renderPullStatements(rule, 'aws');

    // Assess
    expect(statements).toEqual([
      {
        Sid: 'DockmasterPullAccounts',
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::444455556666:root', 'arn:aws:iam::777788889999:root'] },
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability', 'ecr:BatchImportUpstreamImage'],
      },
      {
        Sid: 'DockmasterPullOrganizations',
        Effect: 'Allow',
        Principal: '*',
        Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability', 'ecr:BatchImportUpstreamImage'],
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-a1b2c3d4e5'] } },
      },
    ]);
  });

  it.each([
    ['aws', 'arn:aws:iam::444455556666:root'],
    ['aws-cn', 'arn:aws-cn:iam::444455556666:root'],
    ['aws-us-gov', 'arn:aws-us-gov:iam::444455556666:root'],
  ] as const)('names the granted accounts in the %s partition', (partition, expected) => {
    // Prepare
    const rule = { repositoryPolicy: { pullAccounts: ['444455556666'], pullOrganizations: [] } };

    // Act
    const [statement] = renderPullStatements(rule, partition);

    // Assess
    expect(statement?.Principal).toEqual({ AWS: [expected] });
  });

  it('renders nothing for a rule without a repository policy', () => {
    // Prepare
    const rule = configWithCaches([{ prefix: 'quay', upstream: 'quay.io' }]).pullThroughCache[0];

    // Act
    const statements = renderPullStatements(rule ?? exampleK8sRule(), 'aws');

    // Assess
    expect(statements).toEqual([]);
  });

  it('never grants "*" without the organisation condition, and only the four pull actions (property)', () => {
    fc.assert(
      fc.property(fc.array(accountId, { maxLength: 20 }), fc.array(organizationId, { maxLength: 5 }), (pullAccounts, pullOrganizations) => {
        // Act
        const statements = renderPullStatements({ repositoryPolicy: { pullAccounts, pullOrganizations } }, 'aws');
        const merged = mergeRepositoryPolicy({ repository: 'k8s/pause', currentPolicyText: undefined, statements });

        // Assess
        for (const statement of merged.policy.Statement as PolicyStatement[]) {
          expect(statement.Sid?.startsWith('Dockmaster')).toBe(true);
          expect(statement.Effect).toBe('Allow');
          expect([...(statement.Action as string[])].sort()).toEqual(FOUR_ACTIONS);
          if (principalIsEveryone(statement)) {
            expect(orgCondition(statement).length).toBeGreaterThan(0);
            expect(new Set(orgCondition(statement))).toEqual(new Set(pullOrganizations));
          }
        }
        expect(merged.policy.Statement).toHaveLength(Number(pullAccounts.length > 0) + Number(pullOrganizations.length > 0));
      }),
    );
  });
});
