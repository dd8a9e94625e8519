import { DescribeImageScanFindingsCommand, ECRClient, RepositoryNotFoundException, ScanNotFoundException } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ImageGoneError } from '../../src/adapters/ecr-images.js';
import { createScanFindingsReader, ScanFindingsError } from '../../src/adapters/scan-findings.js';
import { findingsFixture, FindingsServer, splitInTwoPages } from './support.js';

const DIGEST = 'sha256:4a5e5b8d3b1f0c2e6d7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e';
const ecrMock = mockClient(ECRClient);
const reader = createScanFindingsReader({ client: new ECRClient({ region: 'eu-central-1' }) });

beforeEach(() => {
  ecrMock.reset();
});

describe('readFindings (DescribeImageScanFindings through the SDK paginator)', () => {
  it('reads basic findings spread over two pages, following nextToken with the largest page size', async () => {
    // Prepare
    const server = new FindingsServer();
    server.set(DIGEST, splitInTwoPages(findingsFixture('basic')));
    server.install(ecrMock);

    // Act
    const result = await reader.readFindings('prod/payments/api', DIGEST, '111122223333');

    // Assess
    expect(server.requests).toEqual([
      { repositoryName: 'prod/payments/api', imageId: { imageDigest: DIGEST }, registryId: '111122223333', maxResults: 1000 },
      { repositoryName: 'prod/payments/api', imageId: { imageDigest: DIGEST }, registryId: '111122223333', maxResults: 1000, nextToken: 'page-1' },
    ]);
    expect(result.pages).toBe(2);
    expect(result.scanStatus).toBe('COMPLETE');
    expect(result.findings.map((finding) => [finding.id, finding.package, finding.severity])).toEqual([
      ['CVE-2023-38545', 'curl', 'CRITICAL'],
      ['CVE-2023-44487', 'nghttp2', 'CRITICAL'],
      ['CVE-2019-5188', 'e2fsprogs', 'HIGH'],
      ['CVE-2022-3219', 'gnupg2', 'MEDIUM'],
      ['CVE-2005-2541', 'tar', 'UNDEFINED'],
    ]);
  });

  it('reads enhanced (Inspector) findings over two pages: one finding per package, CLOSED ones left out, repeats merged', async () => {
    // Prepare
    const server = new FindingsServer();
    server.set(DIGEST, [findingsFixture('enhanced.page1'), findingsFixture('enhanced.page2')]);
    server.install(ecrMock);

    // Act
    const result = await reader.readFindings('prod/payments/api', DIGEST);

    // Assess
    expect(server.requests).toHaveLength(2);
    expect(result.scanStatus).toBe('ACTIVE');
    expect(result.findings.map((finding) => `${finding.severity} ${finding.id} ${finding.package} ${finding.fixedVersion ?? '-'}`)).toEqual([
      'CRITICAL CVE-2024-5535 libssl3 0:3.0.14-1~deb12u1',
      'CRITICAL CVE-2024-5535 openssl 0:3.0.14-1~deb12u1',
      'CRITICAL GHSA-wf5p-g6vw-rhxx axios 1.6.0',
      'HIGH CVE-2023-4911 libc6 -',
      'MEDIUM CVE-2023-50495 ncurses-base -',
      'UNDEFINED CVE-2024-99999 zlib1g -',
    ]);
  });

  it.each([
    ['ImageNotFoundException', undefined],
    ['RepositoryNotFoundException', new RepositoryNotFoundException({ message: 'The repository does not exist', $metadata: {} })],
  ])('reports a deleted image (%s) as ImageGoneError', async (_name, error) => {
    // Prepare
    if (error) ecrMock.on(DescribeImageScanFindingsCommand).rejects(error);
    else new FindingsServer().install(ecrMock);

    // Act
    const reading = reader.readFindings('prod/payments/api', DIGEST);

    // Assess
    await expect(reading).rejects.toBeInstanceOf(ImageGoneError);
  });

  it('reports a missing scan as ScanFindingsError naming the image', async () => {
    // Prepare
    ecrMock.on(DescribeImageScanFindingsCommand).rejects(new ScanNotFoundException({ message: 'Image scan does not exist', $metadata: {} }));

    // Act
    const reading = reader.readFindings('prod/payments/api', DIGEST);

    // Assess
    await expect(reading).rejects.toThrow(ScanFindingsError);
    await expect(reading).rejects.toThrow(`ECR has no scan for prod/payments/api@${DIGEST}`);
  });
});
