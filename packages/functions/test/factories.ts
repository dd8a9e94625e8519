import { randomUUID } from 'node:crypto';
import type { EcrImageActionEvent } from '@dockmaster/core/events/ecr-image-action';
import { awsSampleEvent } from '@dockmaster/core/testing';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

type PushVariant = { id?: string; repository?: string; tag?: string | null; digest?: string };

/**
 * The real sample push (ecr-image-action-push-success.json) with other ids, repositories, tags or digests;
 * `tag: null` removes the tag, as for the platform images of an index.
 */
const ecrPushEvent = (variant: PushVariant = {}): EcrImageActionEvent => {
  const sample = awsSampleEvent('ecr-image-action-push-success.json') as EcrImageActionEvent;
  const { 'image-tag': sampleTag, ...detail } = sample.detail;
  const tag = variant.tag === undefined ? sampleTag : variant.tag;
  return {
    ...sample,
    id: variant.id ?? sample.id,
    detail: {
      ...detail,
      'repository-name': variant.repository ?? detail['repository-name'],
      'image-digest': variant.digest ?? detail['image-digest'],
      ...(tag === null ? {} : { 'image-tag': tag }),
    },
  };
};

/** An SQS record as EventBridge delivers it to a queue: the whole event as a JSON body. `body` overrides it raw. */
const sqsRecordFactory = (eventBridgeEvent: unknown, overrides: { messageId?: string; body?: string } = {}): SQSRecord => {
  const messageId = overrides.messageId ?? randomUUID();
  return {
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body: overrides.body ?? JSON.stringify(eventBridgeEvent),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1700000000000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1700000000001',
    },
    messageAttributes: {},
    md5OfBody: 'd41d8cd98f00b204e9800998ecf8427e',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-central-1:111122223333:dockmaster-tag-policy',
    awsRegion: 'eu-central-1',
  };
};

const sqsEventFactory = (records: SQSRecord[]): SQSEvent => ({ Records: records });

/** A Lambda context with a generous remaining time (idempotency uses it to bound in-progress records). */
const lambdaContextFactory = (overrides: Partial<Context> = {}): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'dockmaster-tag-policy',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-central-1:111122223333:function:dockmaster-tag-policy',
  memoryLimitInMB: '1024',
  awsRequestId: randomUUID(),
  logGroupName: '/aws/lambda/dockmaster-tag-policy',
  logStreamName: '2026/01/01/[$LATEST]0123456789abcdef',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
  ...overrides,
});

/** Invokes a worker as Lambda does: the records as one SQS batch, with a fresh context. */
const invokeWorker = <Response>(handler: (event: SQSEvent, context: Context) => Promise<Response>, records: SQSRecord[]): Promise<Response> =>
  handler(sqsEventFactory(records), lambdaContextFactory());

export { awsSampleEvent, ecrPushEvent, invokeWorker, lambdaContextFactory, sqsEventFactory, sqsRecordFactory };
export type { PushVariant };
