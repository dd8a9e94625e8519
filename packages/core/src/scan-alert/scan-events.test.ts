import { describe, expect, it } from 'vitest';
import { parseScanEvent } from '../events/scan.js';
import { loadAwsEvent } from './fixtures/load.js';

/** Tests of the event schemas in events/scan.ts, against AWS's own samples and variants of them. */

const SCAN_SAMPLES = [
  'ecr-image-scan-basic-complete',
  'inspector2-scan-ecr-initial',
  'inspector2-scan-ecr-initial.inspector-docs',
  'inspector2-finding-ecr',
  'inspector2-finding-ecr.inspector-docs',
] as const;

type Json = Record<string, unknown>;
const detailOf = (event: Json): Json => event['detail'] as Json;

const withoutDetailField = (sample: string, field: string): Json => {
  const event = loadAwsEvent(sample);
  const { [field]: _removed, ...detail } = detailOf(event);
  return { ...event, detail };
};

const reasonOf = (input: unknown): string => {
  const result = parseScanEvent(input);
  if (result.ok) throw new Error('expected a parse error');
  return result.reason;
};

describe('scan event schemas', () => {
  it.each(SCAN_SAMPLES)('parses the AWS sample %s', (sample) => {
    // Prepare
    const input = loadAwsEvent(sample);

    // Act
    const result = parseScanEvent(input);

    // Assess
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.event['detail-type']).toBe(input['detail-type']);
  });

  it('ignores unknown extra fields, such as the stray top-level key in the 2024 Inspector sample', () => {
    // Prepare
    const input = loadAwsEvent('inspector2-finding-ecr.inspector-docs');

    // Act
    const result = parseScanEvent({ ...input, detail: { ...detailOf(input), someFutureField: { nested: true } } });

    // Assess
    expect(input['detail.resources.tags.testkey']).toBe('allow');
    expect(result.ok).toBe(true);
  });

  it('parses both Inspector timestamp formats to the same instants as the envelope time', () => {
    // Prepare
    const samples = ['inspector2-finding-ecr', 'inspector2-finding-ecr.inspector-docs'].map(loadAwsEvent);

    // Act
    const parsed = samples.map((sample) => parseScanEvent(sample));

    // Assess
    const updatedAt = parsed.map((result) => (result.ok && result.event['detail-type'] === 'Inspector2 Finding' ? result.event.detail.updatedAt?.toISOString() : undefined));
    expect(updatedAt).toEqual(['2021-12-03T18:02:30.000Z', '2024-09-04T16:55:38.411Z']);
  });

  it('rejects a timestamp in a third, unknown format and says which forms it reads', () => {
    // Prepare
    const input = loadAwsEvent('inspector2-finding-ecr.inspector-docs');
    const event = { ...input, detail: { ...detailOf(input), updatedAt: '04.09.2024 16:55' } };

    // Act
    const reason = reasonOf(event);

    // Assess
    expect(reason).toContain('detail.updatedAt');
    expect(reason).toContain('unrecognised Inspector timestamp "04.09.2024 16:55"');
    expect(reason).toContain('Dec 3, 2021, 6:02:30 PM');
  });

  it.each([
    ['ecr-image-scan-basic-complete', 'image-digest'],
    ['ecr-image-scan-basic-complete', 'repository-name'],
    ['ecr-image-scan-basic-complete', 'scan-status'],
    ['inspector2-scan-ecr-initial', 'repository-name'],
    ['inspector2-finding-ecr', 'packageVulnerabilityDetails'],
    ['inspector2-finding-ecr', 'findingArn'],
    ['inspector2-finding-ecr.inspector-docs', 'status'],
    ['inspector2-finding-ecr.inspector-docs', 'resources'],
  ])('rejects %s without detail.%s, naming the field', (sample, field) => {
    // Act
    const reason = reasonOf(withoutDetailField(sample, field));

    // Assess
    expect(reason).toContain(`detail.${field}`);
  });

  it('accepts a basic scan without finding-severity-counts or image-tags (failed scans, untagged images)', () => {
    // Prepare
    const input = withoutDetailField('ecr-image-scan-basic-complete', 'finding-severity-counts');
    const event = { ...input, detail: { ...detailOf(input), 'image-tags': undefined } };

    // Act
    const result = parseScanEvent(event);

    // Assess
    expect(result.ok && result.event['detail-type'] === 'ECR Image Scan' && result.event.detail).toMatchObject({
      'finding-severity-counts': {},
      'image-tags': [],
    });
  });

  it('rejects an Inspector2 Scan whose repository-name is not a repository ARN', () => {
    // Prepare
    const input = loadAwsEvent('inspector2-scan-ecr-initial');
    const event = { ...input, detail: { ...detailOf(input), 'repository-name': 'amazon/amazon-ecs-sample' } };

    // Act
    const reason = reasonOf(event);

    // Assess
    expect(reason).toContain('detail.repository-name: must be an ECR repository ARN');
  });

  it('rejects an Inspector2 Finding about something other than an ECR image', () => {
    // Prepare
    const input = loadAwsEvent('inspector2-finding-ecr');
    const event = { ...input, detail: { ...detailOf(input), resources: [{ type: 'AWS_LAMBDA_FUNCTION', id: 'arn:aws:lambda:us-east-2:123456789012:function:f' }] } };

    // Act
    const reason = reasonOf(event);

    // Assess
    expect(reason).toContain('detail.resources');
    expect(reason).toContain('not about an ECR container image');
  });

  it('rejects other ECR events, such as the Scan Resource Change sample', () => {
    // Act
    const reason = reasonOf(loadAwsEvent('ecr-scan-resource-change-enhanced'));

    // Assess
    expect(reason).toContain('detail-type');
  });

  it('reads an unknown fixAvailable value as not known instead of losing the finding', () => {
    // Prepare
    const input = loadAwsEvent('inspector2-finding-ecr.inspector-docs');
    const event = { ...input, detail: { ...detailOf(input), fixAvailable: 'MAYBE' } };

    // Act
    const result = parseScanEvent(event);

    // Assess
    const detail = result.ok && result.event['detail-type'] === 'Inspector2 Finding' ? result.event.detail : undefined;
    expect(detail?.findingArn).toContain('arn:aws:inspector2');
    expect(detail?.fixAvailable).toBeUndefined();
  });
});
