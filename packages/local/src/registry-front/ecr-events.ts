import { AwsDetailType, ECR_CLOUDTRAIL_EVENT_SOURCE, EcrActionResult, EcrActionType, EventSource } from '@dockmaster/core/events/vocabulary';
import { randomUUID } from 'node:crypto';
import { awsEvent, awsEventTime, imageActionEvent, repositoryArn } from '../bus/index.js';

/** An EventBridge event as ECR puts it on the default bus. */
interface EcrEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: typeof EventSource.Ecr;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

interface EventContext {
  account: string;
  region: string;
  /** Milliseconds since the epoch. */
  now: number;
}

/** ECR's envelope, built as every AWS event of the local stack is (bus/aws-events.ts), at the registry front's clock. */
function envelope(context: EventContext, detailType: string, resources: string[], detail: Record<string, unknown>): EcrEvent {
  return awsEvent(context, EventSource.Ecr, detailType, detail, { resources, time: new Date(context.now) }) as EcrEvent;
}

/** `ECR Image Action` PUSH: `image-tag` only for a push by tag (index children are pushed by digest). `resources` is [] as in ECR's samples. */
function imagePushEvent(context: EventContext, push: { repository: string; digest: string; tag?: string; manifestMediaType?: string }): EcrEvent {
  return imageActionEvent(context, { actionType: EcrActionType.Push, ...push }, { time: new Date(context.now) }) as EcrEvent;
}

/** `ECR Image Action` DELETE, one per tag the deletion removed (untagged: none), as in ECR's sample. */
function imageDeleteEvent(context: EventContext, deletion: { repository: string; digest: string; tag?: string }): EcrEvent {
  return imageActionEvent(context, { actionType: EcrActionType.Delete, ...deletion }, { time: new Date(context.now) }) as EcrEvent;
}

/** `ECR Pull Through Cache Action`; `resources` is the repository ARN, as in ECR's sample. */
function pullThroughCacheActionEvent(
  context: EventContext,
  sync: { prefix: string; repository: string; upstreamRegistryUrl: string; tag: string; digest?: string; failure?: { code: string; reason: string } },
): EcrEvent {
  return envelope(context, AwsDetailType.EcrPullThroughCacheAction, [repositoryArn(context, sync.repository)], {
    'rule-version': '1',
    'sync-status': sync.failure === undefined ? EcrActionResult.Success : EcrActionResult.Failed,
    'ecr-repository-prefix': sync.prefix,
    'repository-name': sync.repository,
    'upstream-registry-url': sync.upstreamRegistryUrl,
    'image-tag': sync.tag,
    // A sync that failed before the upstream named a digest has none (the schema registry makes it optional).
    ...(sync.digest === undefined ? {} : { 'image-digest': sync.digest }),
    ...(sync.failure === undefined ? {} : { 'failure-code': sync.failure.code, 'failure-reason': sync.failure.reason }),
  });
}

/**
 * The CloudTrail record of a repository ECR created for a pull-through cache, as EventBridge delivers it:
 * `AWS Service Event via CloudTrail`, name at `serviceEventDetails.repositoryName` (cloud-custodian#8736).
 * ECR-GUESS: fields after `sourceIPAddress` follow CloudTrail's documented AwsServiceEvent records; no full ECR sample exists.
 */
function cacheRepositoryCreatedEvent(context: EventContext, repository: string): EcrEvent {
  return envelope(context, AwsDetailType.ServiceEventViaCloudTrail, [], {
    eventVersion: '1.08',
    userIdentity: { accountId: context.account, type: 'AWSService', invokedBy: ECR_CLOUDTRAIL_EVENT_SOURCE },
    eventTime: awsEventTime(new Date(context.now)),
    eventSource: ECR_CLOUDTRAIL_EVENT_SOURCE,
    eventName: 'CreateRepository',
    awsRegion: context.region,
    sourceIPAddress: ECR_CLOUDTRAIL_EVENT_SOURCE,
    userAgent: ECR_CLOUDTRAIL_EVENT_SOURCE,
    requestParameters: null,
    responseElements: null,
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsServiceEvent',
    managementEvent: true,
    recipientAccountId: context.account,
    serviceEventDetails: { repositoryName: repository },
    eventCategory: 'Management',
  });
}

export { cacheRepositoryCreatedEvent, imageDeleteEvent, imagePushEvent, pullThroughCacheActionEvent };
export type { EcrEvent, EventContext };
