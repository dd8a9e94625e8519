import type { RepositorySettings } from '@dockmaster/core/cache-repository';
import { describe, expect, it } from 'vitest';
import type { RepositoryCreator } from '../../src/adapters/ecr-repository-creator.js';
import { ensureCopyRepository } from '../../src/prepopulate/ensure-copy-repository.js';

const ENTRY = { prefix: 'mcr', repositorySettings: { scanOnPush: false, tagMutability: 'IMMUTABLE' as const } };

/** A creator that answers `outcome` (true: created, false: existed) or throws an error named `outcome`. */
const creator = (outcome: boolean | string) => {
  const calls: { repository: string; settings: RepositorySettings }[] = [];
  const repositories: RepositoryCreator = {
    ensureRepository: async (repository, settings) => {
      calls.push({ repository, settings });
      if (typeof outcome === 'boolean') return outcome;
      throw Object.assign(new Error(`${outcome} from ECR`), { name: outcome });
    },
  };
  return { repositories, calls };
};

const run = (outcome: boolean | string) => {
  const { repositories, calls } = creator(outcome);
  const logged: string[] = [];
  const result = ensureCopyRepository({ repositories, entry: ENTRY, repository: 'mcr/dotnet/runtime', logger: { info: (message) => void logged.push(message) } });
  return { result, calls, logged };
};

describe('ensureCopyRepository', () => {
  it("creates a missing repository with the entry's settings and says so", async () => {
    // Act
    const { result, calls, logged } = run(true);

    // Assess
    await expect(result).resolves.toBeUndefined();
    expect(calls).toEqual([{ repository: 'mcr/dotnet/runtime', settings: { scanOnPush: false, tagMutability: 'IMMUTABLE' } }]);
    expect(logged).toEqual(['created mcr/dotnet/runtime for copies under mcr/ (scan on push off, IMMUTABLE)']);
  });

  it('leaves an existing repository alone without a log line', async () => {
    // Act
    const { result, logged } = run(false);

    // Assess
    await expect(result).resolves.toBeUndefined();
    expect(logged).toEqual([]);
  });

  it.each(['AccessDeniedException', 'AccessDenied'])('turns %s into an access-denied failure naming the permissions', async (name) => {
    // Act
    const { result } = run(name);

    // Assess
    await expect(result).resolves.toEqual({
      reason: 'access-denied',
      message: `Creating mcr/dotnet/runtime for the copy failed: ${name} from ECR. The prepopulate worker's role needs ecr:DescribeRepositories and ecr:CreateRepository on mcr/*.`,
    });
  });

  it('throws anything else, so the message is retried', async () => {
    // Act
    const { result } = run('ThrottlingException');

    // Assess
    await expect(result).rejects.toThrow('ThrottlingException from ECR');
  });
});
