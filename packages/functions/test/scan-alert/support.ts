import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DescribeImageScanFindingsCommand, type DescribeImageScanFindingsCommandInput, type ECRClient, ImageNotFoundException } from '@aws-sdk/client-ecr';
import { parseConfigOrThrow, type DockmasterConfig } from '@dockmaster/core/config';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { awsSampleEvent } from '../factories.js';
import { exampleConfigText } from '@dockmaster/core/testing';

/*
 * Test support for the scan-alert worker: the real AWS sample events with the image swapped for the test's
 * own, the documented example configuration, and DescribeImageScanFindings responses (the fixtures the core
 * tests use, in the AWS shape) served page by page through an aws-sdk-client-mock ECR stub.
 */

const repositoryRoot = new URL('../../../../', import.meta.url);
const findingsFixtures = new URL('packages/core/src/scan-alert/fixtures/', repositoryRoot);

type Json = Record<string, unknown>;

const EXAMPLE_YAML = exampleConfigText();

/** The example configuration, with text appended under `scanAlerts:` (indented by the caller) or at the end. */
const exampleConfig = (options: { scanAlertsExtra?: string; extra?: string } = {}): DockmasterConfig => {
  let yaml = EXAMPLE_YAML;
  if (options.scanAlertsExtra) yaml = yaml.replace('  suppressions:\n', `  suppressions:\n${options.scanAlertsExtra}`);
  if (options.extra) yaml = `${yaml}\n${options.extra}`;
  return parseConfigOrThrow(yaml, 'dockmaster.example.yaml (test variant)');
};

/** A DescribeImageScanFindings response fixture: 'basic', 'enhanced.page1' or 'enhanced.page2'. */
const findingsFixture = (name: string): Json =>
  JSON.parse(readFileSync(new URL(`describe-image-scan-findings.${name}.json`, findingsFixtures), 'utf8')) as Json;

type ImageFields = { id?: string; repository?: string; digest: string; tags?: string[]; time?: string; counts?: Record<string, number> };

/** The real basic-scan sample (ecr-image-scan-basic-complete.json) for another image. */
const basicScanEvent = (fields: ImageFields): Json => {
  const sample = awsSampleEvent('ecr-image-scan-basic-complete.json') as Json;
  const detail = sample['detail'] as Json;
  return {
    ...sample,
    id: fields.id ?? randomUUID(),
    region: 'eu-central-1',
    account: '111122223333',
    ...(fields.time ? { time: fields.time } : {}),
    detail: {
      ...detail,
      'repository-name': fields.repository ?? 'prod/payments/api',
      'image-digest': fields.digest,
      'image-tags': fields.tags ?? ['1.4.2'],
      ...(fields.counts ? { 'finding-severity-counts': fields.counts } : {}),
    },
  };
};

/** The real initial enhanced scan sample (inspector2-scan-ecr-initial.json): `repository-name` holds the ARN. */
const inspectorScanEvent = (fields: ImageFields): Json => {
  const sample = awsSampleEvent('inspector2-scan-ecr-initial.json') as Json;
  const detail = sample['detail'] as Json;
  return {
    ...sample,
    id: fields.id ?? randomUUID(),
    region: 'eu-central-1',
    account: '111122223333',
    ...(fields.time ? { time: fields.time } : {}),
    detail: {
      ...detail,
      'repository-name': `arn:aws:ecr:eu-central-1:111122223333:repository/${fields.repository ?? 'prod/payments/api'}`,
      'image-digest': fields.digest,
      'image-tags': fields.tags ?? ['1.4.2'],
    },
  };
};

type FindingFields = {
  id?: string;
  repository?: string;
  digest: string;
  status?: 'ACTIVE' | 'CLOSED' | 'SUPPRESSED';
  severity?: string;
  vulnerabilityId?: string;
  /** awsEcrContainerImage in-use fields; the 2024 sample has neither. */
  inUseCount?: number;
  lastInUseAt?: string;
};

/** The real 2024 Inspector2 Finding sample (CVE-2024-6119 in libssl3t64 and openssl) for another image. */
const inspectorFindingEvent = (fields: FindingFields): Json => {
  const sample = awsSampleEvent('inspector2-finding-ecr.inspector-docs.json') as Json;
  const detail = sample['detail'] as Json;
  const repository = fields.repository ?? 'prod/payments/api';
  const [resource] = detail['resources'] as Json[];
  const details = (resource?.['details'] ?? {}) as Record<string, Json>;
  const vulnerability = detail['packageVulnerabilityDetails'] as Json;
  const imageArn = `arn:aws:ecr:eu-central-1:111122223333:repository/${repository}/${fields.digest}`;
  return {
    ...sample,
    id: fields.id ?? randomUUID(),
    resources: [imageArn],
    detail: {
      ...detail,
      findingArn: 'arn:aws:inspector2:eu-central-1:111122223333:finding/5f1c0a8e2b7d4c6e9a3b1d0f2e4c6a8b',
      severity: fields.severity ?? 'CRITICAL',
      status: fields.status ?? 'ACTIVE',
      packageVulnerabilityDetails: { ...vulnerability, vulnerabilityId: fields.vulnerabilityId ?? vulnerability['vulnerabilityId'] },
      resources: [
        {
          ...resource,
          id: imageArn,
          details: {
            ...details,
            awsEcrContainerImage: {
              ...details['awsEcrContainerImage'],
              repositoryName: repository,
              imageHash: fields.digest,
              imageTags: ['1.4.2'],
              ...(fields.inUseCount !== undefined ? { inUseCount: fields.inUseCount } : {}),
              ...(fields.lastInUseAt !== undefined ? { lastInUseAt: fields.lastInUseAt } : {}),
            },
          },
        },
      ],
    },
  };
};

/** Splits one response's finding lists over two pages, the way ECR pages a long list. */
const splitInTwoPages = (response: Json): Json[] => {
  const findings = response['imageScanFindings'] as Json;
  const half = <T>(list: T[] | undefined, first: boolean): T[] | undefined =>
    list === undefined ? undefined : first ? list.slice(0, Math.ceil(list.length / 2)) : list.slice(Math.ceil(list.length / 2));
  const page = (first: boolean): Json => ({
    ...response,
    imageScanFindings: {
      ...findings,
      ...(findings['findings'] ? { findings: half(findings['findings'] as unknown[], first) } : {}),
      ...(findings['enhancedFindings'] ? { enhancedFindings: half(findings['enhancedFindings'] as unknown[], first) } : {}),
    },
  });
  return [page(true), page(false)];
};

/** Enhanced findings without the listed vulnerability ids, over the pages given. */
const withoutVulnerabilities = (pages: Json[], ids: string[]): Json[] =>
  pages.map((page) => {
    const findings = page['imageScanFindings'] as Json;
    const enhanced = (findings['enhancedFindings'] as Json[]).filter(
      (finding) => !ids.includes((finding['packageVulnerabilityDetails'] as Json)['vulnerabilityId'] as string),
    );
    return { ...page, imageScanFindings: { ...findings, enhancedFindings: enhanced } };
  });

/**
 * Answers DescribeImageScanFindings per digest from the pages set for it, following nextToken like ECR.
 * A digest without pages answers ImageNotFoundException, as ECR does for a deleted image.
 */
class FindingsServer {
  readonly #pages = new Map<string, Json[]>();
  /** Copies of the requests as sent: the SDK paginator reuses (and mutates) one input object across pages. */
  public readonly requests: DescribeImageScanFindingsCommandInput[] = [];

  public set(digest: string, pages: Json[]): void {
    this.#pages.set(digest, pages);
  }

  public install(ecrMock: AwsClientStub<ECRClient>): void {
    ecrMock.on(DescribeImageScanFindingsCommand).callsFake((input: DescribeImageScanFindingsCommandInput) => {
      this.requests.push(structuredClone(input));
      const pages = this.#pages.get(input.imageId?.imageDigest ?? '') ?? [];
      const index = input.nextToken ? Number(input.nextToken.replace('page-', '')) : 0;
      const page = pages[index];
      if (!page) throw new ImageNotFoundException({ message: `The image with imageId ${input.imageId?.imageDigest} does not exist`, $metadata: {} });
      const { nextToken: _ignored, ...rest } = page;
      return { ...rest, ...(index + 1 < pages.length ? { nextToken: `page-${index + 1}` } : {}) };
    });
  }
}

/** The Inspector2 Coverage event (constructed from the documented EC2 sample, see SOURCES.md) for another image. */
const inspectorCoverageEvent = (fields: { digest: string; repository?: string; status?: string; reason?: string; id?: string }): Json => {
  const sample = awsSampleEvent('inspector2-coverage-ecr-image-inactive.CONSTRUCTED.json') as Json;
  return {
    ...sample,
    id: fields.id ?? randomUUID(),
    resources: [`arn:aws:ecr:eu-central-1:111122223333:repository/${fields.repository ?? 'prod/payments/api'}/${fields.digest}`],
    detail: { ...(sample['detail'] as Json), scanStatus: { reason: fields.reason ?? 'SCAN_ELIGIBILITY_EXPIRED', statusCodeValue: fields.status ?? 'INACTIVE' } },
  };
};

export {
  basicScanEvent,
  inspectorCoverageEvent,
  exampleConfig,
  findingsFixture,
  FindingsServer,
  inspectorFindingEvent,
  inspectorScanEvent,
  splitInTwoPages,
  withoutVulnerabilities,
};
export type { FindingFields, ImageFields, Json };
