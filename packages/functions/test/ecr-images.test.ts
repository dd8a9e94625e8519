import { BatchDeleteImageCommand, BatchGetImageCommand, ECRClient } from '@aws-sdk/client-ecr';
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
  it('deletes by tag only, never by digest', async () => {
    // Prepare
    ecrMock.on(BatchDeleteImageCommand).resolves({ imageIds: [{ imageTag: 'latest', imageDigest: `sha256:${'1'.repeat(64)}` }], failures: [] });

    // Act
    const result = await images.removeTag('prod/api', 'latest');

    // Assess
    expect(result).toBe('removed-tag');
    expect(ecrMock.commandCalls(BatchDeleteImageCommand).map((call) => call.args[0].input)).toEqual([
      { repositoryName: 'prod/api', imageIds: [{ imageTag: 'latest' }] },
    ]);
  });

  it('reports an ImageNotFound failure as already removed', async () => {
    // Prepare
    ecrMock.on(BatchDeleteImageCommand).resolves({ imageIds: [], failures: [{ imageId: { imageTag: 'latest' }, failureCode: 'ImageNotFound', failureReason: 'gone' }] });

    // Act
    const result = await images.removeTag('prod/api', 'latest');

    // Assess
    expect(result).toBe('already-removed');
  });

  it('throws on any other per-item failure, naming it', async () => {
    // Prepare
    ecrMock
      .on(BatchDeleteImageCommand)
      .resolves({ imageIds: [], failures: [{ imageId: { imageTag: 'latest' }, failureCode: 'ImageReferencedByManifestList', failureReason: 'in use' }] });

    // Act
    const removing = images.removeTag('prod/api', 'latest');

    // Assess
    await expect(removing).rejects.toThrow(EcrImageError);
    await expect(removing).rejects.toThrow(/ImageReferencedByManifestList/);
  });
});
