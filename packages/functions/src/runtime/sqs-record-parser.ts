import { EventType, ParsingError } from '@aws-lambda-powertools/batch';
import type { parser as powertoolsBatchParser } from '@aws-lambda-powertools/batch/parser';
import { parse } from '@aws-lambda-powertools/parser';
import { checkJsonTextDepth, EventBridgeLimit, utf8Bytes } from '@dockmaster/core/limits';
import * as z from 'zod';

/*
 * The SQS record as Lambda hands it to a function, per the AWS Lambda developer guide ("Using Lambda with
 * Amazon SQS", example standard queue message event). Declared here rather than taken from
 * @aws-lambda-powertools/parser/schemas/sqs or @aws-lambda-powertools/batch/parser: those modules do
 * `import { z } from 'zod'`, which defeats tree-shaking and puts all of zod (~460 KB) into every worker bundle,
 * about 30 ms of cold start. Parsing itself still goes through Powertools' `parse` (Standard Schema).
 */

/** System attributes Lambda passes for every message; FIFO queues add SequenceNumber, MessageGroupId, MessageDeduplicationId. */
const SqsSystemAttributesSchema = z.looseObject({
  ApproximateReceiveCount: z.string(),
  SentTimestamp: z.string(),
  SenderId: z.string(),
  ApproximateFirstReceiveTimestamp: z.string(),
});

/** A message attribute as Lambda delivers it: the data type plus one of the value fields. */
const SqsMessageAttributeSchema = z.looseObject({
  dataType: z.string(),
  stringValue: z.string().optional(),
  binaryValue: z.string().optional(),
});

const SqsRecordSchema = z.object({
  messageId: z.string(),
  receiptHandle: z.string(),
  body: z.string(),
  attributes: SqsSystemAttributesSchema,
  messageAttributes: z.record(z.string(), SqsMessageAttributeSchema),
  md5OfBody: z.string(),
  md5OfMessageAttributes: z.string().nullish(),
  eventSource: z.literal('aws:sqs'),
  eventSourceARN: z.string(),
  awsRegion: z.string(),
});

/**
 * A string that holds JSON, parsed; a body that is not JSON is an issue at `body`, not an exception. A body
 * larger or more deeply nested than any event EventBridge delivers is refused before it is parsed or walked
 * (an issue, hence INVALID_EVENT: a permanent failure the batch handler sends to the DLQ).
 */
const JsonStringSchema = z.string().transform((text, context): unknown => {
  const bytes = utf8Bytes(text);
  if (bytes > EventBridgeLimit.EVENT_ENTRY_BYTES) {
    context.issues.push({ code: 'custom', input: `${bytes} bytes`, message: `the event is ${bytes} bytes; EventBridge events are at most ${EventBridgeLimit.EVENT_ENTRY_BYTES} bytes (256 KB)` });
    return z.NEVER;
  }
  const depth = checkJsonTextDepth(text);
  if (!depth.ok) {
    context.issues.push({ code: 'custom', input: `${depth.depth} levels`, message: `the event is ${depth.reason}` });
    return z.NEVER;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    context.issues.push({ code: 'custom', input: text, message: `not valid JSON (${(error as Error).message})` });
    return z.NEVER;
  }
});

/** The SQS record schema whose `body` is JSON holding what `bodySchema` accepts (the EventBridge event). */
const sqsRecordWithJsonBody = <Body extends z.ZodType>(bodySchema: Body) => SqsRecordSchema.extend({ body: JsonStringSchema.pipe(bodySchema) });

type StandardIssue = { message: string; path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> };

const formatIssue = ({ message, path }: StandardIssue): string => {
  const where = (path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.');
  return where === '' ? message : `${where}: ${message}`;
};

/**
 * The `parser` of Powertools' BatchProcessor parser integration, for SQS records and a full record `schema`
 * (see sqsRecordWithJsonBody). Throws Powertools' ParsingError naming every issue with its path, so the failure
 * classification (./errors.ts) treats it as an invalid event.
 */
const parseSqsRecord: typeof powertoolsBatchParser = async (record, eventType, logger, parserConfig) => {
  if (eventType !== EventType.SQS) throw new ParsingError(`parseSqsRecord parses SQS records only, not ${eventType}`);
  if (parserConfig.schema === undefined) throw new ParsingError('parseSqsRecord needs the full record schema (sqsRecordWithJsonBody)');
  const result = parse(record, undefined, parserConfig.schema, true);
  if (result.success) return result.data as Awaited<ReturnType<typeof powertoolsBatchParser>>;
  const issues = (result.error.cause ?? []) as readonly StandardIssue[];
  const message = issues.map(formatIssue).join('; ') || result.error.message;
  logger.debug(`record does not parse: ${message}`);
  throw new ParsingError(message);
};

export { parseSqsRecord, sqsRecordWithJsonBody };
