import { describe, expect, it } from 'vitest';
import { awsSampleEvent } from '../testing/index.js';
import { EcrImageActionEventSchema, EcrStorageClassChangeEventSchema } from './ecr-image-action.js';

describe('EcrImageActionEventSchema', () => {
  it('parses the AWS sample of a completed push, tag included', () => {
    // Act
    const event = EcrImageActionEventSchema.parse(awsSampleEvent('ecr-image-action-push-success.json'));

    // Assess
    expect(event.detail).toEqual({
      result: 'SUCCESS',
      'repository-name': 'my-repository-name',
      'image-digest': 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234',
      'action-type': 'PUSH',
      'image-tag': 'latest',
    });
  });

  it.each(['ecr-image-action-delete.json', 'ecr-image-action-archive.json', 'ecr-image-action-restore.json'])(
    'parses the AWS sample %s (archive and restore have no tag)',
    (name) => {
      // Act
      const result = EcrImageActionEventSchema.safeParse(awsSampleEvent(name));

      // Assess
      expect(result.success).toBe(true);
    },
  );

  it('accepts an untagged push and ignores unknown fields', () => {
    // Prepare
    const sample = awsSampleEvent('ecr-image-action-push-success.json') as { detail: Record<string, unknown> };
    const { 'image-tag': _tag, ...untagged } = sample.detail;

    // Act
    const event = EcrImageActionEventSchema.parse({ ...sample, detail: { ...untagged, 'new-field': 1 } });

    // Assess
    expect(event.detail['image-tag']).toBeUndefined();
    expect(event.detail).not.toHaveProperty('new-field');
  });

  it('rejects other ECR events such as a scan result', () => {
    // Act
    const result = EcrImageActionEventSchema.safeParse(awsSampleEvent('ecr-image-scan-basic-complete.json'));

    // Assess
    expect(result.success).toBe(false);
  });
});

describe('EcrStorageClassChangeEventSchema', () => {
  it('parses the AWS sample of an archival: digest, target storage class, no tag', () => {
    // Act
    const event = EcrStorageClassChangeEventSchema.parse(awsSampleEvent('ecr-image-action-archive.json'));

    // Assess
    expect(event.detail).toEqual({
      result: 'SUCCESS',
      'repository-name': 'ubuntu',
      'image-digest': 'sha256:f98d67af8e53a536502bfc600de3266556b06ed635a32d60aa7a5fe6d7e609d7',
      'action-type': 'UPDATE_STORAGE_CLASS',
      'target-storage-class': 'ARCHIVE',
      'manifest-media-type': 'application/vnd.oci.image.manifest.v1+json',
      'artifact-media-type': 'application/vnd.oci.image.config.v1+json',
    });
  });

  it('parses the AWS sample of a restore with its last-activated-at', () => {
    // Act
    const event = EcrStorageClassChangeEventSchema.parse(awsSampleEvent('ecr-image-action-restore.json'));

    // Assess
    expect(event.detail['target-storage-class']).toBe('STANDARD');
    expect(event.detail['last-activated-at']).toBe('2025-10-10T19:13:02.74Z');
  });

  it.each(['ecr-image-action-push-success.json', 'ecr-image-action-delete.json'])('rejects %s (not a storage-class change)', (name) => {
    // Act
    const result = EcrStorageClassChangeEventSchema.safeParse(awsSampleEvent(name));

    // Assess
    expect(result.success).toBe(false);
  });

  it('rejects a storage-class change without a target storage class', () => {
    // Prepare
    const sample = awsSampleEvent('ecr-image-action-archive.json') as { detail: Record<string, unknown> };
    const { 'target-storage-class': _target, ...detail } = sample.detail;

    // Act
    const result = EcrStorageClassChangeEventSchema.safeParse({ ...sample, detail });

    // Assess
    expect(result.success).toBe(false);
  });
});
