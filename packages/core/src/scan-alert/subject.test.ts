import { describe, expect, it } from 'vitest';
import { parseScanEvent, type ScanEvent } from '../events/scan.js';
import { loadAwsEvent } from './fixtures/load.js';
import { parseImageArn, toScanSubject } from './subject.js';

const parseSample = (name: string, patch: (event: Record<string, unknown>) => Record<string, unknown> = (event) => event): ScanEvent => {
  const result = parseScanEvent(patch(loadAwsEvent(name)));
  if (!result.ok) throw new Error(result.reason);
  return result.event;
};

describe('toScanSubject', () => {
  it('reads the basic ECR Image Scan sample: counts zero-filled, absent severities are zero, tags may be empty', () => {
    // Prepare
    const event = parseSample('ecr-image-scan-basic-complete');

    // Act
    const subject = toScanSubject(event);

    // Assess
    expect(subject).toMatchObject({
      kind: 'image-scan',
      repository: 'my-repository-name',
      digest: 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234',
      tags: [],
      region: 'us-east-1',
      account: '123456789012',
      scanStatus: 'COMPLETE',
      eventFindings: [],
    });
    expect(subject.counts).toEqual({ CRITICAL: 10, HIGH: 0, MEDIUM: 9, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 0 });
  });

  it('derives the repository name, region and account from the ARN in an Inspector2 Scan, and ignores TOTAL', () => {
    // Prepare
    const event = parseSample('inspector2-scan-ecr-initial');

    // Act
    const subject = toScanSubject(event);

    // Assess
    expect(subject).toMatchObject({
      kind: 'inspector-scan',
      repository: 'amazon/amazon-ecs-sample',
      digest: 'sha256:36c7b282abd0186e01419f2e58743e1bf635808231049bbc9d77e5EXAMPLE',
      tags: ['latest'],
      region: 'us-east-2',
      account: '123456789012',
      scanStatus: 'INITIAL_SCAN_COMPLETE',
    });
    expect(subject.counts).toEqual({ CRITICAL: 7, HIGH: 61, MEDIUM: 62, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 0 });
  });

  it('reads explicit zero counts (Inspector docs sample) like absent ones', () => {
    // Prepare
    const event = parseSample('inspector2-scan-ecr-initial.inspector-docs');

    // Act
    const subject = toScanSubject(event);

    // Assess
    expect(subject.repository).toBe('inspector2');
    expect(Object.values(subject.counts).every((count) => count === 0)).toBe(true);
  });

  it('reads the 2021 Inspector2 Finding: one finding, repository with a slash, digest from imageHash (the ARN digest is mistyped)', () => {
    // Prepare
    const event = parseSample('inspector2-finding-ecr');

    // Act
    const subject = toScanSubject(event);

    // Assess
    expect(subject).toMatchObject({
      kind: 'inspector-finding',
      repository: 'amazon/amazon-ecs-sample',
      // Same digest as the Inspector2 Scan sample for this image.
      digest: 'sha256:36c7b282abd0186e01419f2e58743e1bf635808231049bbc9d77e5EXAMPLE',
      tags: ['latest'],
      region: 'us-east-2',
      account: '123456789012',
      findingStatus: 'ACTIVE',
      findingArn: 'arn:aws:inspector2:us-east-2:123456789012:finding/be674aaddd0f75ac632055EXAMPLE',
    });
    expect(subject.finding).toEqual({
      id: 'CVE-2019-17498',
      severity: 'MEDIUM',
      package: 'libssh2',
      installedVersion: '1.4.3-12.amzn2.2',
      uri: 'https://access.redhat.com/security/cve/CVE-2019-17498',
    });
    expect(subject.updatedAt?.toISOString()).toBe('2021-12-03T18:02:30.000Z');
    expect(subject.counts.MEDIUM).toBe(1);
  });

  it('reads the 2024 Inspector2 Finding: one finding per vulnerable package, fixed version, fix and exploit availability', () => {
    // Prepare
    const event = parseSample('inspector2-finding-ecr.inspector-docs');

    // Act
    const subject = toScanSubject(event);

    // Assess
    expect(subject).toMatchObject({ repository: 'inspector2', region: 'eu-central-1', tags: ['ubuntu_latest'] });
    expect(subject.eventFindings.map((finding) => finding.package)).toEqual(['libssl3t64', 'openssl']);
    expect(subject.finding).toEqual({
      id: 'CVE-2024-6119',
      severity: 'MEDIUM',
      package: 'libssl3t64',
      installedVersion: '3.0.13-0ubuntu3.2',
      fixedVersion: '0:3.0.13-0ubuntu3.4',
      fixAvailable: 'YES',
      exploitAvailable: 'NO',
      uri: 'https://people.canonical.com/~ubuntu-security/cve/2024/CVE-2024-6119.html',
    });
    expect(subject.updatedAt?.toISOString()).toBe('2024-09-04T16:55:38.411Z');
  });

  it('reports a CLOSED finding status and maps UNTRIAGED to UNDEFINED', () => {
    // Prepare
    const event = parseSample('inspector2-finding-ecr.inspector-docs', (sample) => ({
      ...sample,
      detail: { ...(sample['detail'] as object), status: 'CLOSED', severity: 'UNTRIAGED' },
    }));

    // Act
    const subject = toScanSubject(event);

    // Assess
    expect(subject.findingStatus).toBe('CLOSED');
    expect(subject.finding?.severity).toBe('UNDEFINED');
  });
});

describe('parseImageArn', () => {
  it('splits on /sha256: so repository names keep their slashes', () => {
    // Act
    const parsed = parseImageArn('arn:aws:ecr:eu-central-1:111122223333:repository/prod/payments/api/sha256:abc123');

    // Assess
    expect(parsed).toEqual({ region: 'eu-central-1', account: '111122223333', repository: 'prod/payments/api', digest: 'sha256:abc123' });
  });

  it('rejects an ARN without a digest', () => {
    // Act
    const parsed = parseImageArn('arn:aws:ecr:eu-central-1:111122223333:repository/prod/payments/api');

    // Assess
    expect(parsed).toBeUndefined();
  });
});
