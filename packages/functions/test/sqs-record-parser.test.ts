import { EventType, ParsingError } from '@aws-lambda-powertools/batch';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { parseSqsRecord, sqsRecordWithJsonBody } from '../src/runtime/sqs-record-parser.js';
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

  it('refuses a body nested deeper than EventBridge processes before parsing it', async () => {
    // Prepare
    const body = JSON.stringify(ecrPushEvent()).replace(/}$/, `,"deep":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    const record = sqsRecordFactory(undefined, { body });

    // Act
    const parsing = parseSqsRecord(record, EventType.SQS, logger, parserConfig);

    // Assess
    await expect(parsing).rejects.toBeInstanceOf(ParsingError);
    await expect(parsing).rejects.toThrow('body: the event is nested more than 1000 levels deep (EventBridge processes JSON nested up to 1000 levels)');
  });

  it('refuses a body larger than any event EventBridge delivers', async () => {
    // Prepare
    const body = JSON.stringify({ ...ecrPushEvent(), padding: 'x'.repeat(262_144) });
    const record = sqsRecordFactory(undefined, { body });

    // Act
    const parsing = parseSqsRecord(record, EventType.SQS, logger, parserConfig);

    // Assess
    await expect(parsing).rejects.toThrow(/^body: the event is 26\d{4} bytes; EventBridge events are at most 262144 bytes \(256 KB\)$/);
  });

  it('accepts a body nested exactly as deep as EventBridge processes', async () => {
    // Prepare: the event object and detail are 2 levels; the array adds the other 998.
    const body = JSON.stringify(ecrPushEvent({ id: 'deep' })).replace(/}}$/, `,"deep":${'['.repeat(998)}${']'.repeat(998)}}}`);
    const record = sqsRecordFactory(undefined, { body });

    // Act
    const parsed = (await parseSqsRecord(record, EventType.SQS, logger, parserConfig)) as { body: { id: string } };

    // Assess
    expect(parsed.body.id).toBe('deep');
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
