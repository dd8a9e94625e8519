import { type MessageAttributeValue, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type AutomationId, DEAD_LETTER_ATTRIBUTE_PREFIX, DeadLetterAttribute } from '@dockmaster/core/constants';
import type { SQSRecord } from 'aws-lambda';

/** SQS allows at most 10 message attributes per message. */
const MAX_MESSAGE_ATTRIBUTES = 10;

/** A record a worker gives up on, with what the attributes say about it. */
type DeadLetter = {
  record: Pick<SQSRecord, 'messageId' | 'body' | 'messageAttributes'>;
  automation: AutomationId;
  errorCode: string;
  /** One line (see reasonLine in runtime/errors.ts). */
  reason: string;
  failedAt: Date;
};

type DeadLetterQueue = {
  readonly queueUrl: string;
  /** Sends the original body with the failure attributes; throws when SQS refuses it (the caller falls back to a retry). */
  send(letter: DeadLetter): Promise<void>;
};

type SqsDeadLetterQueueOptions = { queueUrl: string; client?: SQSClient };

/** The record's own attributes in the SDK's shape (Lambda gives binary values base64-encoded). */
const originalAttributes = (record: Pick<SQSRecord, 'messageAttributes'>): Record<string, MessageAttributeValue> => {
  const entries = Object.entries(record.messageAttributes ?? {})
    .filter(([name]) => !name.startsWith(DEAD_LETTER_ATTRIBUTE_PREFIX))
    .map(([name, value]): [string, MessageAttributeValue] => [
      name,
      {
        DataType: value.dataType,
        ...(value.stringValue === undefined ? {} : { StringValue: value.stringValue }),
        ...(value.binaryValue === undefined ? {} : { BinaryValue: Buffer.from(value.binaryValue, 'base64') }),
      },
    ]);
  return Object.fromEntries(entries);
};

/**
 * The attributes of a dead letter: the record's own ones (so a redrive restores the message as it was) and
 * the failure attributes. Ours win the 10-attribute limit: without them nobody knows why the message is there.
 */
const deadLetterAttributes = (letter: DeadLetter): Record<string, MessageAttributeValue> => {
  const failure: Record<DeadLetterAttribute, MessageAttributeValue> = {
    [DeadLetterAttribute.FailureReason]: { DataType: 'String', StringValue: letter.reason },
    [DeadLetterAttribute.ErrorCode]: { DataType: 'String', StringValue: letter.errorCode },
    [DeadLetterAttribute.Automation]: { DataType: 'String', StringValue: letter.automation },
    [DeadLetterAttribute.SourceMessageId]: { DataType: 'String', StringValue: letter.record.messageId },
    [DeadLetterAttribute.FailedAt]: { DataType: 'String', StringValue: letter.failedAt.toISOString() },
  };
  const kept = Object.entries(originalAttributes(letter.record)).slice(0, MAX_MESSAGE_ATTRIBUTES - Object.keys(failure).length);
  return { ...Object.fromEntries(kept), ...failure };
};

const createSqsDeadLetterQueue = ({ queueUrl, client = new SQSClient({}) }: SqsDeadLetterQueueOptions): DeadLetterQueue => ({
  queueUrl,
  async send(letter) {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: letter.record.body, MessageAttributes: deadLetterAttributes(letter) }));
  },
});

export { createSqsDeadLetterQueue, deadLetterAttributes, originalAttributes };
export type { DeadLetter, DeadLetterQueue, SqsDeadLetterQueueOptions };
