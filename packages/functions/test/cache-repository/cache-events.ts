import { randomUUID } from 'node:crypto';
import { cloudTrailEnvelope } from '@dockmaster/core/testing';
import { awsSampleEvent } from '../factories.js';

/*
 * The cache-repository triggers, built from the real AWS samples with the repository moved under the
 * example config's k8s/ prefix (and a fresh event id, so idempotency never hides one test's event from another).
 */

type Envelope = { id: string; region: string; account: string; detail: Record<string, unknown> } & Record<string, unknown>;

/** `AWS API Call via CloudTrail` for CreateRepository (a person or tool created the repository). */
const createRepositoryApiCall = (repositoryName: string): Envelope => {
  const record = awsSampleEvent('cloudtrail-record-ecr-createrepository.json') as Record<string, unknown>;
  return cloudTrailEnvelope('AWS API Call via CloudTrail', { ...record, requestParameters: { repositoryName } });
};

/**
 * `AWS Service Event via CloudTrail` for CreateRepository (ECR created it for the pull-through cache): the same
 * record, as a service event with the name under serviceEventDetails (cloud-custodian#8736).
 */
const createRepositoryServiceEvent = (repositoryName: string): Envelope => {
  const { requestParameters: _moved, responseElements: _none, ...record } = awsSampleEvent('cloudtrail-record-ecr-createrepository.json') as Record<string, unknown>;
  return cloudTrailEnvelope('AWS Service Event via CloudTrail', {
    ...record,
    userIdentity: { accountId: record['recipientAccountId'], invokedBy: 'ecr.amazonaws.com' },
    sourceIPAddress: 'ecr.amazonaws.com',
    eventType: 'AwsServiceEvent',
    serviceEventDetails: { repositoryName },
  });
};

const withRepository = (sample: string, repositoryName: string): Envelope => {
  const event = awsSampleEvent(sample) as Envelope;
  return { ...event, id: randomUUID(), detail: { ...event.detail, 'repository-name': repositoryName } };
};

/** The normalised `ECR Pull Through Cache Action` sample (the AWS original is invalid JSON). */
const pullThroughCacheAction = (repositoryName: string): Envelope => withRepository('ecr-pull-through-cache-action.normalized.json', repositoryName);

/** The successful `ECR Replication Action` sample (envelope region = destination, us-east-1). */
const replicationSuccess = (repositoryName: string): Envelope => withRepository('ecr-replication-action-success.json', repositoryName);

/** The reconcile rule's scheduled event, as its input transformer shapes it. */
const reconcileScheduledEvent = (): Envelope => ({
  version: '0',
  id: randomUUID(),
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '111122223333',
  time: '2026-06-01T12:00:00Z',
  region: 'eu-central-1',
  resources: ['arn:aws:events:eu-central-1:111122223333:rule/dockmaster-cache-repository-reconcile'],
  detail: { automation: 'cache-repository', trigger: 'reconcile' },
});

export { createRepositoryApiCall, createRepositoryServiceEvent, pullThroughCacheAction, reconcileScheduledEvent, replicationSuccess };
export type { Envelope };
