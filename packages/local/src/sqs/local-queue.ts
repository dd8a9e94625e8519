import { regionalArn } from '@dockmaster/core/topology';
import { randomUUID } from 'node:crypto';
import { DeadLetterAttribute } from '@dockmaster/core/constants';
import type { SQSBatchItemFailure, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import type { Clock } from '../aws-endpoint/clock.js';
import { md5Hex, md5OfMessageAttributes } from './message-md5.js';
import type { MessageAttributeValue } from './message-md5.js';
import { invalidParameterValue, messageNotInflight, receiptHandleIsInvalid } from './sqs-errors.js';

/** A queue of the local stack, declared like the infra declares it. */
interface QueueDeclaration {
  name: string;
  /** Default 30 (SQS default). */
  visibilityTimeoutSeconds?: number;
  /** Receives before the message moves to `deadLetterQueueName`; needs both to redrive. */
  maxReceiveCount?: number;
  deadLetterQueueName?: string;
  /** Default 345600 (4 days, SQS default). */
  messageRetentionSeconds?: number;
  /** Default 0. */
  delaySeconds?: number;
}

interface QueueMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  messageAttributes: Record<string, MessageAttributeValue>;
  md5OfMessageAttributes: string | undefined;
  sentTimestamp: number;
  senderId: string;
  receiveCount: number;
  firstReceiveTimestamp: number | undefined;
  visibleAt: number;
  receiptHandle: string | undefined;
  deadLetterQueueSourceArn: string | undefined;
  lastFailureReason: string | undefined;
}

interface ReceiveOptions {
  maxNumberOfMessages: number;
  visibilityTimeoutSeconds?: number | undefined;
}

/** A batch item failure as the local stack reports it: Lambda's shape plus an optional reason kept for the DLQ. */
interface BatchItemFailure extends SQSBatchItemFailure {
  reason?: string;
}

const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
const DEFAULT_RETENTION_SECONDS = 345_600;
const SENDER_ID = 'AIDALOCALDOCKMASTER';

class LocalQueue {
  public readonly name: string;
  public readonly arn: string;
  public readonly region: string;
  public readonly createdAt: number;
  public readonly declaration: QueueDeclaration;
  /** Set by LocalSqs once every queue exists. */
  public deadLetterQueue: LocalQueue | undefined;
  private messages: QueueMessage[] = [];
  private readonly clock: Clock;
  private readonly availabilityListeners = new Set<() => void>();
  private lastPurgeAt: number | undefined;

  public constructor(declaration: QueueDeclaration, options: { accountId: string; region: string; clock: Clock }) {
    this.declaration = declaration;
    this.name = declaration.name;
    this.region = options.region;
    this.arn = regionalArn({ accountId: options.accountId, region: options.region }, 'sqs', declaration.name);
    this.clock = options.clock;
    this.createdAt = options.clock.now();
  }

  public get visibilityTimeoutSeconds(): number {
    return this.declaration.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS;
  }

  private get retentionMs(): number {
    return (this.declaration.messageRetentionSeconds ?? DEFAULT_RETENTION_SECONDS) * 1000;
  }

  /** Called whenever a message may have become receivable (sent, or made visible again); returns an unsubscribe function. */
  public onMessageAvailable(listener: () => void): () => void {
    this.availabilityListeners.add(listener);
    return () => this.availabilityListeners.delete(listener);
  }

  private announceAvailable(): void {
    for (const listener of [...this.availabilityListeners]) listener();
  }

  private dropExpired(): void {
    const now = this.clock.now();
    // Retention counts from the original enqueue time, also after a move to the DLQ (as SQS does for standard queues).
    this.messages = this.messages.filter((message) => message.sentTimestamp + this.retentionMs > now);
  }

  public send(input: { body: string; messageAttributes?: Record<string, MessageAttributeValue> | undefined; delaySeconds?: number | undefined }): QueueMessage {
    const now = this.clock.now();
    const messageAttributes = input.messageAttributes ?? {};
    const message: QueueMessage = {
      messageId: randomUUID(),
      body: input.body,
      md5OfBody: md5Hex(input.body),
      messageAttributes,
      md5OfMessageAttributes: md5OfMessageAttributes(messageAttributes),
      sentTimestamp: now,
      senderId: SENDER_ID,
      receiveCount: 0,
      firstReceiveTimestamp: undefined,
      visibleAt: now + (input.delaySeconds ?? this.declaration.delaySeconds ?? 0) * 1000,
      receiptHandle: undefined,
      deadLetterQueueSourceArn: undefined,
      lastFailureReason: undefined,
    };
    this.messages.push(message);
    // Decide before announcing: a parked long poll may receive (and re-hide) the message synchronously.
    const delayMs = message.visibleAt - now;
    if (delayMs > 0) this.clock.setTimer(delayMs, () => this.announceAvailable());
    else this.announceAvailable();
    return message;
  }

  /** Takes in a message redriven from another queue, keeping its id, body, attributes and enqueue time. */
  private acceptDeadLetter(message: QueueMessage, sourceArn: string): void {
    const messageAttributes = { ...message.messageAttributes };
    if (message.lastFailureReason !== undefined) messageAttributes[DeadLetterAttribute.FailureReason] = { DataType: 'String', StringValue: message.lastFailureReason };
    this.messages.push({
      ...message,
      messageAttributes,
      md5OfMessageAttributes: md5OfMessageAttributes(messageAttributes),
      // SQS-GUESS: the receive count starts again in the dead-letter queue.
      receiveCount: 0,
      firstReceiveTimestamp: undefined,
      visibleAt: this.clock.now(),
      receiptHandle: undefined,
      deadLetterQueueSourceArn: sourceArn,
    });
    this.announceAvailable();
  }

  /**
   * Receives up to `maxNumberOfMessages` visible messages and hides them for the visibility timeout.
   * A message already received maxReceiveCount times moves to the dead-letter queue instead (SQS redrives on the receive after the last allowed one).
   */
  public receive(options: ReceiveOptions): QueueMessage[] {
    this.dropExpired();
    const now = this.clock.now();
    const visibilityMs = (options.visibilityTimeoutSeconds ?? this.visibilityTimeoutSeconds) * 1000;
    const received: QueueMessage[] = [];
    for (const message of [...this.messages]) {
      if (received.length >= options.maxNumberOfMessages) break;
      if (message.visibleAt > now) continue;
      const { maxReceiveCount } = this.declaration;
      if (this.deadLetterQueue !== undefined && maxReceiveCount !== undefined && message.receiveCount >= maxReceiveCount) {
        this.messages = this.messages.filter((candidate) => candidate !== message);
        this.deadLetterQueue.acceptDeadLetter(message, this.arn);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
      message.visibleAt = now + visibilityMs;
      message.receiptHandle = Buffer.from(JSON.stringify({ queue: this.name, messageId: message.messageId, nonce: randomUUID() })).toString('base64url');
      if (visibilityMs > 0) this.clock.setTimer(visibilityMs, () => this.announceAvailable());
      received.push(message);
    }
    return received;
  }

  /** Long polling: answers as soon as a message can be received, or with nothing after `waitSeconds`. */
  public async receiveWaiting(options: ReceiveOptions & { waitSeconds: number }): Promise<QueueMessage[]> {
    const immediate = this.receive(options);
    if (immediate.length > 0 || options.waitSeconds <= 0) return immediate;
    return new Promise((resolve) => {
      const cancelTimer = this.clock.setTimer(options.waitSeconds * 1000, () => finish([]));
      const unsubscribe = this.onMessageAvailable(() => {
        const received = this.receive(options);
        if (received.length > 0) finish(received);
      });
      function finish(received: QueueMessage[]): void {
        cancelTimer();
        unsubscribe();
        resolve(received);
      }
    });
  }

  private messageForHandle(receiptHandle: string): { message: QueueMessage | undefined } {
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(receiptHandle, 'base64url').toString('utf8'));
    } catch {
      throw receiptHandleIsInvalid(receiptHandle);
    }
    if (typeof decoded !== 'object' || decoded === null || !('queue' in decoded) || !('messageId' in decoded) || decoded.queue !== this.name) {
      throw receiptHandleIsInvalid(receiptHandle);
    }
    return { message: this.messages.find((candidate) => candidate.messageId === decoded.messageId) };
  }

  /**
   * Deletes by receipt handle. As documented for SQS, an outdated handle (the message was received
   * again since) succeeds without deleting, and so does a handle of an already deleted message.
   */
  public delete(receiptHandle: string): void {
    const { message } = this.messageForHandle(receiptHandle);
    if (message !== undefined && message.receiptHandle === receiptHandle) this.messages = this.messages.filter((candidate) => candidate !== message);
  }

  public changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): void {
    if (!Number.isInteger(visibilityTimeoutSeconds) || visibilityTimeoutSeconds < 0 || visibilityTimeoutSeconds > 43_200) {
      throw invalidParameterValue(`Value ${visibilityTimeoutSeconds} for parameter VisibilityTimeout is invalid. Reason: must be between 0 and 43200.`);
    }
    const { message } = this.messageForHandle(receiptHandle);
    const now = this.clock.now();
    if (message === undefined || message.receiptHandle !== receiptHandle || message.visibleAt <= now) throw messageNotInflight();
    message.visibleAt = now + visibilityTimeoutSeconds * 1000;
    if (visibilityTimeoutSeconds === 0) this.announceAvailable();
    else this.clock.setTimer(visibilityTimeoutSeconds * 1000, () => this.announceAvailable());
  }

  /** Returns false when a purge ran less than 60 s ago (SQS then answers PurgeQueueInProgress). */
  public purge(): boolean {
    const now = this.clock.now();
    if (this.lastPurgeAt !== undefined && now - this.lastPurgeAt < 60_000) return false;
    this.lastPurgeAt = now;
    this.messages = [];
    return true;
  }

  public counts(): { visible: number; notVisible: number; delayed: number } {
    this.dropExpired();
    const now = this.clock.now();
    let visible = 0;
    let notVisible = 0;
    let delayed = 0;
    for (const message of this.messages) {
      if (message.visibleAt <= now) visible += 1;
      else if (message.receiveCount === 0) delayed += 1;
      else notVisible += 1;
    }
    return { visible, notVisible, delayed };
  }

  // ---------------------------------------------------------------- consumer API for invoking workers like Lambda's SQS event source

  /** Receives up to `max` messages (1-10) with the queue's visibility timeout, shaped exactly like Lambda's SQS event records. */
  public receiveBatch(max: number): SQSRecord[] {
    return this.receive({ maxNumberOfMessages: Math.min(Math.max(max, 1), 10) }).map((message) => this.toRecord(message));
  }

  /**
   * Settles a batch the way Lambda does with ReportBatchItemFailures: successes are deleted,
   * failures stay hidden until their visibility timeout ends and then come back (towards the DLQ).
   * An identifier that names no record of the batch fails the whole batch, as in Lambda.
   */
  public settle(records: readonly SQSRecord[], batchItemFailures: readonly BatchItemFailure[]): void {
    const ids = new Set(records.map((record) => record.messageId));
    const wholeBatchFails = batchItemFailures.some((failure) => !ids.has(failure.itemIdentifier));
    const failed = new Map(batchItemFailures.map((failure) => [failure.itemIdentifier, failure.reason]));
    for (const record of records) {
      if (wholeBatchFails || failed.has(record.messageId)) {
        const message = this.messages.find((candidate) => candidate.messageId === record.messageId);
        const reason = failed.get(record.messageId);
        if (message !== undefined && reason !== undefined) message.lastFailureReason = reason;
        continue;
      }
      this.delete(record.receiptHandle);
    }
  }

  private toRecord(message: QueueMessage): SQSRecord {
    const messageAttributes: SQSMessageAttributes = {};
    for (const [name, attribute] of Object.entries(message.messageAttributes)) {
      messageAttributes[name] = {
        ...(attribute.StringValue === undefined ? {} : { stringValue: attribute.StringValue }),
        ...(attribute.BinaryValue === undefined ? {} : { binaryValue: attribute.BinaryValue }),
        stringListValues: [],
        binaryListValues: [],
        dataType: attribute.DataType,
      };
    }
    return {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle ?? '',
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentTimestamp),
        SenderId: message.senderId,
        ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? this.clock.now()),
        ...(message.deadLetterQueueSourceArn === undefined ? {} : { DeadLetterQueueSourceArn: message.deadLetterQueueSourceArn }),
      },
      messageAttributes,
      md5OfBody: message.md5OfBody,
      ...(message.md5OfMessageAttributes === undefined ? {} : { md5OfMessageAttributes: message.md5OfMessageAttributes }),
      eventSource: 'aws:sqs',
      eventSourceARN: this.arn,
      awsRegion: this.region,
    };
  }
}

export { LocalQueue };
export type { BatchItemFailure, QueueDeclaration, QueueMessage, ReceiveOptions };
