import { BatchGetImageCommand, DescribeImagesCommand, ListImagesCommand, PutImageCommand, UpdateImageStorageClassCommand } from '@aws-sdk/client-ecr';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { RunningDistribution } from '@dockmaster/registry/testing';
import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../aws-endpoint/clock.js';
import { errorOf } from '../shared/error-of.testing.js';
import type { ImageAction, LocalEcr } from './local-ecr.js';
import { useLocalEcr } from './local-ecr.testing.js';
import type { LocalEcrFixture } from './local-ecr.testing.js';
import { pushTestImage } from './test-images.js';

// The archive storage class (storage-class.ts) through the AWS endpoint, as ECR's User Guide ("Archiving an image") describes it.

let distribution: RunningDistribution;
let client: ECRClient;
let ecr: LocalEcr;
let clock: ManualClock;
let actions: ImageAction[];
let freshRepository: LocalEcrFixture['freshRepository'];

useLocalEcr((fixture) => ({ distribution, client, ecr, clock, actions, freshRepository } = fixture));

const archive = (repositoryName: string, imageDigest: string) =>
  client.send(new UpdateImageStorageClassCommand({ repositoryName, imageId: { imageDigest }, targetStorageClass: 'ARCHIVE' }));
const restore = (repositoryName: string, imageDigest: string) =>
  client.send(new UpdateImageStorageClassCommand({ repositoryName, imageId: { imageDigest }, targetStorageClass: 'STANDARD' }));

describe('image storage class', () => {
  it('archives an image: ARCHIVED, hidden from the default DescribeImages and ListImages, listed with imageStatus ANY', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = await pushTestImage(distribution.url, repository, { seed: 'archive-me', tag: '3.9' });
    await pushTestImage(distribution.url, repository, { seed: 'stay-active', tag: '3.10' });

    // Act
    const answer = await archive(repository, image.digest);

    // Assess
    expect(answer.imageStatus).toBe('ARCHIVED');
    const active = await client.send(new DescribeImagesCommand({ repositoryName: repository }));
    expect(active.imageDetails?.map((detail) => detail.imageTags)).toEqual([['3.10']]);
    expect(active.imageDetails?.[0]?.imageStatus).toBe('ACTIVE');
    const archived = await client.send(new DescribeImagesCommand({ repositoryName: repository, filter: { imageStatus: 'ARCHIVED' } }));
    expect(archived.imageDetails).toHaveLength(1);
    expect(archived.imageDetails?.[0]).toMatchObject({ imageDigest: image.digest, imageTags: ['3.9'], imageStatus: 'ARCHIVED', lastArchivedAt: new Date(clock.now()) });
    const listed = await client.send(new ListImagesCommand({ repositoryName: repository }));
    expect(listed.imageIds?.map((id) => id.imageTag)).toEqual(['3.10']);
    const any = await client.send(new ListImagesCommand({ repositoryName: repository, filter: { imageStatus: 'ANY' } }));
    expect(any.imageIds).toHaveLength(2);
  });

  it('reports an archival as ECR Image Action UPDATE_STORAGE_CLASS to ARCHIVE, without a tag', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = await pushTestImage(distribution.url, repository, { seed: 'archive-event', tag: 'v1' });

    // Act
    await archive(repository, image.digest);

    // Assess
    expect(actions).toEqual([
      {
        actionType: 'UPDATE_STORAGE_CLASS',
        repository,
        digest: image.digest,
        targetStorageClass: 'ARCHIVE',
        manifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
        artifactMediaType: 'application/vnd.oci.image.config.v1+json',
      },
    ]);
  });

  it('answers a pull (BatchGetImage) of an archived image as not found, and of the restored one again', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = await pushTestImage(distribution.url, repository, { seed: 'pull-archived', tag: 'v1' });
    await archive(repository, image.digest);

    // Act
    const whileArchived = await client.send(new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageTag: 'v1' }] }));
    await restore(repository, image.digest);
    const afterRestore = await client.send(new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageTag: 'v1' }] }));

    // Assess
    expect(whileArchived.images).toEqual([]);
    expect(whileArchived.failures?.[0]).toMatchObject({ failureCode: 'ImageNotFound' });
    expect(afterRestore.images?.[0]?.imageId?.imageDigest).toBe(image.digest);
  });

  it('restores: answers ACTIVATING as ECR does, is ACTIVE with lastActivatedAt, and reports the restore with last-activated-at', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = await pushTestImage(distribution.url, repository, { seed: 'restore-me', tag: 'v1' });
    await archive(repository, image.digest);
    clock.advance(60_000);

    // Act
    const answer = await restore(repository, image.digest);

    // Assess
    expect(answer.imageStatus).toBe('ACTIVATING');
    const described = await client.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageDigest: image.digest }] }));
    expect(described.imageDetails?.[0]).toMatchObject({ imageStatus: 'ACTIVE', lastActivatedAt: new Date(clock.now()) });
    expect(actions.map((action) => [action.targetStorageClass, action.lastActivatedAt?.getTime()])).toEqual([
      ['ARCHIVE', undefined],
      ['STANDARD', clock.now()],
    ]);
  });

  it('does not describe an archived image named by id without the imageStatus filter', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = await pushTestImage(distribution.url, repository, { seed: 'by-id', tag: 'v1' });
    await archive(repository, image.digest);

    // Act
    const error = await errorOf(client.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageDigest: image.digest }] })));
    const withFilter = await client.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageDigest: image.digest }], filter: { imageStatus: 'ANY' } }));

    // Assess
    expect(error.name).toBe('ImageNotFoundException');
    expect(withFilter.imageDetails?.[0]?.imageStatus).toBe('ARCHIVED');
  });

  it('changes nothing and reports nothing for an archival of an archived image or a restore of an active one', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = await pushTestImage(distribution.url, repository, { seed: 'repeat', tag: 'v1' });

    // Act
    const restoreActive = await restore(repository, image.digest);
    await archive(repository, image.digest);
    const archiveAgain = await archive(repository, image.digest);

    // Assess
    expect([restoreActive.imageStatus, archiveAgain.imageStatus]).toEqual(['ACTIVE', 'ARCHIVED']);
    expect(actions.map((action) => action.targetStorageClass)).toEqual(['ARCHIVE']);
  });

  it('refuses an unknown image and an unknown storage class', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = await pushTestImage(distribution.url, repository, { seed: 'refuse', tag: 'v1' });

    // Act
    const missing = await errorOf(archive(repository, `sha256:${'0'.repeat(64)}`));
    const badClass = await errorOf(client.send(new UpdateImageStorageClassCommand({ repositoryName: repository, imageId: { imageDigest: image.digest }, targetStorageClass: 'GLACIER' as 'ARCHIVE' })));

    // Assess
    expect(missing.name).toBe('ImageNotFoundException');
    expect(badClass.name).toBe('InvalidParameterException');
  });

  it('restores an archived image that is pushed again (PutImage)', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = await pushTestImage(distribution.url, repository, { seed: 'repush', tag: 'v1' });
    await archive(repository, image.digest);

    // Act
    await client.send(new PutImageCommand({ repositoryName: repository, imageManifest: image.manifest, imageTag: 'v1' }));

    // Assess
    const described = await client.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: 'v1' }] }));
    expect(described.imageDetails?.[0]?.imageStatus).toBe('ACTIVE');
    expect(actions.map((action) => action.targetStorageClass ?? action.actionType)).toEqual(['ARCHIVE', 'STANDARD', 'PUSH']);
  });

  it('archives as a lifecycle rule does (archiveImage), with the same event and status', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = await pushTestImage(distribution.url, repository, { seed: 'lifecycle', tag: 'v1' });

    // Act
    await ecr.archiveImage(repository, image.digest);

    // Assess
    expect(ecr.unpullableDigests(repository)).toEqual(new Set([image.digest]));
    expect(actions.map((action) => action.targetStorageClass)).toEqual(['ARCHIVE']);
  });
});
