import * as z from 'zod';
import { systemClock } from '../aws-endpoint/clock.js';
import type { Clock } from '../aws-endpoint/clock.js';
import { operation } from '../aws-endpoint/service.js';
import type { AwsJsonService, RequestContext } from '../aws-endpoint/service.js';
import { LocalQueue } from './local-queue.js';
import type { QueueDeclaration, QueueMessage } from './local-queue.js';
import type { MessageAttributeValue } from './message-md5.js';
import { invalidParameterValue, queueDoesNotExist, sqsError } from './sqs-errors.js';

interface LocalSqsOptions {
  queues: readonly QueueDeclaration[];
  accountId?: string;
  region?: string;
  clock?: Clock;
}

// SQS raised the maximum message size from 256 KiB to 1 MiB in 2025.
const MAX_MESSAGE_BYTES = 1_048_576;
const MAX_BATCH_ENTRIES = 10;
const BATCH_ENTRY_ID_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;
// XML 1.0 characters, the only ones SQS accepts in a body: #x9 #xA #xD #x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF.
const INVALID_BODY_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const QUEUE_ATTRIBUTE_NAMES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'VisibilityTimeout',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'MaximumMessageSize',
  'ReceiveMessageWaitTimeSeconds',
  'QueueArn',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'RedrivePolicy',
] as const;

const messageAttributeValue = z.object({
  DataType: z.string().min(1),
  StringValue: z.string().optional(),
  BinaryValue: z.string().optional(),
  StringListValues: z.array(z.string()).optional(),
  BinaryListValues: z.array(z.string()).optional(),
});
const messageAttributes = z.record(z.string(), messageAttributeValue).optional();
const queueUrl = z.string().min(1);
const sendEntry = z.object({
  Id: z.string(),
  MessageBody: z.string(),
  DelaySeconds: z.number().int().optional(),
  MessageAttributes: messageAttributes,
  MessageSystemAttributes: z.record(z.string(), z.unknown()).optional(),
  MessageDeduplicationId: z.string().optional(),
  MessageGroupId: z.string().optional(),
});
const receiptEntry = z.object({ Id: z.string(), ReceiptHandle: z.string() });
const visibilityEntry = z.object({ Id: z.string(), ReceiptHandle: z.string(), VisibilityTimeout: z.number().int().optional() });

const schemas = {
  SendMessage: sendEntry.omit({ Id: true }).extend({ QueueUrl: queueUrl }),
  SendMessageBatch: z.object({ QueueUrl: queueUrl, Entries: z.array(sendEntry) }),
  ReceiveMessage: z.object({
    QueueUrl: queueUrl,
    MaxNumberOfMessages: z.number().int().optional(),
    VisibilityTimeout: z.number().int().optional(),
    WaitTimeSeconds: z.number().int().optional(),
    AttributeNames: z.array(z.string()).optional(),
    MessageSystemAttributeNames: z.array(z.string()).optional(),
    MessageAttributeNames: z.array(z.string()).optional(),
    ReceiveRequestAttemptId: z.string().optional(),
  }),
  DeleteMessage: z.object({ QueueUrl: queueUrl, ReceiptHandle: z.string() }),
  DeleteMessageBatch: z.object({ QueueUrl: queueUrl, Entries: z.array(receiptEntry) }),
  ChangeMessageVisibility: z.object({ QueueUrl: queueUrl, ReceiptHandle: z.string(), VisibilityTimeout: z.number().int() }),
  ChangeMessageVisibilityBatch: z.object({ QueueUrl: queueUrl, Entries: z.array(visibilityEntry) }),
  GetQueueUrl: z.object({ QueueName: z.string(), QueueOwnerAWSAccountId: z.string().optional() }),
  GetQueueAttributes: z.object({ QueueUrl: queueUrl, AttributeNames: z.array(z.string()).optional() }),
  ListQueues: z.object({ QueueNamePrefix: z.string().optional(), MaxResults: z.number().int().min(1).max(1000).optional(), NextToken: z.string().optional() }),
  PurgeQueue: z.object({ QueueUrl: queueUrl }),
  ListDeadLetterSourceQueues: z.object({ QueueUrl: queueUrl, MaxResults: z.number().int().min(1).max(1000).optional(), NextToken: z.string().optional() }),
};

interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

/** Problem with one message to send, or undefined (SQS checks these per entry in a batch). */
function sendProblem(body: string, delaySeconds: number | undefined, attributes: Record<string, MessageAttributeValue> | undefined): { code: string; message: string } | undefined {
  if (body.length === 0) return { code: 'MissingParameter', message: 'The request must contain the parameter MessageBody.' };
  if (INVALID_BODY_CHARACTER.test(body)) return { code: 'InvalidMessageContents', message: 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF' };
  const attributeBytes = Object.entries(attributes ?? {}).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value.DataType) + Buffer.byteLength(value.StringValue ?? '') + Buffer.from(value.BinaryValue ?? '', 'base64').length, 0);
  if (Buffer.byteLength(body) + attributeBytes > MAX_MESSAGE_BYTES) {
    return { code: 'InvalidParameterValue', message: `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.` };
  }
  if (delaySeconds !== undefined && (delaySeconds < 0 || delaySeconds > 900)) {
    return { code: 'InvalidParameterValue', message: `Value ${delaySeconds} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900, if provided.` };
  }
  if (Object.keys(attributes ?? {}).length > 10) return { code: 'InvalidParameterValue', message: 'Number of message attributes [11] exceeds the allowed maximum [10].' };
  return undefined;
}

/** Common checks of every *Batch operation, which SQS answers with errors for the whole request. */
function checkBatchEntries(entries: ReadonlyArray<{ Id: string }>): void {
  if (entries.length === 0) throw sqsError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.', 'AWS.SimpleQueueService.EmptyBatchRequest');
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw sqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${entries.length}.`, 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest');
  }
  const invalid = entries.find((entry) => !BATCH_ENTRY_ID_PATTERN.test(entry.Id));
  if (invalid !== undefined) {
    throw sqsError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.', 'AWS.SimpleQueueService.InvalidBatchEntryId');
  }
  if (new Set(entries.map((entry) => entry.Id)).size !== entries.length) {
    throw sqsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct');
  }
}

/** Which message attributes a ReceiveMessage asked for: names, `All`, `.*`, or `prefix.*`. */
function selectMessageAttributes(attributes: Record<string, MessageAttributeValue>, requested: readonly string[] | undefined): Record<string, MessageAttributeValue> {
  const wanted = requested ?? [];
  const selected = Object.entries(attributes).filter(([name]) =>
    wanted.some((pattern) => pattern === 'All' || pattern === '.*' || pattern === name || (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -1)))),
  );
  return Object.fromEntries(selected);
}

/** The SQS JSON API over declared local queues, plus lookup of the queues for the stack's consumers. */
class LocalSqs implements AwsJsonService {
  public readonly accountId: string;
  public readonly region: string;
  private readonly queues = new Map<string, LocalQueue>();
  public readonly operations: AwsJsonService['operations'];

  public constructor(options: LocalSqsOptions) {
    this.accountId = options.accountId ?? '000000000000';
    this.region = options.region ?? 'eu-central-1';
    const clock = options.clock ?? systemClock;
    for (const declaration of options.queues) {
      this.queues.set(declaration.name, new LocalQueue(declaration, { accountId: this.accountId, region: this.region, clock }));
    }
    for (const queue of this.queues.values()) {
      const dlqName = queue.declaration.deadLetterQueueName;
      if (dlqName === undefined) continue;
      const dlq = this.queues.get(dlqName);
      if (dlq === undefined) throw new Error(`Queue "${queue.name}" names dead-letter queue "${dlqName}", which is not declared. Declare it in the same queue list.`);
      queue.deadLetterQueue = dlq;
    }
    this.operations = this.buildOperations();
  }

  /** The queue declared as `name` (throws if it was not declared). */
  public queue(name: string): LocalQueue {
    const queue = this.queues.get(name);
    if (queue === undefined) throw new Error(`No local queue named "${name}"; declared: ${[...this.queues.keys()].join(', ')}`);
    return queue;
  }

  public queueUrl(name: string, endpointUrl: string): string {
    return `${endpointUrl.replace(/\/+$/, '')}/${this.accountId}/${name}`;
  }

  /** Queue URLs name the queue in their last path segment; the host is whatever the client used. */
  private queueFromUrl(url: string): LocalQueue {
    const name = url.replace(/\/+$/, '').split('/').pop() ?? '';
    const queue = this.queues.get(name);
    if (queue === undefined) throw queueDoesNotExist();
    return queue;
  }

  private messageOutput(message: QueueMessage, systemAttributeNames: readonly string[], messageAttributeNames: readonly string[] | undefined): Record<string, unknown> {
    const all: Record<string, string | undefined> = {
      ApproximateReceiveCount: String(message.receiveCount),
      ApproximateFirstReceiveTimestamp: message.firstReceiveTimestamp === undefined ? undefined : String(message.firstReceiveTimestamp),
      SentTimestamp: String(message.sentTimestamp),
      SenderId: message.senderId,
      DeadLetterQueueSourceArn: message.deadLetterQueueSourceArn,
    };
    const attributes = Object.fromEntries(Object.entries(all).filter(([name, value]) => value !== undefined && (systemAttributeNames.includes('All') || systemAttributeNames.includes(name))));
    const selectedAttributes = selectMessageAttributes(message.messageAttributes, messageAttributeNames);
    const hasSelected = Object.keys(selectedAttributes).length > 0;
    return {
      MessageId: message.messageId,
      ReceiptHandle: message.receiptHandle,
      MD5OfBody: message.md5OfBody,
      Body: message.body,
      ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
      // SQS-GUESS: the MD5 covers all attributes of the message, as sent, even when only some are returned.
      ...(hasSelected ? { MessageAttributes: selectedAttributes, MD5OfMessageAttributes: message.md5OfMessageAttributes } : {}),
    };
  }

  private queueAttributes(queue: LocalQueue, requested: readonly string[]): Record<string, string> {
    const unknown = requested.find((name) => name !== 'All' && !(QUEUE_ATTRIBUTE_NAMES as readonly string[]).includes(name));
    if (unknown !== undefined) throw sqsError('InvalidAttributeName', `Unknown Attribute ${unknown}.`);
    const counts = queue.counts();
    const { declaration } = queue;
    const createdSeconds = String(Math.floor(queue.createdAt / 1000));
    const values: Record<string, string | undefined> = {
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.notVisible),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(declaration.messageRetentionSeconds ?? 345_600),
      DelaySeconds: String(declaration.delaySeconds ?? 0),
      MaximumMessageSize: String(MAX_MESSAGE_BYTES),
      ReceiveMessageWaitTimeSeconds: '0',
      QueueArn: queue.arn,
      CreatedTimestamp: createdSeconds,
      LastModifiedTimestamp: createdSeconds,
      RedrivePolicy:
        queue.deadLetterQueue === undefined ? undefined : JSON.stringify({ deadLetterTargetArn: queue.deadLetterQueue.arn, maxReceiveCount: declaration.maxReceiveCount ?? 1 }),
    };
    return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined && (requested.includes('All') || requested.includes(entry[0]))));
  }

  private buildOperations(): AwsJsonService['operations'] {
    return {
      SendMessage: operation(schemas.SendMessage, invalidParameterValue, (input) => {
        const queue = this.queueFromUrl(input.QueueUrl);
        const problem = sendProblem(input.MessageBody, input.DelaySeconds, input.MessageAttributes);
        if (problem !== undefined) throw sqsError(problem.code, problem.message);
        const message = queue.send({ body: input.MessageBody, messageAttributes: input.MessageAttributes, delaySeconds: input.DelaySeconds });
        return { MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody, MD5OfMessageAttributes: message.md5OfMessageAttributes };
      }),
      SendMessageBatch: operation(schemas.SendMessageBatch, invalidParameterValue, (input) => {
        const queue = this.queueFromUrl(input.QueueUrl);
        checkBatchEntries(input.Entries);
        const totalBytes = input.Entries.reduce((sum, entry) => sum + Buffer.byteLength(entry.MessageBody), 0);
        if (totalBytes > MAX_MESSAGE_BYTES) {
          throw sqsError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_MESSAGE_BYTES} bytes. You have sent ${totalBytes} bytes.`, 'AWS.SimpleQueueService.BatchRequestTooLong');
        }
        const successful: Record<string, unknown>[] = [];
        const failed: BatchFailure[] = [];
        for (const entry of input.Entries) {
          const problem = sendProblem(entry.MessageBody, entry.DelaySeconds, entry.MessageAttributes);
          if (problem !== undefined) {
            failed.push({ Id: entry.Id, SenderFault: true, Code: problem.code, Message: problem.message });
            continue;
          }
          const message = queue.send({ body: entry.MessageBody, messageAttributes: entry.MessageAttributes, delaySeconds: entry.DelaySeconds });
          successful.push({ Id: entry.Id, MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody, MD5OfMessageAttributes: message.md5OfMessageAttributes });
        }
        return { Successful: successful, Failed: failed };
      }),
      ReceiveMessage: operation(schemas.ReceiveMessage, invalidParameterValue, async (input) => {
        const queue = this.queueFromUrl(input.QueueUrl);
        const max = input.MaxNumberOfMessages ?? 1;
        if (max < 1 || max > 10) throw invalidParameterValue(`Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`);
        const wait = input.WaitTimeSeconds ?? 0;
        if (wait < 0 || wait > 20) throw invalidParameterValue(`Value ${wait} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`);
        const visibility = input.VisibilityTimeout;
        if (visibility !== undefined && (visibility < 0 || visibility > 43_200)) {
          throw invalidParameterValue(`Value ${visibility} for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.`);
        }
        const messages = await queue.receiveWaiting({ maxNumberOfMessages: max, visibilityTimeoutSeconds: visibility, waitSeconds: wait });
        const systemNames = [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])];
        return { Messages: messages.map((message) => this.messageOutput(message, systemNames, input.MessageAttributeNames)) };
      }),
      DeleteMessage: operation(schemas.DeleteMessage, invalidParameterValue, (input) => {
        this.queueFromUrl(input.QueueUrl).delete(input.ReceiptHandle);
        return {};
      }),
      DeleteMessageBatch: operation(schemas.DeleteMessageBatch, invalidParameterValue, (input) => {
        const queue = this.queueFromUrl(input.QueueUrl);
        checkBatchEntries(input.Entries);
        return this.perEntry(input.Entries, (entry) => queue.delete(entry.ReceiptHandle));
      }),
      ChangeMessageVisibility: operation(schemas.ChangeMessageVisibility, invalidParameterValue, (input) => {
        this.queueFromUrl(input.QueueUrl).changeVisibility(input.ReceiptHandle, input.VisibilityTimeout);
        return {};
      }),
      ChangeMessageVisibilityBatch: operation(schemas.ChangeMessageVisibilityBatch, invalidParameterValue, (input) => {
        const queue = this.queueFromUrl(input.QueueUrl);
        checkBatchEntries(input.Entries);
        return this.perEntry(input.Entries, (entry) => queue.changeVisibility(entry.ReceiptHandle, entry.VisibilityTimeout ?? 0));
      }),
      GetQueueUrl: operation(schemas.GetQueueUrl, invalidParameterValue, (input, context: RequestContext) => {
        if (!this.queues.has(input.QueueName)) throw queueDoesNotExist();
        return { QueueUrl: this.queueUrl(input.QueueName, context.endpointUrl) };
      }),
      GetQueueAttributes: operation(schemas.GetQueueAttributes, invalidParameterValue, (input) => ({
        Attributes: this.queueAttributes(this.queueFromUrl(input.QueueUrl), input.AttributeNames ?? []),
      })),
      ListQueues: operation(schemas.ListQueues, invalidParameterValue, (input, context: RequestContext) => {
        const names = [...this.queues.keys()].filter((name) => name.startsWith(input.QueueNamePrefix ?? '')).sort();
        const offset = input.NextToken === undefined ? 0 : Number(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
        if (!Number.isSafeInteger(offset) || offset < 0) throw invalidParameterValue('Invalid NextToken value.');
        // SQS only paginates when MaxResults is given; without it, up to 1000 URLs come back.
        const limit = input.MaxResults ?? 1000;
        const page = names.slice(offset, offset + limit);
        const more = input.MaxResults !== undefined && offset + limit < names.length;
        return {
          QueueUrls: page.map((name) => this.queueUrl(name, context.endpointUrl)),
          ...(more ? { NextToken: Buffer.from(String(offset + limit)).toString('base64url') } : {}),
        };
      }),
      // How `dockmaster redrive` finds a DLQ's source queue, whatever the queues are named.
      ListDeadLetterSourceQueues: operation(schemas.ListDeadLetterSourceQueues, invalidParameterValue, (input, context: RequestContext) => {
        const deadLetterQueue = this.queueFromUrl(input.QueueUrl);
        const sources = [...this.queues.values()].filter((queue) => queue.deadLetterQueue === deadLetterQueue).map((queue) => queue.name).sort();
        const offset = input.NextToken === undefined ? 0 : Number(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
        if (!Number.isSafeInteger(offset) || offset < 0) throw invalidParameterValue('Invalid NextToken value.');
        const limit = input.MaxResults ?? 1000;
        const more = input.MaxResults !== undefined && offset + limit < sources.length;
        return {
          queueUrls: sources.slice(offset, offset + limit).map((name) => this.queueUrl(name, context.endpointUrl)),
          ...(more ? { NextToken: Buffer.from(String(offset + limit)).toString('base64url') } : {}),
        };
      }),
      PurgeQueue: operation(schemas.PurgeQueue, invalidParameterValue, (input) => {
        const queue = this.queueFromUrl(input.QueueUrl);
        if (!queue.purge()) {
          throw sqsError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${queue.name} is allowed every 60 seconds.`, 'AWS.SimpleQueueService.PurgeQueueInProgress', 403);
        }
        return {};
      }),
    };
  }

  /** Runs a per-entry action, turning SQS errors into `Failed` entries as the *Batch operations report them. */
  private perEntry<Entry extends { Id: string }>(entries: readonly Entry[], action: (entry: Entry) => void): object {
    const successful: Array<{ Id: string }> = [];
    const failed: BatchFailure[] = [];
    for (const entry of entries) {
      try {
        action(entry);
        successful.push({ Id: entry.Id });
      } catch (error) {
        if (!(error instanceof Error) || !('code' in error)) throw error;
        failed.push({ Id: entry.Id, SenderFault: true, Code: String(error.code), Message: error.message });
      }
    }
    return { Successful: successful, Failed: failed };
  }
}

export { LocalSqs };
export type { LocalSqsOptions };
