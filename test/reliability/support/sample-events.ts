import { randomUUID } from 'node:crypto';
import type { EventBridgeEnvelope } from '@dockmaster/core/events/envelope';
import { awsSampleEvent } from '@dockmaster/core/testing';
import { ecrRepositoryArn } from '@dockmaster/core/topology';

/*
 * The AWS sample events of test/fixtures/aws-events, adjusted only where the example configuration needs it
 * (its account and Region, a repository under one of its globs or prefixes, a digest that exists) and given a
 * fresh event id, since each scenario stands for another event. Everything else stays as AWS wrote it.
 */

type SampleEvent = EventBridgeEnvelope & { detail: Record<string, unknown> };

/** Where the example configuration's registry lives. */
interface Origin {
  account: string;
  region: string;
}

const repositoryArn = (origin: Origin, repository: string): string => ecrRepositoryArn({ accountId: origin.account, region: origin.region }, repository);

const envelope = (sample: unknown, origin: Origin): SampleEvent => {
  const event = structuredClone(sample) as SampleEvent;
  return { ...event, id: randomUUID(), account: origin.account, region: origin.region };
};

/** `ECR Image Action` PUSH (ecr-image-action-push-success.json) of `repository:tag` at `digest`. */
const pushEvent = (origin: Origin, image: { repository: string; tag: string; digest: string }): SampleEvent => {
  const event = envelope(awsSampleEvent('ecr-image-action-push-success.json'), origin);
  return { ...event, detail: { ...event.detail, 'repository-name': image.repository, 'image-tag': image.tag, 'image-digest': image.digest } };
};

/** `ECR Image Scan` COMPLETE (ecr-image-scan-basic-complete.json) for an image with the given counts. */
const basicScanEvent = (origin: Origin, image: { repository: string; digest: string; tags: string[]; counts: Record<string, number> }): SampleEvent => {
  const event = envelope(awsSampleEvent('ecr-image-scan-basic-complete.json'), origin);
  return {
    ...event,
    resources: [repositoryArn(origin, image.repository)],
    detail: { ...event.detail, 'repository-name': image.repository, 'image-digest': image.digest, 'image-tags': image.tags, 'finding-severity-counts': image.counts },
  };
};

/** `ECR Pull Through Cache Action` (the normalised sample: AWS's own has a trailing comma) under a cache prefix. */
const pullThroughCacheEvent = (origin: Origin, cache: { prefix: string; upstream: string; repository: string }): SampleEvent => {
  const event = envelope(awsSampleEvent('ecr-pull-through-cache-action.normalized.json'), origin);
  return {
    ...event,
    resources: [repositoryArn(origin, cache.repository)],
    detail: { ...event.detail, 'ecr-repository-prefix': cache.prefix, 'upstream-registry-url': cache.upstream, 'repository-name': cache.repository },
  };
};

/**
 * The CloudTrail record of CreateRepository (cloudtrail-record-ecr-createrepository.json) as EventBridge
 * delivers it: the record is the `detail` of an `AWS API Call via CloudTrail` event (SOURCES.md).
 */
const createRepositoryEvent = (origin: Origin, repository: string): SampleEvent => {
  const record = structuredClone(awsSampleEvent('cloudtrail-record-ecr-createrepository.json')) as Record<string, unknown> & {
    responseElements: { repository: Record<string, unknown> };
  };
  const arn = repositoryArn(origin, repository);
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.ecr',
    account: origin.account,
    time: String(record['eventTime']),
    region: origin.region,
    resources: [],
    detail: {
      ...record,
      awsRegion: origin.region,
      recipientAccountId: origin.account,
      requestParameters: { repositoryName: repository },
      responseElements: { repository: { ...record.responseElements.repository, repositoryArn: arn, repositoryName: repository, registryId: origin.account } },
      resources: [{ ARN: arn, accountId: origin.account }],
    },
  };
};

/** `ECR Replication Action` FAILED (ecr-replication-action-failed.json) into `repository`. */
const failedReplicationEvent = (origin: Origin, repository: string): SampleEvent => {
  const event = envelope(awsSampleEvent('ecr-replication-action-failed.json'), origin);
  return { ...event, resources: [repositoryArn(origin, repository)], detail: { ...event.detail, 'repository-name': repository } };
};

export { basicScanEvent, createRepositoryEvent, failedReplicationEvent, pullThroughCacheEvent, pushEvent };
export type { Origin, SampleEvent };
