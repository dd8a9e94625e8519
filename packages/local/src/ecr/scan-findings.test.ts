import { DescribeImageScanFindingsCommand, DescribeImagesCommand, paginateDescribeImageScanFindings } from '@aws-sdk/client-ecr';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { RunningDistribution } from '@dockmaster/registry/testing';
import { describe, expect, it } from 'vitest';
import { errorOf } from '../shared/error-of.testing.js';
import type { LocalEcr } from './local-ecr.js';
import { useLocalEcr } from './local-ecr.testing.js';
import type { LocalEcrFixture } from './local-ecr.testing.js';
import { pushTestImage } from './test-images.js';

// Scan findings (scan-findings.ts) through the AWS endpoint.

let distribution: RunningDistribution;
let ecr: LocalEcr;
let client: ECRClient;
let freshRepository: LocalEcrFixture['freshRepository'];

useLocalEcr((fixture) => ({ distribution, ecr, client, freshRepository } = fixture));

describe('scan findings', () => {
  it('throws ScanNotFoundException until findings are recorded, then pages over findings and enhanced findings', async () => {
    // Prepare
    const repository = await freshRepository();
    const image = await pushTestImage(distribution.url, repository, { seed: 'scan', tag: 'v1' });
    const before = await errorOf(client.send(new DescribeImageScanFindingsCommand({ repositoryName: repository, imageId: { imageTag: 'v1' } })));
    ecr.recordScanFindings(repository, image.digest, {
      imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
      imageScanFindings: {
        imageScanCompletedAt: '2026-01-01T10:00:00Z',
        vulnerabilitySourceUpdatedAt: 1767225600,
        findingSeverityCounts: { HIGH: 2, CRITICAL: 1 },
        findings: [
          { name: 'CVE-2026-0001', severity: 'HIGH' },
          { name: 'CVE-2026-0002', severity: 'HIGH' },
        ],
        enhancedFindings: [{ findingArn: 'arn:aws:inspector2:eu-central-1:123456789012:finding/1', severity: 'CRITICAL', firstObservedAt: '2026-01-01T09:00:00Z' }],
      },
    });

    // Act
    const pages = [];
    for await (const page of paginateDescribeImageScanFindings({ client, pageSize: 2 }, { repositoryName: repository, imageId: { imageTag: 'v1' } })) pages.push(page);
    const described = await client.send(new DescribeImagesCommand({ repositoryName: repository }));

    // Assess
    expect(before.name).toBe('ScanNotFoundException');
    expect(pages).toHaveLength(2);
    expect(pages[0]?.imageScanFindings?.findings?.map((finding) => finding.name)).toEqual(['CVE-2026-0001', 'CVE-2026-0002']);
    expect(pages[1]?.imageScanFindings?.enhancedFindings?.[0]).toMatchObject({ severity: 'CRITICAL', firstObservedAt: new Date('2026-01-01T09:00:00Z') });
    expect(pages[0]?.imageScanFindings?.imageScanCompletedAt).toEqual(new Date('2026-01-01T10:00:00Z'));
    expect(pages[0]?.imageScanStatus?.status).toBe('COMPLETE');
    expect(pages[0]?.imageId).toEqual({ imageDigest: image.digest, imageTag: 'v1' });
    expect(described.imageDetails?.[0]?.imageScanFindingsSummary).toEqual({
      imageScanCompletedAt: new Date('2026-01-01T10:00:00Z'),
      vulnerabilitySourceUpdatedAt: new Date(1767225600 * 1000),
      findingSeverityCounts: { HIGH: 2, CRITICAL: 1 },
    });
  });
});
