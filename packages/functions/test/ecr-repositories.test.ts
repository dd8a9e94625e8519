import {
  DeleteRepositoryPolicyCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  GetRepositoryPolicyCommand,
  ImageNotFoundException,
  InvalidParameterException,
  LifecyclePolicyNotFoundException,
  RepositoryNotFoundException,
  RepositoryPolicyNotFoundException,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEcrRepositories, RepositoryPolicyRejectedError } from '../src/adapters/ecr-repositories.js';

const ecrMock = mockClient(ECRClient);
const metadata = { $metadata: {} };
const repositories = () => createEcrRepositories({ client: new ECRClient({ region: 'eu-central-1' }) });

beforeEach(() => {
  ecrMock.reset();
});

describe('createEcrRepositories', () => {
  it('reads a missing repository policy (RepositoryPolicyNotFoundException) as undefined', async () => {
    // Prepare
    ecrMock.on(GetRepositoryPolicyCommand).rejects(new RepositoryPolicyNotFoundException({ message: 'Repository policy does not exist', ...metadata }));

    // Act
    const policy = await repositories().getRepositoryPolicy('k8s/pause');

    // Assess
    expect(policy).toBeUndefined();
  });

  it('passes other GetRepositoryPolicy errors on', async () => {
    // Prepare
    ecrMock.on(GetRepositoryPolicyCommand).rejects(new RepositoryNotFoundException({ message: 'no repository', ...metadata }));

    // Act
    const act = repositories().getRepositoryPolicy('k8s/pause');

    // Assess
    await expect(act).rejects.toBeInstanceOf(RepositoryNotFoundException);
  });

  it('reads a missing lifecycle policy as undefined and a missing repository as undefined', async () => {
    // Prepare
    ecrMock.on(GetLifecyclePolicyCommand).rejects(new LifecyclePolicyNotFoundException({ message: 'none', ...metadata }));
    ecrMock.on(DescribeRepositoriesCommand).rejects(new RepositoryNotFoundException({ message: 'none', ...metadata }));

    // Act
    const [lifecycle, description] = await Promise.all([repositories().getLifecyclePolicy('k8s/pause'), repositories().describeRepository('k8s/pause')]);

    // Assess
    expect([lifecycle, description]).toEqual([undefined, undefined]);
  });

  it('describes a repository by its scanning and tag mutability settings, with the exclusion filters', async () => {
    // Prepare
    ecrMock.on(DescribeRepositoriesCommand, { repositoryNames: ['k8s/pause'] }).resolves({
      repositories: [
        {
          repositoryName: 'k8s/pause',
          imageScanningConfiguration: { scanOnPush: true },
          imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
          imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest*' }],
        },
      ],
    });

    // Act
    const description = await repositories().describeRepository('k8s/pause');

    // Assess
    expect(description).toEqual({ name: 'k8s/pause', scanOnPush: true, tagMutability: 'IMMUTABLE_WITH_EXCLUSION', tagMutabilityExclusionFilters: ['latest*'] });
  });

  it('treats deleting an already deleted policy as done', async () => {
    // Prepare
    ecrMock.on(DeleteRepositoryPolicyCommand).rejects(new RepositoryPolicyNotFoundException({ message: 'none', ...metadata }));

    // Act
    const act = repositories().deleteRepositoryPolicy('k8s/pause');

    // Assess
    await expect(act).resolves.toBeUndefined();
    expect(ecrMock.commandCalls(DeleteRepositoryPolicyCommand)).toHaveLength(1);
  });

  it('turns a rejected policy (InvalidParameterException) into an error that says what to check', async () => {
    // Prepare
    ecrMock
      .on(SetRepositoryPolicyCommand)
      .rejects(new InvalidParameterException({ message: "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Principal not found'", ...metadata }));

    // Act
    const act = repositories().setRepositoryPolicy('k8s/pause', '{}');

    // Assess
    await expect(act).rejects.toBeInstanceOf(RepositoryPolicyRejectedError);
    await expect(act).rejects.toThrow(/"k8s\/pause".*Principal not found.*pullAccounts/);
  });

  it('lists only repositories under the prefixes, across every page', async () => {
    // Prepare
    const pages = [
      { repositories: [{ repositoryName: 'k8s/pause' }, { repositoryName: 'k8sfoo/pause' }], nextToken: 'p2' },
      { repositories: [{ repositoryName: 'prod/api' }, { repositoryName: 'quay/prometheus/node-exporter' }], nextToken: 'p3' },
      { repositories: [{ repositoryName: 'k8s/coredns/coredns' }, { repositoryName: 'k8s' }] },
    ];
    ecrMock.on(DescribeRepositoriesCommand).resolvesOnce(pages[0] ?? {}).resolvesOnce(pages[1] ?? {}).resolvesOnce(pages[2] ?? {});

    // Act
    const names = await repositories().listRepositoriesUnder(['k8s', 'quay']);

    // Assess
    expect(names).toEqual(['k8s/coredns/coredns', 'k8s/pause', 'quay/prometheus/node-exporter']);
    expect(ecrMock.commandCalls(DescribeRepositoriesCommand)).toHaveLength(3);
  });

  it('describes the repositories under the prefixes with the settings the listing carries, sorted', async () => {
    // Prepare
    ecrMock.on(DescribeRepositoriesCommand).resolvesOnce({
      repositories: [
        { repositoryName: 'k8s/pause', imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: 'IMMUTABLE' },
        { repositoryName: 'prod/api', imageScanningConfiguration: { scanOnPush: true } },
        { repositoryName: 'k8s/coredns/coredns' },
      ],
    });

    // Act
    const described = await repositories().describeRepositoriesUnder(['k8s']);

    // Assess: ECR's defaults where the listing reports none; one call for the whole listing.
    expect(described).toEqual([
      { name: 'k8s/coredns/coredns', scanOnPush: false, tagMutability: 'MUTABLE', tagMutabilityExclusionFilters: [] },
      { name: 'k8s/pause', scanOnPush: true, tagMutability: 'IMMUTABLE', tagMutabilityExclusionFilters: [] },
    ]);
    expect(ecrMock.commandCalls(DescribeRepositoriesCommand)).toHaveLength(1);
  });

  it('describes an image by tag, and a missing one as undefined', async () => {
    // Prepare
    const digest = `sha256:${'a'.repeat(64)}`;
    ecrMock.on(DescribeImagesCommand, { imageIds: [{ imageTag: '3.10' }] }).resolves({ imageDetails: [{ imageDigest: digest, imageSizeInBytes: 321 }] });
    ecrMock.on(DescribeImagesCommand, { imageIds: [{ imageTag: '3.99' }] }).rejects(new ImageNotFoundException({ message: 'none', ...metadata }));

    // Act
    const [found, missing] = await Promise.all([repositories().describeImageByTag('k8s/pause', '3.10'), repositories().describeImageByTag('k8s/pause', '3.99')]);

    // Assess
    expect(found).toEqual({ digest, sizeBytes: 321 });
    expect(missing).toBeUndefined();
  });
});
