import { describe, expect, it } from 'vitest';
import { CacheRepositoryEventSchema, cacheRepositoryTarget } from '../events/cache.js';
import { awsSampleEvent, awsSampleText, cloudTrailEnvelope } from '../testing/index.js';

const fixture = (name: string): Record<string, unknown> => awsSampleEvent(name) as Record<string, unknown>;

/** The CloudTrail record as EventBridge delivers it, in the sample's account. */
const cloudTrailEvent = (detailType: string, record: Record<string, unknown>) =>
  cloudTrailEnvelope(detailType, record, { id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718', account: '123456789012' });

/**
 * The stored pull-through-cache CreateRepository record is cut off; its visible part is closed into JSON
 * and completed with the two fields the reporter describes (eventType, serviceEventDetails.repositoryName).
 */
const pullThroughCacheCreateRecord = (repositoryName: string): Record<string, unknown> => {
  const text = awsSampleText('cloudtrail-record-ecr-createrepository-by-pull-through-cache.PARTIAL.txt');
  const visible = text.slice(text.indexOf('{'), text.indexOf('...TRUNCATED')).trimEnd().replace(/,$/, '');
  const record = JSON.parse(`${visible}}`) as Record<string, unknown>;
  return { ...record, eventType: 'AwsServiceEvent', serviceEventDetails: { repositoryName } };
};

describe('CacheRepositoryEventSchema and cacheRepositoryTarget', () => {
  it('reads a CreateRepository API call from the AWS CloudTrail sample', () => {
    // Prepare
    const event = cloudTrailEvent('AWS API Call via CloudTrail', fixture('cloudtrail-record-ecr-createrepository.json'));

    // Act
    const target = cacheRepositoryTarget(CacheRepositoryEventSchema.parse(event));

    // Assess
    expect(target).toEqual({ repository: 'testrepo', region: 'us-east-2', account: '123456789012', trigger: 'create-repository' });
  });

  it('reads a repository created by the pull-through cache from serviceEventDetails', () => {
    // Prepare
    const event = cloudTrailEvent('AWS Service Event via CloudTrail', pullThroughCacheCreateRecord('k8s/pause'));

    // Act
    const target = cacheRepositoryTarget(CacheRepositoryEventSchema.parse(event));

    // Assess
    expect(target).toEqual({ repository: 'k8s/pause', region: 'us-east-1', account: '123456789012', trigger: 'create-repository' });
  });

  it('rejects a service event that carries the name only where API calls do', () => {
    // Prepare
    const { serviceEventDetails: _moved, ...record } = pullThroughCacheCreateRecord('k8s/pause');
    const event = cloudTrailEvent('AWS Service Event via CloudTrail', { ...record, requestParameters: { repositoryName: 'k8s/pause' } });

    // Act
    const result = CacheRepositoryEventSchema.safeParse(event);

    // Assess
    expect(result.success).toBe(false);
  });

  it('rejects a failed CreateRepository call (errorCode set)', () => {
    // Prepare
    const record = { ...fixture('cloudtrail-record-ecr-createrepository.json'), errorCode: 'RepositoryAlreadyExistsException' };

    // Act
    const result = CacheRepositoryEventSchema.safeParse(cloudTrailEvent('AWS API Call via CloudTrail', record));

    // Assess
    expect(result.success).toBe(false);
  });

  it('reads the pull-through cache action sample (the normalised copy: the AWS original is invalid JSON)', () => {
    // Prepare
    const event = fixture('ecr-pull-through-cache-action.normalized.json');

    // Act
    const parsed = CacheRepositoryEventSchema.parse(event);

    // Assess
    expect(() => JSON.parse(awsSampleText('ecr-pull-through-cache-action.json'))).toThrow();
    expect(cacheRepositoryTarget(parsed)).toEqual({
      repository: 'docker-hub/alpine',
      region: 'us-west-2',
      account: '123456789012',
      trigger: 'pull-through-cache',
    });
  });

  it('accepts a failed pull-through sync with failure fields and no tag or digest', () => {
    // Prepare
    const sample = fixture('ecr-pull-through-cache-action.normalized.json') as { detail: Record<string, unknown> };
    const { 'image-tag': _tag, 'image-digest': _digest, ...detail } = sample.detail;
    const event = { ...sample, detail: { ...detail, 'sync-status': 'FAILED', 'failure-code': 'UPSTREAM_UNAVAILABLE', 'failure-reason': 'timeout' } };

    // Act
    const parsed = CacheRepositoryEventSchema.parse(event);

    // Assess
    expect(parsed['detail-type'] === 'ECR Pull Through Cache Action' && parsed.detail['failure-code']).toBe('UPSTREAM_UNAVAILABLE');
  });

  it.each([
    ['ecr-replication-action-success.json', 'docker-hub/alpine', 'SUCCESS'],
    ['ecr-replication-action-failed.json', 'my-app', 'FAILED'],
  ])('reads the replication sample %s in the destination region', (name, repository, result) => {
    // Act
    const parsed = CacheRepositoryEventSchema.parse(fixture(name));

    // Assess
    expect(cacheRepositoryTarget(parsed)).toEqual({ repository, region: 'us-east-1', account: '123456789012', trigger: 'replication' });
    expect(parsed['detail-type'] === 'ECR Replication Action' && parsed.detail['source-region']).toBe('us-west-2');
    expect(parsed.detail).toMatchObject({ result });
  });

  it('rejects a replication result other than SUCCESS or FAILED', () => {
    // Prepare
    const sample = fixture('ecr-replication-action-failed.json') as { detail: Record<string, unknown> };

    // Act
    const result = CacheRepositoryEventSchema.safeParse({ ...sample, detail: { ...sample.detail, result: 'FAILURE' } });

    // Assess
    expect(result.success).toBe(false);
  });

  it('rejects an event of another detail type', () => {
    // Act
    const result = CacheRepositoryEventSchema.safeParse(fixture('ecr-image-action-push-success.json'));

    // Assess
    expect(result.success).toBe(false);
  });
});
