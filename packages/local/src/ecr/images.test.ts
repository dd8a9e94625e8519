import { createHash } from 'node:crypto';
import {
  BatchCheckLayerAvailabilityCommand,
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DeleteLifecyclePolicyCommand,
  DeleteRepositoryCommand,
  DeleteRepositoryPolicyCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribePullThroughCacheRulesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  GetDownloadUrlForLayerCommand,
  GetLifecyclePolicyCommand,
  GetRepositoryPolicyCommand,
  ListImagesCommand,
  PutImageCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  PutLifecyclePolicyCommand,
  SetRepositoryPolicyCommand,
  paginateDescribeImageScanFindings,
  paginateDescribeRepositories,
  paginateListImages,
} from '@aws-sdk/client-ecr';
import { startDistribution } from '@dockmaster/registry/testing';
import type { RunningDistribution } from '@dockmaster/registry/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../aws-endpoint/clock.js';
import { startAwsEndpoint } from '../aws-endpoint/server.js';
import type { RunningAwsEndpoint } from '../aws-endpoint/server.js';
import { ecrService } from './ecr-operations.js';
import { LocalEcr } from './local-ecr.js';
import type { ImageAction } from './local-ecr.js';
import { pushTestImage, pushTestIndex } from './test-images.js';
import { errorOf } from '../shared/error-of.testing.js';

const REGISTRY_FRONT_URL = 'http://127.0.0.1:5999';
const LIFECYCLE_POLICY = JSON.stringify({
  rules: [{ rulePriority: 1, description: 'expire untagged images', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } }],
});

let distribution: RunningDistribution;
let endpoint: RunningAwsEndpoint;
let ecr: LocalEcr;
let client: ECRClient;
let clock: ManualClock;
let actions: ImageAction[];
let repositoryCounter = 0;

/** Each test gets its own repository, so tests share one registry without seeing each other's images. */
async function freshRepository(settings: { imageTagMutability?: 'MUTABLE' | 'IMMUTABLE' } = {}): Promise<string> {
  repositoryCounter += 1;
  const name = `team/app-${repositoryCounter}`;
  await client.send(new CreateRepositoryCommand({ repositoryName: name, ...settings }));
  return name;
}

beforeAll(async () => {
  distribution = await startDistribution({ name: 'local-ecr-test' });
});

afterAll(async () => {
  await distribution.stop();
});

beforeEach(async () => {
  clock = new ManualClock();
  actions = [];
  ecr = new LocalEcr({
    distribution,
    registryFrontUrl: REGISTRY_FRONT_URL,
    accountId: '123456789012',
    clock,
    pullThroughCacheRules: [
      { ecrRepositoryPrefix: 'docker-hub', upstreamRegistryUrl: 'registry-1.docker.io', upstreamRegistry: 'docker-hub', credentialArn: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:ecr-pullthroughcache/hub' },
      { ecrRepositoryPrefix: 'k8s', upstreamRegistryUrl: 'registry.k8s.io', upstreamRegistry: 'k8s' },
    ],
  });
  ecr.onImageAction((action) => {
    actions.push(action);
  });
  endpoint = await startAwsEndpoint({ ecr: ecrService(ecr), sqs: { operations: {} }, ssm: { operations: {} }, events: { putEvents: () => [] } });
  client = new ECRClient({ endpoint: endpoint.url, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});

afterEach(async () => {
  client.destroy();
  await endpoint.stop();
});

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

describe('images', () => {
  it('describes and lists tagged and untagged images from the registry, filtered by tag status and paginated', async () => {
    // Prepare
    const repository = await freshRepository();
    const tagged = await pushTestImage(distribution.url, repository, { seed: 'list-tagged', tag: 'v1' });
    await pushTestImage(distribution.url, repository, { seed: 'list-tagged', tag: 'stable' });
    const untagged = await pushTestImage(distribution.url, repository, { seed: 'list-untagged' });

    // Act
    const all = await client.send(new DescribeImagesCommand({ repositoryName: repository }));
    const onlyUntagged = await client.send(new ListImagesCommand({ repositoryName: repository, filter: { tagStatus: 'UNTAGGED' } }));
    const listPages: number[] = [];
    const listed: string[] = [];
    for await (const page of paginateListImages({ client, pageSize: 2 }, { repositoryName: repository })) {
      listPages.push(page.imageIds?.length ?? 0);
      listed.push(...(page.imageIds ?? []).map((id) => `${id.imageTag ?? '-'}@${id.imageDigest?.slice(0, 15)}`));
    }
    const byTag = await client.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: 'stable' }] }));
    const missing = await errorOf(client.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: 'nope' }] })));

    // Assess
    const details = all.imageDetails ?? [];
    expect(details).toHaveLength(2);
    const taggedDetail = details.find((detail) => detail.imageDigest === tagged.digest);
    expect(taggedDetail).toMatchObject({
      registryId: '123456789012',
      repositoryName: repository,
      imageTags: ['stable', 'v1'],
      imageSizeInBytes: tagged.layerSizes[0],
      imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactMediaType: 'application/vnd.oci.image.config.v1+json',
    });
    expect(taggedDetail?.imagePushedAt).toBeInstanceOf(Date);
    expect(details.find((detail) => detail.imageDigest === untagged.digest)?.imageTags).toBeUndefined();
    expect(onlyUntagged.imageIds).toEqual([{ imageDigest: untagged.digest }]);
    expect(listPages).toEqual([2, 1]);
    expect(listed.sort()).toEqual([`-@${untagged.digest.slice(0, 15)}`, `stable@${tagged.digest.slice(0, 15)}`, `v1@${tagged.digest.slice(0, 15)}`].sort());
    expect(byTag.imageDetails?.[0]?.imageDigest).toBe(tagged.digest);
    expect(missing.name).toBe('ImageNotFoundException');
  });

  it('gets manifests by tag and digest with per-image failures and honours acceptedMediaTypes', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = await pushTestImage(distribution.url, repository, { seed: 'batch-get', tag: 'v1' });

    // Act
    const result = await client.send(
      new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageTag: 'v1' }, { imageDigest: image.digest }, { imageTag: 'missing' }, {}] }),
    );
    const dockerOnly = await client.send(
      new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageTag: 'v1' }], acceptedMediaTypes: ['application/vnd.docker.distribution.manifest.v2+json'] }),
    );

    // Assess
    expect(result.images?.map((found) => found.imageId)).toEqual([{ imageDigest: image.digest, imageTag: 'v1' }, { imageDigest: image.digest }]);
    expect(result.images?.[0]?.imageManifest).toBe(image.manifest);
    expect(result.images?.[0]?.imageManifestMediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(result.failures?.map((failure) => failure.failureCode)).toEqual(['ImageNotFound', 'MissingDigestAndTag']);
    expect(dockerOnly.images).toEqual([]);
    expect(dockerOnly.failures?.[0]?.failureCode).toBe('ImageNotFound');
  });

  it('re-tags with PutImage, refuses a no-op re-tag and an immutable overwrite, and fires PUSH actions', async () => {
    // Prepare
    const mutable = await freshRepository();
    const first = await pushTestImage(distribution.url, mutable, { seed: 'retag-1', tag: 'v1' });
    const second = await pushTestImage(distribution.url, mutable, { seed: 'retag-2', tag: 'v2' });
    const immutable = await freshRepository({ imageTagMutability: 'IMMUTABLE' });
    await pushTestImage(distribution.url, immutable, { seed: 'retag-1', tag: 'v1' });
    await pushTestImage(distribution.url, immutable, { seed: 'retag-2', tag: 'v2' });

    // Act
    const retagged = await client.send(new PutImageCommand({ repositoryName: mutable, imageManifest: first.manifest, imageTag: 'release' }));
    const noChange = await errorOf(client.send(new PutImageCommand({ repositoryName: mutable, imageManifest: first.manifest, imageTag: 'release' })));
    const moved = await client.send(new PutImageCommand({ repositoryName: mutable, imageManifest: second.manifest, imageTag: 'release' }));
    const refused = await errorOf(client.send(new PutImageCommand({ repositoryName: immutable, imageManifest: second.manifest, imageTag: 'v1' })));
    const wrongDigest = await errorOf(client.send(new PutImageCommand({ repositoryName: mutable, imageManifest: first.manifest, imageTag: 'x', imageDigest: second.digest })));
    const noRepository = await errorOf(client.send(new PutImageCommand({ repositoryName: 'no/such-repo', imageManifest: first.manifest, imageTag: 'v1' })));
    const releaseNow = await client.send(new BatchGetImageCommand({ repositoryName: mutable, imageIds: [{ imageTag: 'release' }] }));

    // Assess
    expect(retagged.image).toMatchObject({ repositoryName: mutable, imageId: { imageDigest: first.digest, imageTag: 'release' }, imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json' });
    expect(noChange.name).toBe('ImageAlreadyExistsException');
    expect(moved.image?.imageId?.imageDigest).toBe(second.digest);
    expect(refused.name).toBe('ImageTagAlreadyExistsException');
    expect(wrongDigest.name).toBe('ImageDigestDoesNotMatchException');
    expect(noRepository.name).toBe('RepositoryNotFoundException');
    expect(releaseNow.images?.[0]?.imageId?.imageDigest).toBe(second.digest);
    expect(actions).toEqual([
      { actionType: 'PUSH', repository: mutable, digest: first.digest, tag: 'release' },
      { actionType: 'PUSH', repository: mutable, digest: second.digest, tag: 'release' },
    ]);
  });

  it('reports missing layers and missing index children from PutImage', async () => {
    // Prepare
    const repository = await freshRepository();
    const elsewhere = await freshRepository();
    const image = await pushTestImage(distribution.url, elsewhere, { seed: 'missing-layers', tag: 'v1' });
    const child = await pushTestImage(distribution.url, elsewhere, { seed: 'missing-child' });
    const index = await pushTestIndex(distribution.url, elsewhere, [child], 'multi');

    // Act
    const layers = await errorOf(client.send(new PutImageCommand({ repositoryName: repository, imageManifest: image.manifest, imageTag: 'v1' })));
    const children = await errorOf(client.send(new PutImageCommand({ repositoryName: repository, imageManifest: index.manifest, imageTag: 'multi' })));

    // Assess
    expect(layers.name).toBe('LayersNotFoundException');
    expect(children.name).toBe('ReferencedImagesNotFoundException');
  });

  it('deletes tags with ECR semantics: one of two tags leaves the image, the last tag or the digest removes it from the registry', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = await pushTestImage(distribution.url, repository, { seed: 'delete-tags', tag: 'v1' });
    await pushTestImage(distribution.url, repository, { seed: 'delete-tags', tag: 'v1-alias' });
    const other = await pushTestImage(distribution.url, repository, { seed: 'delete-digest', tag: 'a' });
    await pushTestImage(distribution.url, repository, { seed: 'delete-digest', tag: 'b' });
    const manifestStatus = async (reference: string): Promise<number> =>
      (await fetch(`${distribution.url}/v2/${repository}/manifests/${reference}`, { method: 'HEAD', headers: { accept: 'application/vnd.oci.image.manifest.v1+json' } })).status;

    // Act
    const removeOne = await client.send(new BatchDeleteImageCommand({ repositoryName: repository, imageIds: [{ imageTag: 'v1-alias' }] }));
    const afterOne = await client.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageDigest: image.digest }] }));
    const aliasStatus = await manifestStatus('v1-alias');
    const v1Status = await manifestStatus('v1');
    const removeLast = await client.send(new BatchDeleteImageCommand({ repositoryName: repository, imageIds: [{ imageTag: 'v1' }] }));
    const digestStatus = await manifestStatus(image.digest);
    const byDigest = await client.send(new BatchDeleteImageCommand({ repositoryName: repository, imageIds: [{ imageDigest: other.digest }, { imageTag: 'never' }, { imageDigest: 'sha256:nothex' }, { imageTag: 'a', imageDigest: image.digest }] }));
    const remaining = await client.send(new DescribeImagesCommand({ repositoryName: repository }));

    // Assess
    expect(removeOne).toMatchObject({ imageIds: [{ imageDigest: image.digest, imageTag: 'v1-alias' }], failures: [] });
    expect(afterOne.imageDetails?.[0]?.imageTags).toEqual(['v1']);
    expect(aliasStatus).toBe(404);
    expect(v1Status).toBe(200);
    expect(removeLast.imageIds).toEqual([{ imageDigest: image.digest, imageTag: 'v1' }]);
    expect(digestStatus).toBe(404);
    expect(byDigest.imageIds).toEqual([{ imageDigest: other.digest }]);
    expect(byDigest.failures?.map((failure) => failure.failureCode)).toEqual(['ImageNotFound', 'InvalidImageDigest', 'ImageNotFound']);
    expect(remaining.imageDetails).toEqual([]);
    expect(await manifestStatus('a')).toBe(404);
    expect(actions).toEqual([
      { actionType: 'DELETE', repository, digest: image.digest, tag: 'v1-alias' },
      { actionType: 'DELETE', repository, digest: image.digest, tag: 'v1' },
      { actionType: 'DELETE', repository, digest: other.digest, tag: 'a' },
      { actionType: 'DELETE', repository, digest: other.digest, tag: 'b' },
    ]);
  });

  it('deletes by tag AND digest only while the tag names the digest: only that tag goes, anything else is a failure that removes nothing', async () => {
    // Prepare: X tagged keep+go, Y tagged solo (its only tag).
    const repository = await freshRepository();
    const x = await pushTestImage(distribution.url, repository, { seed: 'tag-digest-x', tag: 'keep' });
    await pushTestImage(distribution.url, repository, { seed: 'tag-digest-x', tag: 'go' });
    const y = await pushTestImage(distribution.url, repository, { seed: 'tag-digest-y', tag: 'solo' });
    const tagsOf = async (): Promise<Record<string, string[]>> => {
      const described = await client.send(new DescribeImagesCommand({ repositoryName: repository }));
      return Object.fromEntries((described.imageDetails ?? []).map((detail) => [detail.imageDigest ?? '', (detail.imageTags ?? []).slice().sort()]));
    };

    // Act
    const matching = await client.send(new BatchDeleteImageCommand({ repositoryName: repository, imageIds: [{ imageTag: 'go', imageDigest: x.digest }] }));
    const moved = await client.send(new BatchDeleteImageCommand({ repositoryName: repository, imageIds: [{ imageTag: 'solo', imageDigest: x.digest }] }));
    const missingTag = await client.send(new BatchDeleteImageCommand({ repositoryName: repository, imageIds: [{ imageTag: 'gone', imageDigest: y.digest }] }));
    const afterFailures = await tagsOf();

    // Assess
    expect(matching).toMatchObject({ imageIds: [{ imageDigest: x.digest, imageTag: 'go' }], failures: [] });
    expect(moved.imageIds).toEqual([]);
    expect(moved.failures).toEqual([{ imageId: { imageTag: 'solo', imageDigest: x.digest }, failureCode: 'ImageTagDoesNotMatchDigest', failureReason: expect.any(String) }]);
    expect(missingTag.imageIds).toEqual([]);
    expect(missingTag.failures?.map((failure) => failure.failureCode)).toEqual(['ImageNotFound']);
    expect(afterFailures).toEqual({ [x.digest]: ['keep'], [y.digest]: ['solo'] });
    expect(actions).toEqual([{ actionType: 'DELETE', repository, digest: x.digest, tag: 'go' }]);
  });

  it('refuses to delete an image an index still references', async () => {
    // Prepare
    const repository = await freshRepository();
    const child = await pushTestImage(distribution.url, repository, { seed: 'index-child' });
    await pushTestIndex(distribution.url, repository, [child], 'multi');

    // Act
    const result = await client.send(new BatchDeleteImageCommand({ repositoryName: repository, imageIds: [{ imageDigest: child.digest }] }));

    // Assess
    expect(result.imageIds).toEqual([]);
    expect(result.failures?.[0]?.failureCode).toBe('ImageReferencedByManifestList');
  });
});

describe('scan findings', () => {
  it('throws ScanNotFoundException until findings are recorded, then pages over findings and enhanced findings', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = await pushTestImage(distribution.url, repository, { seed: 'scan', tag: 'v1' });
    const before = await errorOf(client.send(new DescribeImageScanFindingsCommand({ repositoryName: repository, imageId: { imageTag: 'v1' } })));
    ecr.recordScanFindings(repository, image.digest, {
      imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
      imageScanFindings: {
        imageScanCompletedAt: '2026-01-01T10:00:00Z',
        vulnerabilitySourceUpdatedAt: 1767225600,
        findingSeverityCounts: { HIGH: 2, CRITICAL: 1 },
        findings: [
          { name: 'CVE-2026-0001', severity: 'HIGH' },
          { name: 'CVE-2026-0002', severity: 'HIGH' },
        ],
        enhancedFindings: [{ findingArn: 'arn:aws:inspector2:eu-central-1:123456789012:finding/1', severity: 'CRITICAL', firstObservedAt: '2026-01-01T09:00:00Z' }],
      },
    });

    // Act
    const pages = [];
    for await (const page of paginateDescribeImageScanFindings({ client, pageSize: 2 }, { repositoryName: repository, imageId: { imageTag: 'v1' } })) pages.push(page);
    const described = await client.send(new DescribeImagesCommand({ repositoryName: repository }));

    // Assess
    expect(before.name).toBe('ScanNotFoundException');
    expect(pages).toHaveLength(2);
    expect(pages[0]?.imageScanFindings?.findings?.map((finding) => finding.name)).toEqual(['CVE-2026-0001', 'CVE-2026-0002']);
    expect(pages[1]?.imageScanFindings?.enhancedFindings?.[0]).toMatchObject({ severity: 'CRITICAL', firstObservedAt: new Date('2026-01-01T09:00:00Z') });
    expect(pages[0]?.imageScanFindings?.imageScanCompletedAt).toEqual(new Date('2026-01-01T10:00:00Z'));
    expect(pages[0]?.imageScanStatus?.status).toBe('COMPLETE');
    expect(pages[0]?.imageId).toEqual({ imageDigest: image.digest, imageTag: 'v1' });
    expect(described.imageDetails?.[0]?.imageScanFindingsSummary).toEqual({
      imageScanCompletedAt: new Date('2026-01-01T10:00:00Z'),
      vulnerabilitySourceUpdatedAt: new Date(1767225600 * 1000),
      findingSeverityCounts: { HIGH: 2, CRITICAL: 1 },
    });
  });
});

describe('layers, authorization and pull-through cache rules', () => {
  it('checks layer availability and hands out a download URL that streams the blob without credentials until it expires', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = await pushTestImage(distribution.url, repository, { seed: 'layers', tag: 'v1' });
    const layerDigest = image.layerDigests[0] ?? '';
    const absent = `sha256:${'0'.repeat(64)}`;

    // Act
    const availability = await client.send(new BatchCheckLayerAvailabilityCommand({ repositoryName: repository, layerDigests: [layerDigest, absent] }));
    const { downloadUrl } = await client.send(new GetDownloadUrlForLayerCommand({ repositoryName: repository, layerDigest }));
    const download = await fetch(downloadUrl ?? '');
    const bytes = Buffer.from(await download.arrayBuffer());
    const tampered = await fetch((downloadUrl ?? '').replace(/sig=[^&]+/, 'sig=forged'));
    clock.advance(2 * 60 * 60 * 1000);
    const expired = await fetch(downloadUrl ?? '');
    const missingLayer = await errorOf(client.send(new GetDownloadUrlForLayerCommand({ repositoryName: repository, layerDigest: absent })));

    // Assess
    expect(availability.layers).toEqual([{ layerDigest, layerAvailability: 'AVAILABLE', layerSize: image.layerSizes[0], mediaType: 'application/octet-stream' }]);
    expect(availability.failures?.[0]).toMatchObject({ layerDigest: absent, failureCode: 'MissingLayerDigest' });
    expect(downloadUrl?.startsWith(`${endpoint.url}/_layers/${repository}/${layerDigest}?`)).toBe(true);
    expect(download.status).toBe(200);
    expect(`sha256:${createHash('sha256').update(bytes).digest('hex')}`).toBe(layerDigest);
    expect(tampered.status).toBe(403);
    expect(expired.status).toBe(403);
    expect(missingLayer.name).toBe('LayersNotFoundException');
  });

  it('issues a 12-hour AWS:<token> for the registry front that verifyAuthorizationToken accepts until it expires', async () => {
    // Act
    const { authorizationData } = await client.send(new GetAuthorizationTokenCommand({}));
    const data = authorizationData?.[0];
    const decoded = Buffer.from(data?.authorizationToken ?? '', 'base64').toString('utf8');
    const validNow = ecr.verifyAuthorizationToken(`Basic ${data?.authorizationToken}`);
    const forged = ecr.verifyAuthorizationToken(`Basic ${Buffer.from('AWS:123.forged').toString('base64')}`);
    clock.advance(12 * 60 * 60 * 1000 + 1);
    const validLater = ecr.verifyAuthorizationToken(`Basic ${data?.authorizationToken}`);

    // Assess
    expect(decoded.startsWith('AWS:')).toBe(true);
    expect(data?.proxyEndpoint).toBe(REGISTRY_FRONT_URL);
    expect(data?.expiresAt?.getTime()).toBe(clock.now() - 1);
    expect(validNow).toBe(true);
    expect(forged).toBe(false);
    expect(validLater).toBe(false);
  });

  it('describes the declared pull-through cache rules, filtered by prefix', async () => {
    // Act
    const all = await client.send(new DescribePullThroughCacheRulesCommand({}));
    const one = await client.send(new DescribePullThroughCacheRulesCommand({ ecrRepositoryPrefixes: ['k8s'] }));
    const missing = await errorOf(client.send(new DescribePullThroughCacheRulesCommand({ ecrRepositoryPrefixes: ['quay'] })));

    // Assess
    expect(all.pullThroughCacheRules?.map((rule) => rule.ecrRepositoryPrefix)).toEqual(['docker-hub', 'k8s']);
    expect(all.pullThroughCacheRules?.[0]).toMatchObject({ upstreamRegistryUrl: 'registry-1.docker.io', registryId: '123456789012', credentialArn: expect.stringContaining('ecr-pullthroughcache/') });
    expect(one.pullThroughCacheRules).toHaveLength(1);
    expect(missing.name).toBe('PullThroughCacheRuleNotFoundException');
  });
});
