import { describe, expect, it } from 'vitest';
import { InvalidRepositoryPolicyError, PolicyTooLargeError } from './errors.js';
import { exampleK8sRule } from './example-config.fixture.js';
import { mergeRepositoryPolicy } from './merge-policy.js';
import { renderPullStatements } from './pull-statements.js';

const repository = 'k8s/pause';

// Someone else's statement, in a layout Dockmaster would never produce (tabs, odd key order, an escape).
const FOREIGN_STATEMENT = `{
\t\t"Effect" :"Allow",  "Sid":"CiPush",
\t\t"Principal": {"AWS": "arn:aws:iam::111122223333:role/ci"},
\t\t"Action": ["ecr:PutImage", "ecr:InitiateLayerUpload"], "Condition": {"StringLike": {"aws:userid": "AROA\\u002A"}}
\t}`;

const OLD_DOCKMASTER_STATEMENT = `{"Sid":"DockmasterPullAccounts","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"ecr:BatchGetImage"}`;

const currentPolicy = (...statements: string[]): string => `{
  "Version": "2012-10-17",
  "Statement": [
\t${statements.join(',\n\t')}
  ]
}`;

describe('mergeRepositoryPolicy', () => {
  it('writes a new policy with Dockmaster statements when the repository has none', () => {
    // Prepare
    const statements = renderPullStatements(exampleK8sRule(), 'aws');

    // Act
    const merged = mergeRepositoryPolicy({ repository, currentPolicyText: undefined, statements });

    // Assess
    expect(merged.changed).toBe(true);
    expect(merged.empty).toBe(false);
    expect(merged.policy).toEqual({ Version: '2012-10-17', Statement: statements });
    expect(JSON.parse(merged.policyText)).toEqual(merged.policy);
    expect(merged.diff).toEqual({ added: ['DockmasterPullAccounts', 'DockmasterPullOrganizations'], removed: [], replaced: [] });
  });

  it('keeps a foreign statement byte-for-byte and replaces the old Dockmaster statement', () => {
    // Prepare
    const statements = renderPullStatements(exampleK8sRule(), 'aws');
    const currentPolicyText = currentPolicy(OLD_DOCKMASTER_STATEMENT, FOREIGN_STATEMENT);

    // Act
    const merged = mergeRepositoryPolicy({ repository, currentPolicyText, statements });

    // Assess
    expect(merged.policyText).toContain(FOREIGN_STATEMENT);
    expect(merged.policyText).not.toContain('999999999999');
    expect(merged.policyText.startsWith('{\n  "Version": "2012-10-17",\n  "Statement": [\n\t{\n\t\t"Effect" :"Allow"')).toBe(true);
    expect(merged.changed).toBe(true);
    expect(merged.diff).toEqual({ added: ['DockmasterPullOrganizations'], removed: [], replaced: ['DockmasterPullAccounts'] });
    expect(merged.policy.Statement).toEqual([JSON.parse(FOREIGN_STATEMENT), ...statements]);
  });

  it('handles a Statement given as a single foreign object', () => {
    // Prepare
    const statements = renderPullStatements(exampleK8sRule(), 'aws');
    const currentPolicyText = `{"Version":"2012-10-17","Statement":${FOREIGN_STATEMENT}}`;

    // Act
    const merged = mergeRepositoryPolicy({ repository, currentPolicyText, statements });

    // Assess
    expect(merged.policyText).toContain(FOREIGN_STATEMENT);
    expect(merged.policy.Statement).toEqual([JSON.parse(FOREIGN_STATEMENT), ...statements]);
  });

  it('replaces a Statement given as a single Dockmaster object', () => {
    // Prepare
    const statements = renderPullStatements(exampleK8sRule(), 'aws');
    const currentPolicyText = `{"Version":"2012-10-17","Statement":${OLD_DOCKMASTER_STATEMENT}}`;

    // Act
    const merged = mergeRepositoryPolicy({ repository, currentPolicyText, statements });

    // Assess
    expect(merged.policy.Statement).toEqual(statements);
    expect(merged.diff.replaced).toEqual(['DockmasterPullAccounts']);
  });

  it('reports no change for the same policy with other whitespace, key order, statement order and single values', () => {
    // Prepare
    const statements = renderPullStatements({ repositoryPolicy: { pullAccounts: ['444455556666'], pullOrganizations: ['o-a1b2c3d4e5'] } }, 'aws');
    // As ECR might hand it back: re-indented, keys and statements reordered, one-element lists as single values.
    const currentPolicyText = `{
  "Statement" : [ {
    "Condition" : { "StringEquals" : { "aws:PrincipalOrgID" : "o-a1b2c3d4e5" } },
    "Action" : [ "ecr:BatchImportUpstreamImage", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage" ],
    "Principal" : "*",
    "Effect" : "Allow",
    "Sid" : "DockmasterPullOrganizations"
  }, ${FOREIGN_STATEMENT}, {
    "Principal" : { "AWS" : "arn:aws:iam::444455556666:root" },
    "Sid" : "DockmasterPullAccounts",
    "Effect" : "Allow",
    "Action" : [ "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", "ecr:BatchImportUpstreamImage" ]
  } ],
  "Version" : "2012-10-17"
}`;

    // Act
    const merged = mergeRepositoryPolicy({ repository, currentPolicyText, statements });

    // Assess
    expect(merged.changed).toBe(false);
    expect(merged.diff).toEqual({ added: [], removed: [], replaced: [] });
  });

  it('reports a change when only a granted account differs', () => {
    // Prepare
    const before = renderPullStatements({ repositoryPolicy: { pullAccounts: ['444455556666'], pullOrganizations: [] } }, 'aws');
    const after = renderPullStatements({ repositoryPolicy: { pullAccounts: ['777788889999'], pullOrganizations: [] } }, 'aws');
    const currentPolicyText = mergeRepositoryPolicy({ repository, currentPolicyText: undefined, statements: before }).policyText;

    // Act
    const merged = mergeRepositoryPolicy({ repository, currentPolicyText, statements: after });

    // Assess
    expect(merged.changed).toBe(true);
    expect(merged.diff.replaced).toEqual(['DockmasterPullAccounts']);
  });

  it('removes Dockmaster statements when the config has no policy, keeping the foreign one', () => {
    // Prepare
    const currentPolicyText = currentPolicy(FOREIGN_STATEMENT, OLD_DOCKMASTER_STATEMENT);

    // Act
    const merged = mergeRepositoryPolicy({ repository, currentPolicyText, statements: [] });

    // Assess
    expect(merged.changed).toBe(true);
    expect(merged.empty).toBe(false);
    expect(merged.policyText).toContain(FOREIGN_STATEMENT);
    expect(merged.policy.Statement).toEqual([JSON.parse(FOREIGN_STATEMENT)]);
    expect(merged.diff).toEqual({ added: [], removed: ['DockmasterPullAccounts'], replaced: [] });
  });

  it.each([
    ['a hand-written Deny whose Sid merely starts with Dockmaster', '{"Sid":"DockmasterTeamDenyDelete","Effect":"Deny","Principal":"*","Action":"ecr:BatchDeleteImage"}'],
    ['a hand-written Allow whose Sid merely starts with Dockmaster', '{"Sid":"DockmasterPullAccountsForCi","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"ecr:BatchGetImage"}'],
  ])('keeps %s byte-for-byte, whether the rule grants pulls or nobody', (_case, handWritten) => {
    // Prepare
    const currentPolicyText = currentPolicy(handWritten, OLD_DOCKMASTER_STATEMENT);
    const granting = renderPullStatements(exampleK8sRule(), 'aws');

    // Act
    const withGrants = mergeRepositoryPolicy({ repository, currentPolicyText, statements: granting });
    const withoutGrants = mergeRepositoryPolicy({ repository, currentPolicyText, statements: [] });

    // Assess
    expect(withGrants.policyText).toContain(handWritten);
    expect(withGrants.policy.Statement).toEqual([JSON.parse(handWritten), ...granting]);
    expect(withGrants.diff).toEqual({ added: ['DockmasterPullOrganizations'], removed: [], replaced: ['DockmasterPullAccounts'] });
    expect(withoutGrants.policyText).toContain(handWritten);
    expect(withoutGrants).toMatchObject({ changed: true, empty: false, diff: { added: [], removed: ['DockmasterPullAccounts'], replaced: [] } });
    expect(withoutGrants.policy.Statement).toEqual([JSON.parse(handWritten)]);
  });

  it("keeps a Deny under Dockmaster's own Sid (Dockmaster only writes Allow), and refuses to add a second statement under that Sid", () => {
    // Prepare
    const deny = '{"Sid":"DockmasterPullAccounts","Effect":"Deny","Principal":"*","Action":"ecr:BatchGetImage"}';
    const currentPolicyText = currentPolicy(deny, FOREIGN_STATEMENT);

    // Act
    const withoutGrants = mergeRepositoryPolicy({ repository, currentPolicyText, statements: [] });
    const withGrants = () => mergeRepositoryPolicy({ repository, currentPolicyText, statements: renderPullStatements(exampleK8sRule(), 'aws') });

    // Assess
    expect(withoutGrants).toMatchObject({ changed: false, diff: { added: [], removed: [], replaced: [] } });
    expect(withoutGrants.policyText).toContain(deny);
    expect(withGrants).toThrow(InvalidRepositoryPolicyError);
    expect(withGrants).toThrow('has a statement Dockmaster did not write under Dockmaster\'s Sid "DockmasterPullAccounts"; rename that statement\'s Sid');
  });

  it('marks the policy empty when only Dockmaster statements were there and none are wanted', () => {
    // Prepare
    const currentPolicyText = currentPolicy(OLD_DOCKMASTER_STATEMENT);

    // Act
    const merged = mergeRepositoryPolicy({ repository, currentPolicyText, statements: [] });

    // Assess
    expect(merged).toMatchObject({ changed: true, empty: true, diff: { removed: ['DockmasterPullAccounts'] } });
  });

  it.each([
    ['no policy and no statements', undefined],
    ['only foreign statements and no statements', currentPolicy(FOREIGN_STATEMENT)],
  ])('reports no change for %s', (_case, currentPolicyText) => {
    // Act
    const merged = mergeRepositoryPolicy({ repository, currentPolicyText, statements: [] });

    // Assess
    expect(merged.changed).toBe(false);
  });

  it('refuses a merged policy over 10,240 characters, naming the repository and the size', () => {
    // Prepare
    const roles = Array.from({ length: 210 }, (_, index) => `"arn:aws:iam::111122223333:role/builder-${String(index).padStart(4, '0')}"`);
    const bigForeign = `{"Sid":"Builders","Effect":"Allow","Principal":{"AWS":[${roles.join(',')}]},"Action":"ecr:BatchGetImage"}`;
    const currentPolicyText = currentPolicy(bigForeign);
    expect(currentPolicyText.length).toBeLessThanOrEqual(10_240);
    const statements = renderPullStatements(exampleK8sRule(), 'aws');

    // Act
    const act = () => mergeRepositoryPolicy({ repository, currentPolicyText, statements });

    // Assess
    let thrown: unknown;
    try {
      act();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PolicyTooLargeError);
    const error = thrown as PolicyTooLargeError;
    expect(error.code).toBe('POLICY_TOO_LARGE');
    expect(error.repository).toBe(repository);
    expect(error.size).toBeGreaterThan(10_240);
    expect(error.message).toContain('"k8s/pause"');
    expect(error.message).toContain(error.size.toLocaleString('en-US'));
  });

  it.each([
    ['{"Version":"2012-10-17","Statement":[{"Sid":"A",}]}', 'is not valid JSON'],
    ['[{"Sid":"A"}]', 'is not a JSON object'],
    ['{"Version":"2012-10-17","Statement":"Allow"}', 'neither an object nor a list'],
  ])('rejects the unusable current policy %s with a clear error', (currentPolicyText, problem) => {
    // Act
    const act = () => mergeRepositoryPolicy({ repository, currentPolicyText, statements: [] });

    // Assess
    expect(act).toThrow(InvalidRepositoryPolicyError);
    expect(act).toThrow(problem);
    expect(act).toThrow('"k8s/pause"');
  });
});
