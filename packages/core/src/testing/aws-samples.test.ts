import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AWS_SAMPLES_DIRECTORY, awsSampleEvent, awsSamplePath, awsSampleText } from './aws-samples.js';

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
