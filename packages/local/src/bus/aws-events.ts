import { ecrRepositoryArn, ssmParameterArn } from '@dockmaster/core/topology';
import { randomUUID } from 'node:crypto';
import type { EventBridgeEnvelope } from '@dockmaster/core/events/envelope';
import { AwsDetailType, ECR_CLOUDTRAIL_EVENT_SOURCE, EcrActionResult, type EcrActionType, EventSource, ScanStatus } from '@dockmaster/core/events/vocabulary';

/** Where the local registry lives: every event carries it, as AWS's do. */
interface EventOrigin {
  account: string;
  region: string;
}

/** AWS writes event times to the second: 2019-11-16T01:54:34Z. */
const awsEventTime = (time: Date): string => time.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** An EventBridge event as AWS services put it on the default bus (`version` "0", uuid id, ISO time without millis). */
const awsEvent = (
  origin: EventOrigin,
  source: string,
  detailType: string,
  detail: Record<string, unknown>,
  options: { resources?: string[]; time?: Date } = {},
): EventBridgeEnvelope & { detail: Record<string, unknown> } => ({
  version: '0',
  id: randomUUID(),
  'detail-type': detailType,
  source,
  account: origin.account,
  time: awsEventTime(options.time ?? new Date()),
  region: origin.region,
  resources: options.resources ?? [],
  detail,
});

const repositoryArn = (origin: EventOrigin, repository: string): string => ecrRepositoryArn({ accountId: origin.account, region: origin.region }, repository);

/** What the local ECR reports for `ECR Image Action`: pushes, deletions and storage-class changes. */
type ImageActionFacts = {
  actionType: EcrActionType;
  repository: string;
  digest: string;
  tag?: string | undefined;
  targetStorageClass?: string | undefined;
  manifestMediaType?: string | undefined;
  artifactMediaType?: string | undefined;
  lastActivatedAt?: Date | undefined;
};

/**
 * `ECR Image Action` for a push or delete (through the API or the registry front, which passes its clock as
 * `time`), or an archive or restore. Archive and restore carry `target-storage-class` and the media types, no tag, and a restore
 * `last-activated-at`, as ECR's samples (test/fixtures/aws-events/ecr-image-action-archive.json, -restore.json).
 */
const imageActionEvent = (origin: EventOrigin, action: ImageActionFacts, options: { time?: Date } = {}) =>
  awsEvent(origin, EventSource.Ecr, AwsDetailType.EcrImageAction, {
    'action-type': action.actionType,
    ...(action.targetStorageClass === undefined ? {} : { 'target-storage-class': action.targetStorageClass }),
    'image-digest': action.digest,
    'repository-name': action.repository,
    result: EcrActionResult.Success,
    ...(action.tag === undefined ? {} : { 'image-tag': action.tag }),
    ...(action.manifestMediaType === undefined ? {} : { 'manifest-media-type': action.manifestMediaType }),
    ...(action.artifactMediaType === undefined ? {} : { 'artifact-media-type': action.artifactMediaType }),
    ...(action.lastActivatedAt === undefined ? {} : { 'last-activated-at': action.lastActivatedAt.toISOString() }),
  }, options);

/** CloudTrail's record of a CreateRepository API call, as EventBridge delivers it (`AWS API Call via CloudTrail`). */
const createRepositoryApiCallEvent = (origin: EventOrigin, repository: string) => {
  const now = new Date();
  return awsEvent(origin, EventSource.Ecr, AwsDetailType.ApiCallViaCloudTrail, {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', accountId: origin.account, userName: 'local-developer' },
    eventTime: awsEventTime(now),
    eventSource: ECR_CLOUDTRAIL_EVENT_SOURCE,
    eventName: 'CreateRepository',
    awsRegion: origin.region,
    sourceIPAddress: '127.0.0.1',
    userAgent: 'dockmaster-local',
    requestParameters: { repositoryName: repository },
    responseElements: {
      repository: {
        repositoryArn: repositoryArn(origin, repository),
        repositoryName: repository,
        registryId: origin.account,
      },
    },
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: origin.account,
  });
};

/** `Parameter Store Change`, which SSM emits for every create, update and delete of a parameter. */
const parameterStoreChangeEvent = (origin: EventOrigin, change: { operation: string; name: string; type: string; description?: string | undefined }) =>
  awsEvent(
    origin,
    EventSource.Ssm,
    AwsDetailType.ParameterStoreChange,
    { operation: change.operation, name: change.name, type: change.type, description: change.description ?? '' },
    { resources: [ssmParameterArn({ accountId: origin.account, region: origin.region }, change.name)] },
  );

/** `ECR Image Scan` COMPLETE as basic scanning emits it: only severities with findings are listed. */
const imageScanCompleteEvent = (origin: EventOrigin, scan: { repository: string; digest: string; tags: string[]; counts: Record<string, number> }) =>
  awsEvent(
    origin,
    EventSource.Ecr,
    AwsDetailType.EcrImageScan,
    {
      'scan-status': ScanStatus.Complete,
      'repository-name': scan.repository,
      'finding-severity-counts': Object.fromEntries(Object.entries(scan.counts).filter(([, count]) => count > 0)),
      'image-digest': scan.digest,
      'image-tags': scan.tags,
    },
    { resources: [repositoryArn(origin, scan.repository)] },
  );

export { awsEvent, awsEventTime, createRepositoryApiCallEvent, imageActionEvent, imageScanCompleteEvent, parameterStoreChangeEvent, repositoryArn };
export type { EventOrigin };
