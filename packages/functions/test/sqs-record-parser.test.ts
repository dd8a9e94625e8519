import { EventType, ParsingError } from '@aws-lambda-powertools/batch';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { parseSqsRecord, sqsRecordWithJsonBody } from '../src/sqs-record-parser.js';
import { ecrPushEvent, sqsRecordFactory } from './factories.js';

const PushSchema = z.object({ id: z.string(), detail: z.object({ 'repository-name': z.string() }) });
const logger = { debug: vi.fn(), warn: vi.fn(), error: vi.fn() };
const parserConfig = { parser: parseSqsRecord, schema: sqsRecordWithJsonBody(PushSchema) };

describe('parseSqsRecord', () => {
  it('parses the JSON body of a record into the event schema, keeping the record fields', async () => {
    // Prepare
    const record = sqsRecordFactory(ecrPushEvent({ id: 'event-1', repository: 'team/app' }), { messageId: 'message-1' });

    // Act
    const parsed = (await parseSqsRecord(record, EventType.SQS, logger, parserConfig)) as { messageId: string; body: unknown };

    // Assess
    expect(parsed.messageId).toBe('message-1');
    expect(parsed.body).toEqual({ id: 'event-1', detail: { 'repository-name': 'team/app' } });
  });

  it('names the body when it is not JSON', async () => {
    // Prepare
    const record = sqsRecordFactory(undefined, { body: '{"id": "truncated' });

    // Act
    const parsing = parseSqsRecord(record, EventType.SQS, logger, parserConfig);

    // Assess
    await expect(parsing).rejects.toBeInstanceOf(ParsingError);
    await expect(parsing).rejects.toThrow(/^body: not valid JSON \(/);
  });

  it('reports every schema issue with its path', async () => {
    // Prepare
    const record = sqsRecordFactory({ id: 7, detail: {} });

    // Act
    const parsing = parseSqsRecord(record, EventType.SQS, logger, parserConfig);

    // Assess
    await expect(parsing).rejects.toThrow(/body\.id: .*; body\.detail\.repository-name: /);
  });

  it('rejects a record that is not an SQS record', async () => {
    // Prepare
    const { eventSource: _, ...withoutSource } = sqsRecordFactory(ecrPushEvent());
    const record = { ...withoutSource, eventSource: 'aws:kinesis' };

    // Act
    const parsing = parseSqsRecord(record as never, EventType.SQS, logger, parserConfig);

    // Assess
    await expect(parsing).rejects.toThrow(/^eventSource: /);
  });

  it('refuses other event types and a configuration without the full record schema', async () => {
    // Prepare
    const record = sqsRecordFactory(ecrPushEvent());

    // Act
    const otherType = parseSqsRecord(record, EventType.KinesisDataStreams, logger, parserConfig);
    const innerOnly = parseSqsRecord(record, EventType.SQS, logger, { parser: parseSqsRecord, innerSchema: PushSchema });

    // Assess
    await expect(otherType).rejects.toThrow('SQS records only');
    await expect(innerOnly).rejects.toThrow('full record schema');
  });
});
