import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { AwsDetailType, EventSource } from '@dockmaster/core/events/vocabulary';
// Its own module, not the shared barrel: this adapter loads with the handler, and the barrel holds re2js.
import { isRecord } from '@dockmaster/core/shared/is-record';
import { originalAttributes } from './dead-letter.js';

/**
 * How long a record of a paused automation waits before it is looked at again: SQS's longest message delay.
 * Each look costs one SendMessage and one receive per record; a record waits at most this long after resume.
 */
const PAUSED_RECORD_DELAY_SECONDS = 900;

/**
 * Keeps the records of a paused automation in its queue: each is sent again to the queue it came from, with
 * its own body and attributes, delayed by PAUSED_RECORD_DELAY_SECONDS, and the received copy is acknowledged.
 * A new message starts with a receive count of 0 and a new retention period, so a pause of any length
 * neither moves events to the DLQ (maxReceiveCount) nor lets SQS expire them (retention); the worker
 * processes them once the configuration no longer pauses it. Simply failing the records instead would burn
 * one receive per visibility timeout and move them to the DLQ after maxReceiveCount.
 */
type PausedRecordQueue = {
  keep(record: Pick<SQSRecord, 'body' | 'messageAttributes' | 'eventSourceARN'>): Promise<void>;
};

/** The queue's name and owner from its ARN (`arn:<partition>:sqs:<region>:<account>:<name>`). */
const queueOfArn = (arn: string): { name: string; account: string } => {
  const parts = arn.split(':');
  const [name, account] = [parts[5], parts[4]];
  if (parts.length !== 6 || parts[2] !== 'sqs' || name === undefined || account === undefined || name === '') {
    throw new Error(`not an SQS queue ARN: ${arn}`);
  }
  return { name, account };
};

const createPausedRecordQueue = ({ client = new SQSClient({}) }: { client?: SQSClient } = {}): PausedRecordQueue => {
  const urls = new Map<string, Promise<string>>();
  const queueUrl = (arn: string): Promise<string> => {
    let url = urls.get(arn);
    if (url === undefined) {
      const { name, account } = queueOfArn(arn);
      url = client.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account })).then((output) => {
        if (output.QueueUrl === undefined) throw new Error(`SQS returned no URL for ${arn}`);
        return output.QueueUrl;
      });
      // A failed look-up is tried again with the next record.
      url.catch(() => urls.delete(arn));
      urls.set(arn, url);
    }
    return url;
  };
  return {
    keep: async (record) => {
      await client.send(
        new SendMessageCommand({
          QueueUrl: await queueUrl(record.eventSourceARN),
          MessageBody: record.body,
          DelaySeconds: PAUSED_RECORD_DELAY_SECONDS,
          MessageAttributes: originalAttributes(record),
        }),
      );
    },
  };
};

/**
 * Whether a paused automation keeps a record for later: everything but its periodic sweeps (the topology's
 * scheduled rules), since the first sweep after the resume does the same work.
 */
const isKeptWhilePaused = (body: unknown): boolean => {
  const event = isRecord(body) ? body : {};
  return !(event.source === EventSource.Events && event['detail-type'] === AwsDetailType.ScheduledEvent);
};

export { createPausedRecordQueue, isKeptWhilePaused, PAUSED_RECORD_DELAY_SECONDS, queueOfArn };
export type { PausedRecordQueue };
