import { DescribeImagesCommand, ECRClient, ImageNotFoundException, ServerException, UpdateImageStorageClassCommand } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createEcrStorageClasses } from '../src/adapters/ecr-storage-class.js';

const ecrMock = mockClient(ECRClient);
const metadata = { $metadata: {} };
const DIGEST = `sha256:${'a'.repeat(64)}`;
const storage = () => createEcrStorageClasses({ client: new ECRClient({ region: 'eu-central-1' }) });

beforeEach(() => {
  ecrMock.reset();
});

describe('createEcrStorageClasses', () => {
  it('describes the image by digest in any storage class (DescribeImages reports ACTIVE ones only without the filter)', async () => {
    // Prepare
    ecrMock.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['3.9', '3.10'], imageStatus: 'ARCHIVED' }] });

    // Act
    const image = await storage().describeImage('k8s/pause', DIGEST);

    // Assess
    expect(image).toEqual({ digest: DIGEST, tags: ['3.10', '3.9'], imageStatus: 'ARCHIVED' });
    expect(ecrMock.commandCalls(DescribeImagesCommand)[0]?.args[0].input).toEqual({
      repositoryName: 'k8s/pause',
      imageIds: [{ imageDigest: DIGEST }],
      filter: { imageStatus: 'ANY' },
    });
  });

  it('reads an image gone (ImageNotFoundException) as undefined and passes other errors on', async () => {
    // Prepare
    ecrMock.on(DescribeImagesCommand).rejectsOnce(new ImageNotFoundException({ message: 'gone', ...metadata })).rejectsOnce(new ServerException({ message: 'boom', ...metadata }));

    // Act
    const gone = await storage().describeImage('k8s/pause', DIGEST);
    const failed = storage().describeImage('k8s/pause', DIGEST);

    // Assess
    expect(gone).toBeUndefined();
    await expect(failed).rejects.toThrow('boom');
  });

  it('restores exactly the digest to STANDARD and reports the status ECR answers', async () => {
    // Prepare
    ecrMock.on(UpdateImageStorageClassCommand).resolves({ imageStatus: 'ACTIVATING' });

    // Act
    const result = await storage().restoreImage('k8s/pause', DIGEST);

    // Assess
    expect(result).toEqual({ kind: 'restoring', imageStatus: 'ACTIVATING' });
    expect(ecrMock.commandCalls(UpdateImageStorageClassCommand)[0]?.args[0].input).toEqual({
      repositoryName: 'k8s/pause',
      imageId: { imageDigest: DIGEST },
      targetStorageClass: 'STANDARD',
    });
  });

  it('reports an image deleted before the restore as gone', async () => {
    // Prepare
    ecrMock.on(UpdateImageStorageClassCommand).rejects(new ImageNotFoundException({ message: 'gone', ...metadata }));

    // Act
    const result = await storage().restoreImage('k8s/pause', DIGEST);

    // Assess
    expect(result).toEqual({ kind: 'gone' });
  });
});
