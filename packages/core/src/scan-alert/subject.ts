import {
  ECR_IMAGE_ARN,
  ECR_REPOSITORY_ARN,
  type EcrImageScanEvent,
  type Inspector2CoverageEvent,
  type Inspector2FindingEvent,
  type Inspector2ScanEvent,
  type ScanEvent,
} from '../events/scan.js';
import { AwsDetailType, InspectorFindingStatus, ScanStatus } from '../events/vocabulary.js';
import { findingsFromPackageVulnerability, type Finding } from './finding.js';
import { inUseOf, type InUse } from './in-use.js';
import { countBySeverity, countsFromAws, normalizeSeverity, type SeverityCounts } from './severity.js';

type ScanSubjectKind = 'image-scan' | 'inspector-scan' | 'inspector-finding' | 'inspector-coverage';

/** Inspector2 Coverage: Inspector's scan status of the image (INACTIVE: it stopped scanning it) and why. */
interface CoverageChange {
  status: string;
  reason?: string;
}

/** The image a scan event is about, and what the event says about it, whatever the event type. */
interface ScanSubject {
  kind: ScanSubjectKind;
  repository: string;
  digest: string;
  tags: readonly string[];
  region: string;
  account: string;
  /**
   * Findings per severity. For scans: the event's counts (zero-filled). For an Inspector2 Finding:
   * the count of this one finding's packages, as the event says nothing about the rest of the image.
   */
  counts: SeverityCounts;
  /** Scans only: COMPLETE (basic), INITIAL_SCAN_COMPLETE (Inspector), or a failure status. */
  scanStatus?: string;
  /** Inspector2 Finding only: the finding for its first vulnerable package. */
  finding?: Finding;
  /** Inspector2 Finding only: one finding per vulnerable package (the event can name several). */
  eventFindings: readonly Finding[];
  findingStatus?: InspectorFindingStatus;
  findingArn?: string;
  /** Inspector2 Finding only: when Inspector last changed the finding. */
  updatedAt?: Date;
  /** Inspector2 Finding only, and only when the event carries it: whether the image runs (in-use.ts). */
  inUse?: InUse;
  /** Inspector2 Coverage only. */
  coverage?: CoverageChange;
}

/** Scan statuses after which the findings can be read; anything else (FAILED, UNSUPPORTED_IMAGE, ...) says nothing. */
const SCAN_STATUSES_WITH_FINDINGS: readonly string[] = [ScanStatus.Complete, ScanStatus.Active, ScanStatus.InitialScanComplete];

interface RepositoryArn {
  region: string;
  account: string;
  repository: string;
}

/** arn:aws:ecr:<region>:<account>:repository/<name>; undefined when it is not one. */
const parseRepositoryArn = (arn: string): RepositoryArn | undefined => {
  const match = ECR_REPOSITORY_ARN.exec(arn);
  if (!match) return undefined;
  const [, region = '', account = '', repository = ''] = match;
  return { region, account, repository };
};

/**
 * arn:aws:ecr:<region>:<account>:repository/<name>/sha256:<digest>. Repository names contain '/',
 * so the name ends at '/sha256:', not at the next '/'.
 */
const parseImageArn = (arn: string): (RepositoryArn & { digest: string }) | undefined => {
  const at = arn.lastIndexOf('/sha256:');
  if (at < 0) return undefined;
  const repository = parseRepositoryArn(arn.slice(0, at));
  return repository ? { ...repository, digest: arn.slice(at + 1) } : undefined;
};

const fromImageScan = (event: EcrImageScanEvent): ScanSubject => ({
  kind: 'image-scan',
  repository: event.detail['repository-name'],
  digest: event.detail['image-digest'],
  tags: event.detail['image-tags'],
  region: event.region,
  account: event.account,
  counts: countsFromAws(event.detail['finding-severity-counts']),
  scanStatus: event.detail['scan-status'],
  eventFindings: [],
});

const fromInspectorScan = (event: Inspector2ScanEvent): ScanSubject => {
  // The schema has already checked that this is a repository ARN.
  const arn = parseRepositoryArn(event.detail['repository-name']);
  return {
    kind: 'inspector-scan',
    repository: arn?.repository ?? event.detail['repository-name'],
    digest: event.detail['image-digest'],
    tags: event.detail['image-tags'],
    region: arn?.region ?? event.region,
    account: arn?.account ?? event.account,
    counts: countsFromAws(event.detail['finding-severity-counts']),
    scanStatus: event.detail['scan-status'],
    eventFindings: [],
  };
};

const fromInspectorFinding = (event: Inspector2FindingEvent): ScanSubject => {
  const { detail } = event;
  const resource = detail.resources.find((candidate) => candidate.type === 'AWS_ECR_CONTAINER_IMAGE') ?? detail.resources[0];
  const image = resource?.details?.awsEcrContainerImage;
  const arn = parseImageArn(resource?.id ?? '') ?? parseImageArn(event.resources[0] ?? '');
  // The structured fields win over the ARN: in AWS's own 2021 sample the ARN's digest is mistyped,
  // while imageHash matches the Inspector2 Scan event for the same image.
  const repository = image?.repositoryName ?? arn?.repository;
  const digest = image?.imageHash ?? arn?.digest;
  if (repository === undefined || digest === undefined) {
    throw new Error(`Inspector2 Finding ${detail.findingArn} names no ECR image: no awsEcrContainerImage details and no image ARN`);
  }
  const eventFindings = findingsFromPackageVulnerability(detail.packageVulnerabilityDetails, {
    severity: normalizeSeverity(detail.severity),
    fixAvailable: detail.fixAvailable,
    exploitAvailable: detail.exploitAvailable,
  });
  const [finding] = eventFindings;
  const inUse = image ? inUseOf(image) : undefined;
  return {
    kind: 'inspector-finding',
    repository,
    digest,
    tags: image?.imageTags ?? [],
    // The 2021 sample's resource region is "N/A": the ARN and then the envelope are the reliable sources.
    region: arn?.region ?? event.region,
    account: arn?.account ?? image?.registry ?? event.account,
    counts: countBySeverity(eventFindings),
    eventFindings,
    ...(finding ? { finding } : {}),
    findingStatus: detail.status,
    findingArn: detail.findingArn,
    ...(detail.updatedAt ? { updatedAt: detail.updatedAt } : {}),
    ...(inUse ? { inUse } : {}),
  };
};

/** The image a coverage change is about: the first ECR image ARN in `resources` (the schema requires one). */
const fromInspectorCoverage = (event: Inspector2CoverageEvent): ScanSubject => {
  const arn = event.resources.filter((resource) => ECR_IMAGE_ARN.test(resource)).map(parseImageArn).find((parsed) => parsed !== undefined);
  if (!arn) throw new Error(`Inspector2 Coverage ${event.id} names no ECR image`);
  const { reason } = event.detail.scanStatus;
  return {
    kind: 'inspector-coverage',
    repository: arn.repository,
    digest: arn.digest,
    // The event names the image by digest only.
    tags: [],
    region: arn.region,
    account: arn.account,
    counts: countBySeverity([]),
    eventFindings: [],
    coverage: { status: event.detail.scanStatus.statusCodeValue, ...(reason ? { reason } : {}) },
  };
};

/** What a parsed scan event says, in one shape for all event types. */
const toScanSubject = (event: ScanEvent): ScanSubject => {
  switch (event['detail-type']) {
    case AwsDetailType.EcrImageScan:
      return fromImageScan(event);
    case AwsDetailType.Inspector2Scan:
      return fromInspectorScan(event);
    case AwsDetailType.Inspector2Finding:
      return fromInspectorFinding(event);
    case AwsDetailType.Inspector2Coverage:
      return fromInspectorCoverage(event);
  }
};

export { parseImageArn, parseRepositoryArn, SCAN_STATUSES_WITH_FINDINGS, toScanSubject };
export type { CoverageChange, InspectorFindingStatus, ScanSubject, ScanSubjectKind };
