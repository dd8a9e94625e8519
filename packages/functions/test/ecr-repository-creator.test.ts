import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEcrRepositoryCreator } from '../src/adapters/ecr-repository-creator.js';
import { ensureCopyRepository } from '../src/prepopulate/ensure-copy-repository.js';

/* Creating copy-mode repositories: the ECR adapter with the SDK client mocked, and the worker's use of it. */

const ecrMock = mockClient(ECRClient);
const SETTINGS = { scanOnPush: true, tagMutability: 'IMMUTABLE' as const };
const creator = () => createEcrRepositoryCreator({ client: new ECRClient({ region: 'eu-central-1' }) });
const notFound = () => new RepositoryNotFoundException({ message: 'not found', $metadata: {} });

beforeEach(() => {
  ecrMock.reset();
});

describe('createEcrRepositoryCreator', () => {
  it('leaves an existing repository alone: one DescribeRepositories, no CreateRepository', async () => {
    // Prepare
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'mcr/dotnet/runtime' }] });

    // Act
    const created = await creator().ensureRepository('mcr/dotnet/runtime', SETTINGS);

    // Assess
    expect(created).toBe(false);
    expect(ecrMock.commandCalls(CreateRepositoryCommand)).toEqual([]);
  });

  it('creates a missing repository with scan on push and tag mutability, and no tags', async () => {
    // Prepare
    ecrMock.on(DescribeRepositoriesCommand).rejects(notFound());
    ecrMock.on(CreateRepositoryCommand).resolves({ repository: { repositoryName: 'mcr/dotnet/runtime' } });

    // Act
    const created = await creator().ensureRepository('mcr/dotnet/runtime', SETTINGS);

    // Assess
    expect(created).toBe(true);
    expect(ecrMock.commandCalls(CreateRepositoryCommand).map((call) => call.args[0].input)).toEqual([
      { repositoryName: 'mcr/dotnet/runtime', imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: 'IMMUTABLE' },
    ]);
  });

  it('takes a repository someone created meanwhile as existing', async () => {
    // Prepare
    ecrMock.on(DescribeRepositoriesCommand).rejects(notFound());
    ecrMock.on(CreateRepositoryCommand).rejects(new RepositoryAlreadyExistsException({ message: 'exists', $metadata: {} }));

    // Act
    const created = await creator().ensureRepository('mcr/dotnet/runtime', SETTINGS);

    // Assess
    expect(created).toBe(false);
  });
});

describe('ensureCopyRepository', () => {
  const entry = { prefix: 'mcr', repositorySettings: { scanOnPush: false, tagMutability: 'MUTABLE' as const } };

  it('creates the repository with the entry’s settings and says so', async () => {
    // Prepare
    ecrMock.on(DescribeRepositoriesCommand).rejects(notFound());
    ecrMock.on(CreateRepositoryCommand).resolves({});
    const lines: string[] = [];

    // Act
    const failure = await ensureCopyRepository({ repositories: creator(), entry, repository: 'mcr/powershell', logger: { info: (line) => lines.push(line) } });

    // Assess
    expect(failure).toBeUndefined();
    expect(ecrMock.commandCalls(CreateRepositoryCommand)[0]?.args[0].input).toMatchObject({ imageScanningConfiguration: { scanOnPush: false }, imageTagMutability: 'MUTABLE' });
    expect(lines).toEqual(['created mcr/powershell for copies under mcr/ (scan on push off, MUTABLE)']);
  });

  it('turns a refusal into an access-denied failure naming the actions, and throws anything else', async () => {
    // Prepare
    const denied = Object.assign(new Error('User is not authorized to perform: ecr:CreateRepository'), { name: 'AccessDeniedException' });
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const failing = (error: Error) => ({ ensureRepository: async () => Promise.reject(error) });

    // Act
    const failure = await ensureCopyRepository({ repositories: failing(denied), entry, repository: 'mcr/powershell', logger: { info: () => undefined } });
    const thrown = ensureCopyRepository({ repositories: failing(throttled), entry, repository: 'mcr/powershell', logger: { info: () => undefined } });

    // Assess
    expect(failure).toMatchObject({ reason: 'access-denied' });
    expect(failure?.message).toContain('needs ecr:DescribeRepositories and ecr:CreateRepository on mcr/*');
    await expect(thrown).rejects.toThrow('Rate exceeded');
  });
});
