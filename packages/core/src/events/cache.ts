import * as z from 'zod';
import { eventBridgeEvent } from './envelope.js';
import { AwsDetailType, ECR_CLOUDTRAIL_EVENT_SOURCE, EcrActionResult, EventSource } from './vocabulary.js';

/*
 * The events that (re)configure a pull-through-cache repository. Unknown fields are ignored (zod's
 * default `object`), as AWS adds fields over time; only what Dockmaster decides on is required.
 */

/** Repository created by a person or tool: `AWS API Call via CloudTrail` (CloudTrail record as detail). */
const CreateRepositoryApiCallEventSchema = eventBridgeEvent(
  z.object({
    eventSource: z.literal(ECR_CLOUDTRAIL_EVENT_SOURCE),
    eventName: z.literal('CreateRepository'),
    // A failed call created nothing; the rule filters on `errorCode exists false`, this is the second line.
    errorCode: z.undefined({ error: 'a failed CreateRepository call (errorCode set) created no repository' }).optional(),
    requestParameters: z.object({ repositoryName: z.string().min(1) }),
  }),
).extend({ source: z.literal(EventSource.Ecr), 'detail-type': z.literal(AwsDetailType.ApiCallViaCloudTrail) });

/**
 * Repository created by ECR itself for a pull-through cache: `AWS Service Event via CloudTrail`, name at
 * `serviceEventDetails.repositoryName` (ecr-pitfalls 1: rules on the API-call form never see these).
 */
const CreateRepositoryServiceEventSchema = eventBridgeEvent(
  z.object({
    eventSource: z.literal(ECR_CLOUDTRAIL_EVENT_SOURCE),
    eventName: z.literal('CreateRepository'),
    errorCode: z.undefined({ error: 'a failed CreateRepository call (errorCode set) created no repository' }).optional(),
    serviceEventDetails: z.object({ repositoryName: z.string().min(1) }),
  }),
).extend({ source: z.literal(EventSource.Ecr), 'detail-type': z.literal(AwsDetailType.ServiceEventViaCloudTrail) });

/**
 * `ECR Pull Through Cache Action`. `image-tag` and `image-digest` are optional: a pull by digest has no
 * tag, and the schema registry lists failure fields for syncs that may not have reached a digest.
 * The digest is not format-checked: AWS's own sample carries a fake one.
 */
const PullThroughCacheActionEventSchema = eventBridgeEvent(
  z.object({
    'rule-version': z.string().optional(),
    'sync-status': z.string().min(1),
    'ecr-repository-prefix': z.string().min(1),
    'repository-name': z.string().min(1),
    'upstream-registry-url': z.string().min(1),
    'image-tag': z.string().optional(),
    'image-digest': z.string().optional(),
    'failure-code': z.string().optional(),
    'failure-reason': z.string().optional(),
  }),
).extend({ source: z.literal(EventSource.Ecr), 'detail-type': z.literal(AwsDetailType.EcrPullThroughCacheAction) });

/** `ECR Replication Action`; the envelope `region` is the destination, `source-region` the origin. */
const ReplicationActionEventSchema = eventBridgeEvent(
  z.object({
    result: z.enum(Object.values(EcrActionResult)),
    'repository-name': z.string().min(1),
    'image-digest': z.string().optional(),
    'image-tag': z.string().optional(),
    'action-type': z.string().optional(),
    'source-account': z.string().min(1),
    'source-region': z.string().min(1),
  }),
).extend({ source: z.literal(EventSource.Ecr), 'detail-type': z.literal(AwsDetailType.EcrReplicationAction) });

/** Any event that should make Dockmaster (re)configure a cache repository. */
const CacheRepositoryEventSchema = z.discriminatedUnion('detail-type', [
  CreateRepositoryApiCallEventSchema,
  CreateRepositoryServiceEventSchema,
  PullThroughCacheActionEventSchema,
  ReplicationActionEventSchema,
]);

type CreateRepositoryApiCallEvent = z.output<typeof CreateRepositoryApiCallEventSchema>;
type CreateRepositoryServiceEvent = z.output<typeof CreateRepositoryServiceEventSchema>;
type PullThroughCacheActionEvent = z.output<typeof PullThroughCacheActionEventSchema>;
type ReplicationActionEvent = z.output<typeof ReplicationActionEventSchema>;
type CacheRepositoryEvent = z.output<typeof CacheRepositoryEventSchema>;

type CacheRepositoryTrigger = 'create-repository' | 'pull-through-cache' | 'replication';

/** The repository an event is about, where it lives, and what kind of event named it. */
type CacheRepositoryTarget = {
  repository: string;
  region: string;
  account: string;
  trigger: CacheRepositoryTrigger;
};

/** Where the repository is, from any of the four event forms (region and account from the envelope). */
const cacheRepositoryTarget = (event: CacheRepositoryEvent): CacheRepositoryTarget => {
  const where = { region: event.region, account: event.account };
  switch (event['detail-type']) {
    case AwsDetailType.ApiCallViaCloudTrail:
      return { repository: event.detail.requestParameters.repositoryName, ...where, trigger: 'create-repository' };
    case AwsDetailType.ServiceEventViaCloudTrail:
      return { repository: event.detail.serviceEventDetails.repositoryName, ...where, trigger: 'create-repository' };
    case AwsDetailType.EcrPullThroughCacheAction:
      return { repository: event.detail['repository-name'], ...where, trigger: 'pull-through-cache' };
    case AwsDetailType.EcrReplicationAction:
      return { repository: event.detail['repository-name'], ...where, trigger: 'replication' };
  }
};

export {
  CacheRepositoryEventSchema,
  cacheRepositoryTarget,
  CreateRepositoryApiCallEventSchema,
  CreateRepositoryServiceEventSchema,
  PullThroughCacheActionEventSchema,
  ReplicationActionEventSchema,
};
export type {
  CacheRepositoryEvent,
  CacheRepositoryTarget,
  CacheRepositoryTrigger,
  CreateRepositoryApiCallEvent,
  CreateRepositoryServiceEvent,
  PullThroughCacheActionEvent,
  ReplicationActionEvent,
};
