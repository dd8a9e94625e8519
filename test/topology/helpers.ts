import { readdirSync } from 'node:fs';
import { parseConfigOrThrow, type DockmasterConfig } from '@dockmaster/core/config';
import { AWS_SAMPLES_DIRECTORY, awsSampleEvent, exampleConfigText } from '@dockmaster/core/testing';

/** The configuration contract example, through the same loader the workers and the infra use. */
const loadExampleConfig = (): DockmasterConfig =>
  parseConfigOrThrow(exampleConfigText(), 'docs/examples/dockmaster.example.yaml', { now: new Date('2026-01-01') });

/** A copy of the example with some top-level sections replaced (still validated by the schema). */
const exampleConfigWith = (overrides: Partial<DockmasterConfig>): DockmasterConfig => ({ ...loadExampleConfig(), ...overrides });

/** Sample events that parse as JSON: the PARTIAL text and the AWS sample with a trailing comma excepted. */
const listSampleEventFiles = (): string[] =>
  readdirSync(AWS_SAMPLES_DIRECTORY)
    .filter((name) => name.endsWith('.json'))
    .filter((name) => name !== 'ecr-pull-through-cache-action.json')
    .sort();

const readSample = (name: string): Record<string, unknown> => awsSampleEvent(name) as Record<string, unknown>;

/** A deep copy of a sample with `detail` fields replaced (a field set to undefined is removed). */
const sampleWith = (name: string, changes: { top?: Record<string, unknown>; detail?: Record<string, unknown> }): Record<string, unknown> => {
  const sample = structuredClone(readSample(name));
  const detail = { ...(sample.detail as Record<string, unknown>), ...changes.detail };
  for (const [key, value] of Object.entries(detail)) if (value === undefined) delete detail[key];
  return { ...sample, ...changes.top, detail };
};

/** The CloudTrail record as EventBridge delivers it: wrapped, as an API call or as an ECR service event. */
const createRepositoryEvent = (kind: 'api' | 'service', repositoryName: string, errorCode?: string) => {
  const record = structuredClone(readSample('cloudtrail-record-ecr-createrepository.json'));
  if (kind === 'api') {
    record.requestParameters = { repositoryName };
  } else {
    // Shape from cloud-custodian#8736: ECR creates pull-through-cache repositories itself.
    delete record.requestParameters;
    record.eventType = 'AwsServiceEvent';
    record.userIdentity = { accountId: '111122223333', invokedBy: 'ecr.amazonaws.com' };
    record.sourceIPAddress = 'ecr.amazonaws.com';
    record.serviceEventDetails = { repositoryName };
  }
  if (errorCode !== undefined) {
    record.errorCode = errorCode;
    record.errorMessage = 'The repository already exists';
    delete record.responseElements;
  }
  return {
    version: '0',
    id: '3b1a5c2e-6f0e-4c4b-9d4e-0d9b2c7f1a11',
    'detail-type': kind === 'api' ? 'AWS API Call via CloudTrail' : 'AWS Service Event via CloudTrail',
    source: 'aws.ecr',
    account: '111122223333',
    time: '2026-03-01T10:00:00Z',
    region: 'eu-central-1',
    resources: [],
    detail: record,
  };
};

export { createRepositoryEvent, exampleConfigWith, listSampleEventFiles, loadExampleConfig, readSample, sampleWith };
