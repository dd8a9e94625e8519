import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  DescribeImagesCommand,
  ListImagesCommand,
  PutImageCommand,
  PutImageTagMutabilityCommand,
  paginateListImages,
} from '@aws-sdk/client-ecr';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { RunningDistribution } from '@dockmaster/registry/testing';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../shared/error-of.testing.js';
import type { ImageAction } from './local-ecr.js';
import { useLocalEcr } from './local-ecr.testing.js';
import type { LocalEcrFixture } from './local-ecr.testing.js';
import { pushTestImage, pushTestIndex } from './test-images.js';

// Images (image-index.ts, images.ts, image-writes.ts) through the AWS endpoint.

let distribution: RunningDistribution;
let client: ECRClient;
let actions: ImageAction[];
let freshRepository: LocalEcrFixture['freshRepository'];

useLocalEcr((fixture) => ({ distribution, client, actions, freshRepository } = fixture));

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

  it('refuses to move only the tags the *_WITH_EXCLUSION setting makes immutable (ImageTagAlreadyExistsException)', async () => {
    // Prepare
    const repository = await freshRepository();
    const first = await pushTestImage(distribution.url, repository, { seed: 'exclusion-1', tag: 'v1' });
    await pushTestImage(distribution.url, repository, { seed: 'exclusion-1', tag: 'dev-1' });
    const second = await pushTestImage(distribution.url, repository, { seed: 'exclusion-2', tag: 'other' });
    const setMutability = (imageTagMutability: 'MUTABLE_WITH_EXCLUSION' | 'IMMUTABLE_WITH_EXCLUSION', filter: string) =>
      client.send(new PutImageTagMutabilityCommand({ repositoryName: repository, imageTagMutability, imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter }] }));
    const retag = (manifest: string, imageTag: string) => client.send(new PutImageCommand({ repositoryName: repository, imageManifest: manifest, imageTag }));

    // Act: MUTABLE except v*: v1 is immutable, dev-1 may move.
    await setMutability('MUTABLE_WITH_EXCLUSION', 'v*');
    const releaseMoved = await errorOf(retag(second.manifest, 'v1'));
    const devMoved = await retag(second.manifest, 'dev-1');
    // IMMUTABLE except dev-*: dev-1 may move back, other is immutable.
    await setMutability('IMMUTABLE_WITH_EXCLUSION', 'dev-*');
    const devMovedBack = await retag(first.manifest, 'dev-1');
    const otherMoved = await errorOf(retag(first.manifest, 'other'));
    const tags = await client.send(new DescribeImagesCommand({ repositoryName: repository }));

    // Assess
    expect(releaseMoved.name).toBe('ImageTagAlreadyExistsException');
    expect(otherMoved.name).toBe('ImageTagAlreadyExistsException');
    expect(devMoved.image?.imageId).toEqual({ imageDigest: second.digest, imageTag: 'dev-1' });
    expect(devMovedBack.image?.imageId).toEqual({ imageDigest: first.digest, imageTag: 'dev-1' });
    expect(Object.fromEntries((tags.imageDetails ?? []).flatMap((detail) => (detail.imageTags ?? []).map((tag) => [tag, detail.imageDigest])))).toEqual({
      v1: first.digest,
      'dev-1': first.digest,
      other: second.digest,
    });
  });

  it('answers BatchGetImage from the named tags and digests: tag and digest together, a moved tag, a removed tag and a deleted image', async () => {
    // Prepare: `moved` names the second image; `gone` was removed; the third image was deleted.
    const repository = await freshRepository();
    const first = await pushTestImage(distribution.url, repository, { seed: 'named-1', tag: 'v1' });
    await pushTestImage(distribution.url, repository, { seed: 'named-1', tag: 'gone' });
    const second = await pushTestImage(distribution.url, repository, { seed: 'named-2', tag: 'moved' });
    const third = await pushTestImage(distribution.url, repository, { seed: 'named-3', tag: 'deleted' });
    await client.send(new BatchDeleteImageCommand({ repositoryName: repository, imageIds: [{ imageTag: 'gone' }, { imageDigest: third.digest }] }));

    // Act
    const result = await client.send(
      new BatchGetImageCommand({
        repositoryName: repository,
        imageIds: [
          { imageTag: 'v1', imageDigest: first.digest },
          { imageTag: 'moved', imageDigest: first.digest },
          { imageTag: 'gone' },
          { imageDigest: third.digest },
          { imageTag: 'deleted' },
          { imageTag: '../v1' },
          { imageDigest: second.digest },
        ],
      }),
    );

    // Assess
    expect(result.images?.map((found) => found.imageId)).toEqual([{ imageDigest: first.digest, imageTag: 'v1' }, { imageDigest: second.digest }]);
    expect(result.failures?.map((failure) => [failure.imageId, failure.failureCode])).toEqual([
      [{ imageTag: 'moved', imageDigest: first.digest }, 'ImageTagDoesNotMatchDigest'],
      [{ imageTag: 'gone' }, 'ImageNotFound'],
      [{ imageDigest: third.digest }, 'ImageNotFound'],
      [{ imageTag: 'deleted' }, 'ImageNotFound'],
      [{ imageTag: '../v1' }, 'InvalidImageTag'],
    ]);
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
