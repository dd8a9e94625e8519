import { Logger } from '@aws-lambda-powertools/logger';
import { renderPullStatements } from '@dockmaster/core/cache-repository';
import type { PullThroughCacheConfig } from '@dockmaster/core/config';
import { describe, expect, it, vi } from 'vitest';
import type { EcrRepositories } from '../../src/adapters/ecr-repositories.js';
import { MAX_POLICY_WRITE_ATTEMPTS, PolicyContentionError, writeRepositoryPolicy } from '../../src/cache-repository/write-policy.js';

/*
 * The guarded policy write against one repository's policy held in memory, with "other writers" acting at
 * the exact moments that matter: between our read and our write, and right after our write.
 */

const REPOSITORY = 'k8s/pause';
const RULE = { prefix: 'k8s', upstream: 'registry.k8s.io', repositoryPolicy: { pullAccounts: ['444455556666'], pullOrganizations: [] } } as unknown as PullThroughCacheConfig;
const STATEMENTS = renderPullStatements(RULE, 'aws');
const CI_PUSH = { Sid: 'CiPush', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/ci' }, Action: ['ecr:PutImage'] };
const AUDIT = { Sid: 'AuditRead', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::555566667777:root' }, Action: ['ecr:DescribeImages'] };

const policyWith = (...statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const sids = (policyText: string | undefined): string[] =>
  policyText === undefined ? [] : (JSON.parse(policyText) as { Statement: { Sid: string }[] }).Statement.map((statement) => statement.Sid).sort();

type Hooks = { afterRead?: (read: number) => void; afterWrite?: (written: number) => void };

/** One repository's policy; `hooks` let another writer act after a given read or write of ours. */
const repositoryPolicy = (initial: string | undefined, hooks: Hooks = {}) => {
  const state = { policyText: initial, reads: 0, writes: 0 };
  const ecr: Pick<EcrRepositories, 'getRepositoryPolicy' | 'setRepositoryPolicy' | 'deleteRepositoryPolicy'> = {
    getRepositoryPolicy: async () => {
      const answer = state.policyText;
      state.reads += 1;
      hooks.afterRead?.(state.reads);
      return answer;
    },
    setRepositoryPolicy: async (_repository, policyText) => {
      state.policyText = policyText;
      state.writes += 1;
      hooks.afterWrite?.(state.writes);
    },
    deleteRepositoryPolicy: async () => {
      state.policyText = undefined;
      state.writes += 1;
    },
  };
  return { state, ecr };
};

const logger = new Logger({ serviceName: 'cache-repository', logLevel: 'SILENT' });
const write = (ecr: Parameters<typeof writeRepositoryPolicy>[0]['ecr'], readPolicyText: string | undefined) =>
  writeRepositoryPolicy({ repository: REPOSITORY, ecr, statements: STATEMENTS, readPolicyText, logger, reason: 'the rule for prefix k8s' });

describe('writeRepositoryPolicy', () => {
  it('writes once, reading right before and right after, when nobody else writes', async () => {
    // Prepare
    const initial = policyWith(CI_PUSH);
    const { state, ecr } = repositoryPolicy(initial);

    // Act
    const result = await write(ecr, initial);

    // Assess
    expect(result.written).toBe(true);
    expect(state).toMatchObject({ reads: 2, writes: 1 });
    expect(sids(state.policyText)).toEqual(['CiPush', 'DockmasterPullAccounts']);
  });

  it('logs the write as a fixed message with what changed in fields', async () => {
    // Prepare
    const initial = policyWith(CI_PUSH);
    const { ecr } = repositoryPolicy(initial);
    const info = vi.spyOn(logger, 'info');

    // Act
    await write(ecr, initial);

    // Assess
    expect(info.mock.calls).toEqual([
      [
        "setting the repository policy: Dockmaster's pull statements differ from the rule",
        {
          repository: REPOSITORY,
          reason: 'the rule for prefix k8s',
          added: ['DockmasterPullAccounts'],
          removed: [],
          replaced: [],
          dockmasterStatements: 1,
          policyChars: expect.any(Number),
        },
      ],
    ]);
    info.mockRestore();
  });

  it('merges into a statement another writer added after the policy was read', async () => {
    // Prepare: the caller read the policy with only CiPush; someone added AuditRead since.
    const read = policyWith(CI_PUSH);
    const { state, ecr } = repositoryPolicy(policyWith(CI_PUSH, AUDIT));

    // Act
    const result = await write(ecr, read);

    // Assess
    expect(result).toMatchObject({ written: true, basis: policyWith(CI_PUSH, AUDIT) });
    expect(sids(state.policyText)).toEqual(['AuditRead', 'CiPush', 'DockmasterPullAccounts']);
  });

  it('writes again when another writer replaced the policy right after our write without our statements', async () => {
    // Prepare: a tool that read the policy before our write writes its version right after ours.
    const initial = policyWith(CI_PUSH);
    const policy = repositoryPolicy(initial, {
      afterWrite: (written) => {
        if (written === 1) policy.state.policyText = policyWith(CI_PUSH, AUDIT);
      },
    });

    // Act
    await write(policy.ecr, initial);

    // Assess
    expect(policy.state.writes).toBe(2);
    expect(sids(policy.state.policyText)).toEqual(['AuditRead', 'CiPush', 'DockmasterPullAccounts']);
  });

  it('does not write when the statements are already there by the time of the write (another writer put them)', async () => {
    // Prepare
    const read = policyWith(CI_PUSH);
    const { state, ecr } = repositoryPolicy(policyWith(CI_PUSH, ...STATEMENTS));

    // Act
    const result = await write(ecr, read);

    // Assess
    expect(result.written).toBe(false);
    expect(state.writes).toBe(0);
  });

  it('gives up with PolicyContentionError when every write is replaced, keeping the other writer\'s version', async () => {
    // Prepare: after each of our writes, the other writer puts its own version back.
    const initial = policyWith(CI_PUSH);
    const policy = repositoryPolicy(initial, {
      afterWrite: () => {
        policy.state.policyText = policyWith(CI_PUSH, AUDIT);
      },
    });

    // Act
    const attempt = write(policy.ecr, initial);

    // Assess
    await expect(attempt).rejects.toThrow(PolicyContentionError);
    expect(policy.state.writes).toBe(MAX_POLICY_WRITE_ATTEMPTS);
    expect(sids(policy.state.policyText)).toEqual(['AuditRead', 'CiPush']);
  });
});
