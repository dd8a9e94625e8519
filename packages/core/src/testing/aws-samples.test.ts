import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AWS_SAMPLES_DIRECTORY, awsSampleEvent, awsSamplePath, awsSampleText, cloudTrailEnvelope } from './aws-samples.js';

describe('awsSampleEvent', () => {
  it('reads a sample of test/fixtures/aws-events by file name', () => {
    // Act
    const sample = awsSampleEvent('ecr-image-action-push-success.json') as { source: string; 'detail-type': string };

    // Assess
    expect([sample.source, sample['detail-type']]).toEqual(['aws.ecr', 'ECR Image Action']);
  });

  it('answers a fresh copy each time, so one test changing it does not change the next', () => {
    // Prepare
    const first = awsSampleEvent('ecr-image-action-push-success.json') as { detail: Record<string, unknown> };
    first.detail['repository-name'] = 'changed';

    // Act
    const second = awsSampleEvent('ecr-image-action-push-success.json') as { detail: Record<string, unknown> };

    // Assess
    expect(second.detail['repository-name']).not.toBe('changed');
  });

  it('lists and reads the same folder', () => {
    // Act
    const files = readdirSync(AWS_SAMPLES_DIRECTORY);

    // Assess
    expect(files).toContain('ecr-image-action-push-success.json');
    expect(awsSampleText('ecr-image-action-push-success.json')).toContain('"ECR Image Action"');
    expect(readFileSync(awsSamplePath('ecr-image-action-push-success.json'), 'utf8')).toBe(awsSampleText('ecr-image-action-push-success.json'));
  });
});

describe('cloudTrailEnvelope', () => {
  it("wraps a CloudTrail record as EventBridge delivers it, in the record's account and Region unless told", () => {
    // Prepare
    const record = awsSampleEvent('cloudtrail-record-ecr-createrepository.json') as Record<string, unknown>;

    // Act
    const [own, other] = [cloudTrailEnvelope('AWS API Call via CloudTrail', record), cloudTrailEnvelope('AWS API Call via CloudTrail', record, { account: '111122223333' })];

    // Assess
    expect([own.source, own['detail-type'], own.account, own.region, own.detail]).toEqual(['aws.ecr', 'AWS API Call via CloudTrail', '123456789012', 'us-east-2', record]);
    expect(other.account).toBe('111122223333');
  });
});
