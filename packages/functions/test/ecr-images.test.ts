import { BatchDeleteImageCommand, BatchGetImageCommand, DescribeImagesCommand, ECRClient, GetDownloadUrlForLayerCommand, ImageNotFoundException } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEcrImages, EcrImageError, ImageGoneError } from '../src/adapters/ecr-images.js';
import { MediaType } from '../src/adapters/oci-manifest.js';
import { FakeEcr } from './fake-ecr.js';

const ecrMock = mockClient(ECRClient);
const fakeEcr = new FakeEcr();
const images = createEcrImages({ client: new ECRClient({ region: 'eu-central-1' }) });
const revision = { 'org.opencontainers.image.revision': '0123456789abcdef0123456789abcdef01234567' };

beforeAll(() => fakeEcr.start());
afterAll(() => fakeEcr.stop());
beforeEach(() => {
  ecrMock.reset();
  fakeEcr.install(ecrMock);
});

describe('readImageLabels', () => {
  it.each([MediaType.OciManifest, MediaType.DockerManifest])('reads config labels over manifest annotations (%s)', async (mediaType) => {
    // Prepare
    const digest = fakeEcr.addImage({ labels: { ...revision, team: 'from-config' }, annotations: { team: 'from-annotation', extra: 'yes' }, mediaType });

    // Act
    const labels = await images.readImageLabels('prod/api', digest);

    // Assess
    expect(labels).toEqual([{ platform: null, labels: { ...revision, team: 'from-config', extra: 'yes' } }]);
  });

  it('downloads a config blob once per execution environment, but looks the image up for every event', async () => {
    // Prepare: one image pushed under several tags is several events about one digest.
    const fresh = createEcrImages({ client: new ECRClient({ region: 'eu-central-1' }) });
    const digest = fakeEcr.addImage({ labels: { ...revision, team: 'cached' } });

    // Act
    const reads = [await fresh.readImageLabels('prod/api', digest), await fresh.readImageLabels('prod/api', digest), await fresh.readImageLabels('prod/api', digest)];

    // Assess
    expect(reads.every((labels) => labels[0]?.labels['team'] === 'cached')).toBe(true);
    expect(ecrMock.commandCalls(BatchGetImageCommand)).toHaveLength(3);
    expect(ecrMock.commandCalls(GetDownloadUrlForLayerCommand)).toHaveLength(1);
  });

  it('treats "Labels": null as no labels', async () => {
    // Prepare
    const digest = fakeEcr.addImage({ labels: null });

    // Act
    const labels = await images.readImageLabels('prod/api', digest);

    // Assess
    expect(labels).toEqual([{ platform: null, labels: {} }]);
  });

  it.each([MediaType.OciIndex, MediaType.DockerManifestList])('reads every platform image of an index, skipping attestations (%s)', async (mediaType) => {
    // Prepare
    const digest = fakeEcr.addIndex(
      [
        { platform: 'linux/amd64', labels: revision },
        { platform: 'linux/arm64/v8', labels: {} },
      ],
      { mediaType },
    );

    // Act
    const labels = await images.readImageLabels('prod/api', digest);

    // Assess
    expect(labels).toEqual([
      { platform: 'linux/amd64', labels: revision },
      { platform: 'linux/arm64/v8', labels: {} },
    ]);
    const childRequest = ecrMock.commandCalls(BatchGetImageCommand)[1]?.args[0].input;
    expect(childRequest?.imageIds).toHaveLength(2);
  });

  it('throws ImageGoneError when the digest no longer exists', async () => {
    // Prepare
    const missing = `sha256:${'0'.repeat(64)}`;

    // Act
    const reading = images.readImageLabels('prod/api', missing);

    // Assess
    await expect(reading).rejects.toBeInstanceOf(ImageGoneError);
  });

  it('refuses a config blob whose content does not match its digest', async () => {
    // Prepare
    const digest = fakeEcr.addImage({ labels: revision, configDigest: `sha256:${'a'.repeat(64)}` });

    // Act
    const reading = images.readImageLabels('prod/api', digest);

    // Assess
    await expect(reading).rejects.toThrow(/does not match its digest/);
  });

  it('refuses a config blob larger than the cap without reading it all', async () => {
    // Prepare
    const smallCap = createEcrImages({ client: new ECRClient({ region: 'eu-central-1' }), maxConfigBytes: 16 });
    const digest = fakeEcr.addImage({ labels: revision });

    // Act
    const reading = smallCap.readImageLabels('prod/api', digest);

    // Assess
    await expect(reading).rejects.toThrow(/larger than 16 bytes/);
  });
});

describe('removeTag', () => {
  const judged = `sha256:${'1'.repeat(64)}`;
  const other = `sha256:${'2'.repeat(64)}`;
  const tagNames = (digest: string) => ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: digest, imageTags: ['latest'] }] });
  const deleteInputs = () => ecrMock.commandCalls(BatchDeleteImageCommand).map((call) => call.args[0].input);

  it('re-reads the tag, then deletes by tag only (never by digest) while it still names the judged image', async () => {
    // Prepare
    tagNames(judged);
    ecrMock.on(BatchDeleteImageCommand).resolves({ imageIds: [{ imageTag: 'latest', imageDigest: judged }], failures: [] });

    // Act
    const result = await images.removeTag('prod/api', 'latest', judged);

    // Assess
    expect(result).toEqual({ kind: 'removed-tag' });
    expect(ecrMock.commandCalls(DescribeImagesCommand).map((call) => call.args[0].input)).toEqual([{ repositoryName: 'prod/api', imageIds: [{ imageTag: 'latest' }] }]);
    expect(deleteInputs()).toEqual([{ repositoryName: 'prod/api', imageIds: [{ imageTag: 'latest' }] }]);
    // The re-read comes first: the delete acts on what it just saw.
    expect(ecrMock.calls().map((call) => (call.args[0] as object).constructor.name)).toEqual(['DescribeImagesCommand', 'BatchDeleteImageCommand']);
  });

  it('leaves a tag that names another image by now alone (a late event), reporting where it points', async () => {
    // Prepare
    tagNames(other);

    // Act
    const result = await images.removeTag('prod/api', 'latest', judged);

    // Assess
    expect(result).toEqual({ kind: 'tag-moved', currentDigest: other });
    expect(deleteInputs()).toEqual([]);
  });

  it('reports a tag that no longer exists as already removed, without a delete', async () => {
    // Prepare
    ecrMock.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: "The image with imageId {imageTag:'latest'} does not exist", $metadata: {} }));

    // Act
    const result = await images.removeTag('prod/api', 'latest', judged);

    // Assess
    expect(result).toEqual({ kind: 'already-removed' });
    expect(deleteInputs()).toEqual([]);
  });

  it('reports an ImageNotFound failure (gone between the re-read and the delete) as already removed', async () => {
    // Prepare
    tagNames(judged);
    ecrMock.on(BatchDeleteImageCommand).resolves({ imageIds: [], failures: [{ imageId: { imageTag: 'latest' }, failureCode: 'ImageNotFound', failureReason: 'gone' }] });

    // Act
    const result = await images.removeTag('prod/api', 'latest', judged);

    // Assess
    expect(result).toEqual({ kind: 'already-removed' });
  });

  it('throws on any other per-item failure, naming it', async () => {
    // Prepare
    tagNames(judged);
    ecrMock
      .on(BatchDeleteImageCommand)
      .resolves({ imageIds: [], failures: [{ imageId: { imageTag: 'latest' }, failureCode: 'ImageReferencedByManifestList', failureReason: 'in use' }] });

    // Act
    const removing = images.removeTag('prod/api', 'latest', judged);

    // Assess
    await expect(removing).rejects.toThrow(EcrImageError);
    await expect(removing).rejects.toThrow(/ImageReferencedByManifestList/);
  });
});
