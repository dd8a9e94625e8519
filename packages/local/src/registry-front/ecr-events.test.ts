import { CreateRepositoryServiceEventSchema, PullThroughCacheActionEventSchema } from '@dockmaster/core/events/cache';
import { EcrImageActionEventSchema } from '@dockmaster/core/events/ecr-image-action';
import { awsSampleEvent } from '@dockmaster/core/testing';
import { describe, expect, it } from 'vitest';
import { cacheRepositoryCreatedEvent, imageDeleteEvent, imagePushEvent, pullThroughCacheActionEvent } from './ecr-events.js';

const CONTEXT = { account: '111122223333', region: 'eu-central-1', now: Date.UTC(2026, 0, 2, 3, 4, 5, 678) };
const DIGEST = `sha256:${'b'.repeat(64)}`;

async function fixture(name: string): Promise<{ [key: string]: unknown; detail: Record<string, unknown> }> {
  return awsSampleEvent(name) as { detail: Record<string, unknown> };
}

describe('ECR event builders', () => {
  it('builds a tagged PUSH with the envelope and detail keys of ECR sample, plus the manifest media type', async () => {
    // Prepare
    const sample = await fixture('ecr-image-action-push-success.json');

    // Act
    const event = imagePushEvent(CONTEXT, { repository: 'team/app', digest: DIGEST, tag: 'v1', manifestMediaType: 'application/vnd.oci.image.manifest.v1+json' });

    // Assess
    expect(EcrImageActionEventSchema.safeParse(event).success).toBe(true);
    expect(Object.keys(event).sort()).toEqual(Object.keys(sample).sort());
    expect(Object.keys(event.detail).sort()).toEqual([...Object.keys(sample.detail), 'manifest-media-type'].sort());
    expect(event).toMatchObject({ version: '0', source: 'aws.ecr', account: '111122223333', region: 'eu-central-1', time: '2026-01-02T03:04:05Z', resources: [] });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('leaves image-tag out of a push by digest and builds DELETE like the sample', async () => {
    // Prepare
    const sample = await fixture('ecr-image-action-delete.json');

    // Act
    const untagged = imagePushEvent(CONTEXT, { repository: 'team/app', digest: DIGEST });
    const deleted = imageDeleteEvent(CONTEXT, { repository: 'team/app', digest: DIGEST, tag: 'v1' });

    // Assess
    expect(untagged.detail).toEqual({ result: 'SUCCESS', 'repository-name': 'team/app', 'image-digest': DIGEST, 'action-type': 'PUSH' });
    expect(Object.keys(deleted.detail).sort()).toEqual(Object.keys(sample.detail).sort());
    expect(deleted.detail['action-type']).toBe('DELETE');
  });

  it('builds the pull-through-cache action with the sample keys and the repository ARN as resource', async () => {
    // Prepare
    const sample = await fixture('ecr-pull-through-cache-action.normalized.json');

    // Act
    const event = pullThroughCacheActionEvent(CONTEXT, { prefix: 'k8s', repository: 'k8s/pause', upstreamRegistryUrl: 'registry.k8s.io', tag: '3.9', digest: DIGEST });
    const failed = pullThroughCacheActionEvent(CONTEXT, { prefix: 'k8s', repository: 'k8s/pause', upstreamRegistryUrl: 'registry.k8s.io', tag: '3.9', digest: DIGEST, failure: { code: 'X', reason: 'y' } });

    // Assess
    expect(PullThroughCacheActionEventSchema.safeParse(event).success).toBe(true);
    expect(Object.keys(event.detail).sort()).toEqual(Object.keys(sample.detail).sort());
    expect(event.resources).toEqual(['arn:aws:ecr:eu-central-1:111122223333:repository/k8s/pause']);
    expect(failed.detail).toMatchObject({ 'sync-status': 'FAILED', 'failure-code': 'X', 'failure-reason': 'y' });
  });

  it('builds the CloudTrail service event of a repository created by the cache', () => {
    // Act
    const event = cacheRepositoryCreatedEvent(CONTEXT, 'k8s/pause');

    // Assess
    expect(CreateRepositoryServiceEventSchema.safeParse(event).success).toBe(true);
    expect(event.detail).toMatchObject({
      eventVersion: '1.08',
      userIdentity: { type: 'AWSService', invokedBy: 'ecr.amazonaws.com' },
      eventTime: '2026-01-02T03:04:05Z',
      eventSource: 'ecr.amazonaws.com',
      eventName: 'CreateRepository',
      awsRegion: 'eu-central-1',
      sourceIPAddress: 'ecr.amazonaws.com',
      userAgent: 'ecr.amazonaws.com',
      requestParameters: null,
      responseElements: null,
      eventType: 'AwsServiceEvent',
      serviceEventDetails: { repositoryName: 'k8s/pause' },
      recipientAccountId: '111122223333',
    });
  });
});
