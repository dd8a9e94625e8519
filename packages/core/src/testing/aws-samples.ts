import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EventSource } from '../events/vocabulary.js';

/*
 * The real AWS sample events of test/fixtures/aws-events, read the one way every package's tests read them
 * (a file name relative to that folder, `.json` included). Test-only: the rest of core does no I/O.
 */

/** test/fixtures/aws-events/ of the repository, for tests that list the samples. */
const AWS_SAMPLES_DIRECTORY = new URL('../../../../test/fixtures/aws-events/', import.meta.url);

/** The file system path of a sample, for tests that hand the file to a command (the CLI). */
const awsSamplePath = (name: string): string => fileURLToPath(new URL(name, AWS_SAMPLES_DIRECTORY));

/** The text of a sample as stored (a few are invalid JSON on purpose). */
const awsSampleText = (name: string): string => readFileSync(awsSamplePath(name), 'utf8');

/** A sample, parsed; a fresh object on every call, so a test may change it. */
const awsSampleEvent = (name: string): unknown => JSON.parse(awsSampleText(name));

/**
 * A CloudTrail record sample as EventBridge delivers it (`AWS API Call via CloudTrail` and friends): AWS
 * publishes the records alone, no wrapped sample exists (SOURCES.md). The account is the record's
 * recipientAccountId unless given (the truncated sample has none).
 */
const cloudTrailEnvelope = (
  detailType: string,
  record: Record<string, unknown>,
  options: { id?: string; account?: string } = {},
): { id: string; region: string; account: string; detail: Record<string, unknown> } & Record<string, unknown> => ({
  version: '0',
  id: options.id ?? randomUUID(),
  'detail-type': detailType,
  source: EventSource.Ecr,
  account: options.account ?? String(record['recipientAccountId']),
  time: String(record['eventTime']),
  region: String(record['awsRegion']),
  resources: [],
  detail: record,
});

export { AWS_SAMPLES_DIRECTORY, awsSampleEvent, awsSamplePath, awsSampleText, cloudTrailEnvelope };
