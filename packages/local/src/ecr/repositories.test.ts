import {
  CreateRepositoryCommand,
  DeleteLifecyclePolicyCommand,
  DeleteRepositoryCommand,
  DeleteRepositoryPolicyCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetLifecyclePolicyCommand,
  GetRepositoryPolicyCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  SetRepositoryPolicyCommand,
  paginateDescribeRepositories,
} from '@aws-sdk/client-ecr';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { RunningDistribution } from '@dockmaster/registry/testing';
import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../aws-endpoint/clock.js';
import { errorOf } from '../shared/error-of.testing.js';
import type { LocalEcr } from './local-ecr.js';
import { useLocalEcr } from './local-ecr.testing.js';
import type { LocalEcrFixture } from './local-ecr.testing.js';
import { pushTestImage } from './test-images.js';

// Repositories, their settings and policies (repositories.ts, repository-policy.ts, lifecycle-policy.ts) through the AWS endpoint.

const LIFECYCLE_POLICY = JSON.stringify({
  rules: [{ rulePriority: 1, description: 'expire untagged images', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } }],
});

let distribution: RunningDistribution;
let ecr: LocalEcr;
let client: ECRClient;
let clock: ManualClock;
let freshRepository: LocalEcrFixture['freshRepository'];

useLocalEcr((fixture) => ({ distribution, ecr, client, clock, freshRepository } = fixture));

describe('repositories', () => {
  it('creates a repository with ECR-shaped fields and refuses a duplicate or invalid name', async () => {
    // Act
    const created = await client.send(new CreateRepositoryCommand({ repositoryName: 'platform/base', imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: 'IMMUTABLE' }));
    const duplicate = await errorOf(client.send(new CreateRepositoryCommand({ repositoryName: 'platform/base' })));
    const invalid = await errorOf(client.send(new CreateRepositoryCommand({ repositoryName: 'Platform/Base' })));

    // Assess
    expect(created.repository).toEqual({
      repositoryArn: 'arn:aws:ecr:eu-central-1:123456789012:repository/platform/base',
      registryId: '123456789012',
      repositoryName: 'platform/base',
      repositoryUri: '127.0.0.1:5999/platform/base',
      createdAt: new Date(clock.now()),
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: { encryptionType: 'AES256' },
    });
    expect(duplicate.name).toBe('RepositoryAlreadyExistsException');
    expect(invalid.name).toBe('InvalidParameterException');
    expect(invalid.$metadata?.httpStatusCode).toBe(400);
    expect(ecr.repositoryExists('platform/base')).toBe(true);
  });

  it('describes repositories by name, throws RepositoryNotFoundException for an unknown one and pages with the SDK paginator', async () => {
    // Prepare
    for (const name of ['a1', 'a2', 'a3', 'a4', 'a5']) await client.send(new CreateRepositoryCommand({ repositoryName: `pages/${name}` }));

    // Act
    const byName = await client.send(new DescribeRepositoriesCommand({ repositoryNames: ['pages/a2'] }));
    const missing = await errorOf(client.send(new DescribeRepositoriesCommand({ repositoryNames: ['pages/a2', 'pages/nope'] })));
    const pages: string[][] = [];
    for await (const page of paginateDescribeRepositories({ client, pageSize: 2 }, {})) pages.push((page.repositories ?? []).map((repository) => repository.repositoryName ?? ''));
    const badToken = await errorOf(client.send(new DescribeRepositoriesCommand({ nextToken: 'not-a-token' })));

    // Assess
    expect(byName.repositories?.map((repository) => repository.repositoryName)).toEqual(['pages/a2']);
    expect(missing.name).toBe('RepositoryNotFoundException');
    expect(missing.message).toContain("'pages/nope'");
    expect(pages).toEqual([['pages/a1', 'pages/a2'], ['pages/a3', 'pages/a4'], ['pages/a5']]);
    expect(badToken.name).toBe('InvalidParameterException');
  });

  it('refuses to delete a repository with images unless forced, then removes it from the registry too', async () => {
    // Prepare
    const repository = await freshRepository();
    await pushTestImage(distribution.url, repository, { seed: 'delete-repo', tag: 'v1' });

    // Act
    const refused = await errorOf(client.send(new DeleteRepositoryCommand({ repositoryName: repository })));
    const deleted = await client.send(new DeleteRepositoryCommand({ repositoryName: repository, force: true }));
    const gone = await errorOf(client.send(new DescribeImagesCommand({ repositoryName: repository })));
    const tagInRegistry = await fetch(`${distribution.url}/v2/${repository}/manifests/v1`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } });
    const empty = await freshRepository();
    const deletedEmpty = await client.send(new DeleteRepositoryCommand({ repositoryName: empty }));

    // Assess
    expect(refused.name).toBe('RepositoryNotEmptyException');
    expect(deleted.repository?.repositoryName).toBe(repository);
    expect(gone.name).toBe('RepositoryNotFoundException');
    expect(tagInRegistry.status).toBe(404);
    expect(deletedEmpty.repository?.repositoryName).toBe(empty);
    expect(ecr.repositoryExists(repository)).toBe(false);
  });

  it('creates pull-through-cache repositories internally and tells subscribers', async () => {
    // Prepare
    const created: string[] = [];
    ecr.onRepositoryCreated(({ repository, createdBy }) => {
      created.push(`${createdBy}:${repository}`);
    });

    // Act
    await ecr.createRepositoryInternal('docker-hub/library/alpine', { createdBy: 'pull-through-cache' });
    await client.send(new CreateRepositoryCommand({ repositoryName: 'by-api/app' }));
    const described = await client.send(new DescribeRepositoriesCommand({ repositoryNames: ['docker-hub/library/alpine'] }));

    // Assess
    expect(created).toEqual(['pull-through-cache:docker-hub/library/alpine', 'api:by-api/app']);
    expect(described.repositories?.[0]?.imageTagMutability).toBe('MUTABLE');
  });
});

describe('repository settings and policies', () => {
  it('sets, gets and deletes a repository policy, with ECR errors for missing, non-JSON and oversized policies', async () => {
    // Prepare
    const repository = await freshRepository();
    const policyText = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'pull', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: ['ecr:BatchGetImage'] }] });

    // Act
    const before = await errorOf(client.send(new GetRepositoryPolicyCommand({ repositoryName: repository })));
    const notJson = await errorOf(client.send(new SetRepositoryPolicyCommand({ repositoryName: repository, policyText: '{nope' })));
    const tooLong = await errorOf(client.send(new SetRepositoryPolicyCommand({ repositoryName: repository, policyText: JSON.stringify({ pad: 'x'.repeat(10_240) }) })));
    const set = await client.send(new SetRepositoryPolicyCommand({ repositoryName: repository, policyText }));
    const got = await client.send(new GetRepositoryPolicyCommand({ repositoryName: repository }));
    const deleted = await client.send(new DeleteRepositoryPolicyCommand({ repositoryName: repository }));
    const deleteAgain = await errorOf(client.send(new DeleteRepositoryPolicyCommand({ repositoryName: repository })));
    const unknownRepository = await errorOf(client.send(new SetRepositoryPolicyCommand({ repositoryName: 'no/such-repo', policyText })));

    // Assess
    expect(before.name).toBe('RepositoryPolicyNotFoundException');
    expect(notJson.name).toBe('InvalidParameterException');
    expect(tooLong.name).toBe('InvalidParameterException');
    expect(set).toMatchObject({ registryId: '123456789012', repositoryName: repository, policyText });
    expect(got.policyText).toBe(policyText);
    expect(deleted.policyText).toBe(policyText);
    expect(deleteAgain.name).toBe('RepositoryPolicyNotFoundException');
    expect(unknownRepository.name).toBe('RepositoryNotFoundException');
  });

  it('puts, gets and deletes a lifecycle policy, with LifecyclePolicyNotFoundException when none is set', async () => {
    // Prepare
    const repository = await freshRepository();

    // Act
    const before = await errorOf(client.send(new GetLifecyclePolicyCommand({ repositoryName: repository })));
    const put = await client.send(new PutLifecyclePolicyCommand({ repositoryName: repository, lifecyclePolicyText: LIFECYCLE_POLICY }));
    const got = await client.send(new GetLifecyclePolicyCommand({ repositoryName: repository }));
    const deleted = await client.send(new DeleteLifecyclePolicyCommand({ repositoryName: repository }));
    const after = await errorOf(client.send(new DeleteLifecyclePolicyCommand({ repositoryName: repository })));

    // Assess
    expect(before.name).toBe('LifecyclePolicyNotFoundException');
    expect(put.lifecyclePolicyText).toBe(LIFECYCLE_POLICY);
    expect(got.lifecyclePolicyText).toBe(LIFECYCLE_POLICY);
    expect(deleted.lifecyclePolicyText).toBe(LIFECYCLE_POLICY);
    expect(after.name).toBe('LifecyclePolicyNotFoundException');
  });

  it('creates a repository with exclusion filters, reports them, and refuses filters ECR would refuse', async () => {
    // Prepare
    const filters = [
      { filterType: 'WILDCARD' as const, filter: 'dev-*' },
      { filterType: 'WILDCARD' as const, filter: 'latest' },
    ];
    const six = ['a*', 'b*', 'c*', 'd*', 'e*', 'f*'].map((filter) => ({ filterType: 'WILDCARD' as const, filter }));

    // Act
    const created = await client.send(new CreateRepositoryCommand({ repositoryName: 'release/app', imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: filters }));
    const described = await client.send(new DescribeRepositoriesCommand({ repositoryNames: ['release/app'] }));
    const tooMany = await errorOf(client.send(new PutImageTagMutabilityCommand({ repositoryName: 'release/app', imageTagMutability: 'MUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: six })));
    const badCharacter = await errorOf(
      client.send(new PutImageTagMutabilityCommand({ repositoryName: 'release/app', imageTagMutability: 'MUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'v?' }] })),
    );
    const filtersWithoutExclusion = await errorOf(client.send(new PutImageTagMutabilityCommand({ repositoryName: 'release/app', imageTagMutability: 'IMMUTABLE', imageTagMutabilityExclusionFilters: filters })));
    const after = await client.send(new DescribeRepositoriesCommand({ repositoryNames: ['release/app'] }));

    // Assess
    expect(created.repository).toMatchObject({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: filters });
    expect(described.repositories?.[0]).toMatchObject({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: filters });
    expect([tooMany.name, badCharacter.name, filtersWithoutExclusion.name]).toEqual(['InvalidParameterException', 'InvalidParameterException', 'InvalidParameterException']);
    // A refused change leaves the setting as it was.
    expect(after.repositories?.[0]).toMatchObject({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: filters });
    expect(ecr.isTagImmutable('release/app', 'v1.0.0')).toBe(true);
    expect(ecr.isTagImmutable('release/app', 'dev-7')).toBe(false);
    expect(ecr.isTagImmutable('release/app', 'latest')).toBe(false);
  });

  it('changes scan-on-push and tag mutability, with exclusion filters deciding which tags are immutable', async () => {
    // Prepare
    const repository = await freshRepository();

    // Act
    const scanning = await client.send(new PutImageScanningConfigurationCommand({ repositoryName: repository, imageScanningConfiguration: { scanOnPush: true } }));
    const mutability = await client.send(
      new PutImageTagMutabilityCommand({ repositoryName: repository, imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest*' }] }),
    );
    const missingFilters = await errorOf(client.send(new PutImageTagMutabilityCommand({ repositoryName: repository, imageTagMutability: 'MUTABLE_WITH_EXCLUSION' })));
    const described = await client.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }));

    // Assess
    expect(scanning.imageScanningConfiguration).toEqual({ scanOnPush: true });
    expect(mutability.imageTagMutability).toBe('IMMUTABLE_WITH_EXCLUSION');
    expect(missingFilters.name).toBe('InvalidParameterException');
    expect(described.repositories?.[0]).toMatchObject({ imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' });
    expect(ecr.isTagImmutable(repository, 'v1.2.3')).toBe(true);
    expect(ecr.isTagImmutable(repository, 'latest-main')).toBe(false);
  });
});
