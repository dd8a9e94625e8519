/*
 * The one vocabulary of the events Dockmaster reads and emits: `source` and `detail-type` of every AWS event,
 * and the enumerated detail values the workers, the rules and the local stack decide on. Schemas
 * (events/*.ts), topology event patterns, the workers, the local stack and infra take the strings from here,
 * so that a new event type is added in one place. The values are AWS's wire format (see
 * test/fixtures/aws-events); tests keep literal strings where they assert on that format.
 */
import { DOCKMASTER_EVENT_SOURCE, DockmasterEventType } from '../constants.js';

/** `source` of the events Dockmaster consumes and emits. */
const EventSource = {
  Ecr: 'aws.ecr',
  Inspector2: 'aws.inspector2',
  Ssm: 'aws.ssm',
  /** Scheduled rules (EventBridge itself). */
  Events: 'aws.events',
  Dockmaster: DOCKMASTER_EVENT_SOURCE,
} as const;
type EventSource = (typeof EventSource)[keyof typeof EventSource];

/** `detail-type` of the AWS events Dockmaster consumes. */
const AwsDetailType = {
  EcrImageAction: 'ECR Image Action',
  EcrImageScan: 'ECR Image Scan',
  EcrPullThroughCacheAction: 'ECR Pull Through Cache Action',
  EcrReplicationAction: 'ECR Replication Action',
  /** CloudTrail record of an API call (CreateRepository by a person or tool). */
  ApiCallViaCloudTrail: 'AWS API Call via CloudTrail',
  /** CloudTrail record of an action AWS took itself (CreateRepository by a pull-through cache). */
  ServiceEventViaCloudTrail: 'AWS Service Event via CloudTrail',
  Inspector2Scan: 'Inspector2 Scan',
  Inspector2Finding: 'Inspector2 Finding',
  /** Inspector's scan status of one resource changed (for an ECR image: INACTIVE once its re-scan duration lapsed). */
  Inspector2Coverage: 'Inspector2 Coverage',
  ParameterStoreChange: 'Parameter Store Change',
  ScheduledEvent: 'Scheduled Event',
} as const;
type AwsDetailType = (typeof AwsDetailType)[keyof typeof AwsDetailType];

/** `eventSource` of ECR's CloudTrail records (and its `invokedBy` for actions ECR takes itself). */
const ECR_CLOUDTRAIL_EVENT_SOURCE = 'ecr.amazonaws.com';

/** `action-type` of `ECR Image Action`. */
const EcrActionType = {
  Push: 'PUSH',
  Delete: 'DELETE',
  /** An image moved to the archive storage class or back (`target-storage-class` says which). */
  UpdateStorageClass: 'UPDATE_STORAGE_CLASS',
} as const;
type EcrActionType = (typeof EcrActionType)[keyof typeof EcrActionType];

/** `target-storage-class` of an `ECR Image Action` UPDATE_STORAGE_CLASS, and UpdateImageStorageClass's `targetStorageClass`. */
const EcrStorageClass = {
  Archive: 'ARCHIVE',
  Standard: 'STANDARD',
} as const;
type EcrStorageClass = (typeof EcrStorageClass)[keyof typeof EcrStorageClass];

/** `imageStatus` of DescribeImages and UpdateImageStorageClass: ACTIVATING while a restore from the archive runs. */
const EcrImageStatus = {
  Active: 'ACTIVE',
  Archived: 'ARCHIVED',
  Activating: 'ACTIVATING',
} as const;
type EcrImageStatus = (typeof EcrImageStatus)[keyof typeof EcrImageStatus];

/** `result` of `ECR Image Action` and `ECR Replication Action`, `sync-status` of `ECR Pull Through Cache Action`. */
const EcrActionResult = {
  Success: 'SUCCESS',
  Failed: 'FAILED',
} as const;
type EcrActionResult = (typeof EcrActionResult)[keyof typeof EcrActionResult];

/**
 * `failure-code` of a failed `ECR Pull Through Cache Action`. ECR-GUESS: the EventBridge schema registry names
 * the field (and `failure-reason`) but no document lists its values; these are the codes the local ECR emits.
 * Dockmaster never relies on them alone: cache-health/sync-failure.ts classifies code and reason by their words.
 */
const PullThroughCacheFailureCode = {
  UpstreamAuthenticationFailed: 'UPSTREAM_AUTHENTICATION_FAILED',
  UpstreamRateLimited: 'UPSTREAM_RATE_LIMITED',
  UpstreamImageNotFound: 'UPSTREAM_IMAGE_NOT_FOUND',
  UpstreamUnreachable: 'UPSTREAM_UNREACHABLE',
  ImportFailed: 'IMPORT_FAILED',
} as const;
type PullThroughCacheFailureCode = (typeof PullThroughCacheFailureCode)[keyof typeof PullThroughCacheFailureCode];

/**
 * Scan statuses: `scan-status` of `ECR Image Scan` (COMPLETE) and `Inspector2 Scan` (INITIAL_SCAN_COMPLETE),
 * and the `imageScanStatus.status` DescribeImageScanFindings returns (COMPLETE for basic, ACTIVE for enhanced scanning).
 */
const ScanStatus = {
  Complete: 'COMPLETE',
  Active: 'ACTIVE',
  InitialScanComplete: 'INITIAL_SCAN_COMPLETE',
} as const;
type ScanStatus = (typeof ScanStatus)[keyof typeof ScanStatus];

/** `status` of an Inspector2 finding (the `Inspector2 Finding` event and enhanced scan findings). */
const InspectorFindingStatus = {
  Active: 'ACTIVE',
  Suppressed: 'SUPPRESSED',
  Closed: 'CLOSED',
} as const;
type InspectorFindingStatus = (typeof InspectorFindingStatus)[keyof typeof InspectorFindingStatus];

/** `detail.scanStatus.statusCodeValue` of `Inspector2 Coverage`. */
const InspectorCoverageStatus = {
  Active: 'ACTIVE',
  Inactive: 'INACTIVE',
} as const;
type InspectorCoverageStatus = (typeof InspectorCoverageStatus)[keyof typeof InspectorCoverageStatus];

/** `scanType` of `Inspector2 Coverage`: package vulnerability scanning is what ECR image findings come from. */
const InspectorScanType = {
  Package: 'PACKAGE',
} as const;

export {
  AwsDetailType,
  DockmasterEventType,
  ECR_CLOUDTRAIL_EVENT_SOURCE,
  EcrActionResult,
  EcrActionType,
  EcrImageStatus,
  EcrStorageClass,
  EventSource,
  InspectorCoverageStatus,
  InspectorFindingStatus,
  InspectorScanType,
  PullThroughCacheFailureCode,
  ScanStatus,
};
