import { randomUUID } from 'node:crypto';
import { AutomationId } from '@dockmaster/core/constants';
import { awsSampleEvent } from '@dockmaster/core/testing';
import { createCacheRepositoryHandler } from '@dockmaster/functions/handlers/cache-repository';
import { createPrepopulateHandler } from '@dockmaster/functions/handlers/prepopulate';
import { createReplicationHandler } from '@dockmaster/functions/handlers/replication';
import { createScanAlertHandler } from '@dockmaster/functions/handlers/scan-alert';
import { createTagPolicyHandler } from '@dockmaster/functions/handlers/tag-policy';
import { lambdaContext, type WorkerHandler } from '@dockmaster/local/runner';
import type { LocalQueue } from '@dockmaster/local/sqs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { garbageBody } from './support/garbage.js';
import { startReliabilityStack, type ReliabilityStack } from './support/reliability-stack.js';
import { createRepositoryEvent } from './support/sample-events.js';

/*
 * Garbage in SQS: random JSON, text, truncated bodies, samples with fields missing, added, of the wrong type,
 * huge or in odd unicode. Each record is received from the worker's real local queue and handed to the
 * production handler as Lambda would. Whatever it is, the handler answers (no crash), a rejected record is a
 * batch item failure (or a dead letter) with a one-line reason, and no garbage ever causes an ECR write.
 */

const RUNS_PER_WORKER = 60;
const STACK_TRACE = /\n\s+at \S/;
const ECR_WRITES = [
  'createRepository',
  'createRepositoryInternal',
  'deleteRepository',
  'putImage',
  'batchDeleteImage',
  'setRepositoryPolicy',
  'deleteRepositoryPolicy',
  'putImageScanningConfiguration',
  'putImageTagMutability',
  'putLifecyclePolicy',
  'deleteLifecyclePolicy',
] as const;

type LogLine = { level: string; message: string; error?: string };
type Outcome = { failed: boolean; reasons: string[]; deadLetterReasons: string[]; dockmasterEvents: number };

let h: ReliabilityStack;
let ecrWrites = 0;
const logs: LogLine[] = [];

/**
 * The samples each worker is built for, as AWS wrote them: about repositories no policy, prefix or route of
 * the example covers, so that even a mutation that stays valid has nothing to write (except scan-alert's
 * catch-all route, which only reads).
 */
const samplesFor = (automation: AutomationId): unknown[] => {
  const origin = { account: '123456789012', region: 'us-east-2' };
  switch (automation) {
    case AutomationId.TagPolicy:
      return [awsSampleEvent('ecr-image-action-push-success.json'), awsSampleEvent('ecr-image-action-delete.json')];
    case AutomationId.CacheRepository:
      return [createRepositoryEvent(origin, 'testrepo'), awsSampleEvent('ecr-pull-through-cache-action.normalized.json'), awsSampleEvent('ecr-replication-action-success.json')];
    case AutomationId.ScanAlert:
      return [awsSampleEvent('ecr-image-scan-basic-complete.json'), awsSampleEvent('inspector2-finding-ecr.json'), awsSampleEvent('inspector2-scan-ecr-initial.json')];
    case AutomationId.Replication:
      return [awsSampleEvent('ecr-replication-action-failed.json')];
    case AutomationId.Prepopulate:
      return [{ kind: 'warm', id: 'run-1:vendor/tool:1.0', repository: 'vendor/tool', tag: '1.0' }];
  }
};

/**
 * A valid record each worker processes without writing or announcing anything (no policy, prefix or failure
 * applies). It rides in the same batch as the garbage: Lambda batches unrelated messages together, and a bad
 * record must not take the good ones down with it.
 */
const canaryFor = (automation: AutomationId): string => {
  const fresh = (sample: string, change: (event: Record<string, unknown>) => void = () => undefined): string => {
    const event = { ...(awsSampleEvent(sample) as Record<string, unknown>), id: randomUUID() };
    change(event);
    return JSON.stringify(event);
  };
  switch (automation) {
    case AutomationId.TagPolicy:
      return fresh('ecr-image-action-push-success.json');
    case AutomationId.CacheRepository:
      return fresh('ecr-pull-through-cache-action.normalized.json');
    case AutomationId.ScanAlert:
      // Findings below the example's CRITICAL threshold: nothing to alert, nothing to read.
      return fresh('ecr-image-scan-basic-complete.json', (event) => {
        event['detail'] = { ...(event['detail'] as object), 'finding-severity-counts': { MEDIUM: 9 } };
      });
    case AutomationId.Replication:
      return fresh('ecr-replication-action-success.json');
    case AutomationId.Prepopulate:
      return JSON.stringify({ kind: 'warm', id: randomUUID(), repository: 'vendor/tool', tag: '1.0' });
  }
};

/** The production factories, each building its worker from the stack's environment. */
const FACTORIES: Record<AutomationId, () => WorkerHandler> = {
  [AutomationId.TagPolicy]: () => createTagPolicyHandler(),
  [AutomationId.CacheRepository]: () => createCacheRepositoryHandler(),
  [AutomationId.ScanAlert]: () => createScanAlertHandler(),
  [AutomationId.Replication]: () => createReplicationHandler(),
  [AutomationId.Prepopulate]: () => createPrepopulateHandler(),
};

/**
 * Builds the worker with Powertools in development mode at debug level, so its logger writes through the
 * global console, where the test reads why a record was rejected (the batch processor logs parse failures
 * at debug level only).
 */
const createWorker = (automation: AutomationId): WorkerHandler => {
  const previous = { level: process.env.POWERTOOLS_LOG_LEVEL, dev: process.env.POWERTOOLS_DEV };
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
  process.env.POWERTOOLS_DEV = 'true';
  try {
    return FACTORIES[automation]();
  } finally {
    process.env.POWERTOOLS_LOG_LEVEL = previous.level;
    if (previous.dev === undefined) delete process.env.POWERTOOLS_DEV;
    else process.env.POWERTOOLS_DEV = previous.dev;
  }
};

const captureConsole = (): void => {
  for (const level of ['debug', 'info', 'warn', 'error', 'log'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      const [text] = args;
      if (typeof text !== 'string') return;
      try {
        const parsed = JSON.parse(text) as { level?: string; message?: string; error?: { message?: string } };
        logs.push({ level: (parsed.level ?? level).toLowerCase(), message: parsed.message ?? '', ...(parsed.error?.message === undefined ? {} : { error: parsed.error.message }) });
      } catch {
        logs.push({ level, message: text });
      }
    });
  }
};

/** Why the worker rejected the record, from its log: the parse failure, or the error it failed with. */
const rejectionReasons = (lines: readonly LogLine[]): string[] => [
  ...lines.filter((line) => line.message.startsWith('Failed to parse record')).map((line) => line.message),
  ...lines.filter((line) => line.level === 'error').map((line) => line.error ?? line.message),
];

/** Takes everything out of a queue, returning the messages. */
const takeAll = (queue: LocalQueue | undefined) => {
  const taken = [];
  if (queue === undefined) return [];
  for (let received = queue.receive({ maxNumberOfMessages: 10 }); received.length > 0; received = queue.receive({ maxNumberOfMessages: 10 })) {
    for (const message of received) {
      taken.push(message);
      if (message.receiptHandle !== undefined) queue.delete(message.receiptHandle);
    }
  }
  return taken;
};

const specOf = (automation: AutomationId) => {
  const spec = h.stack.topology.automations.find((candidate) => candidate.id === automation);
  if (spec === undefined) throw new Error(`no ${automation} in the topology`);
  return spec;
};

/** Messages in any dead-letter queue with one of these bodies (taken out of the queue). */
const deadLettersWith = (bodies: readonly string[]) =>
  h.stack.topology.automations.flatMap((candidate) =>
    candidate.rules.length === 0 ? [] : takeAll(h.queue(candidate.id).deadLetterQueue).filter((message) => bodies.includes(message.body)),
  );

/**
 * One garbage body and the worker's canary, received as one batch from the worker's real queue and handed
 * to the handler as Lambda's SQS event source would.
 */
const deliver = async (automation: AutomationId, handler: WorkerHandler, body: string): Promise<Outcome> => {
  const queue = h.queue(automation);
  const eventsBefore = h.dockmasterEvents().length;
  const logsBefore = logs.length;
  queue.send({ body });
  queue.send({ body: canaryFor(automation) });
  const records = queue.receiveBatch(2);
  const garbage = records.find((record) => record.body === body);
  const response = await handler({ Records: records }, lambdaContext({ automation: specOf(automation), account: h.origin.account, region: h.origin.region, startedAt: performance.now() }));
  for (const record of records) queue.delete(record.receiptHandle);
  const failures = response?.batchItemFailures ?? [];
  // Only the garbage may fail: the canary of the same batch is processed.
  expect(failures.every((failure) => failure.itemIdentifier === garbage?.messageId)).toBe(true);
  const deadLetters = deadLettersWith([body]);
  return {
    failed: failures.length > 0,
    reasons: rejectionReasons(logs.slice(logsBefore)),
    deadLetterReasons: deadLetters.map((message) => message.messageAttributes['DockmasterFailureReason']?.StringValue ?? ''),
    dockmasterEvents: h.dockmasterEvents().length - eventsBefore,
  };
};

beforeAll(async () => {
  h = await startReliabilityStack();
  for (const method of ECR_WRITES) {
    vi.spyOn(h.stack.ecr, method).mockImplementation(((...args: never[]) => {
      ecrWrites += 1;
      return (h.stack.ecr.constructor.prototype[method] as (...input: never[]) => unknown).apply(h.stack.ecr, args);
    }) as never);
  }
  captureConsole();
});

afterAll(async () => {
  vi.restoreAllMocks();
  await h?.stop();
});

describe.each([AutomationId.TagPolicy, AutomationId.CacheRepository, AutomationId.ScanAlert, AutomationId.Replication, AutomationId.Prepopulate])(
  'the %s worker fed garbage through SQS',
  (automation) => {
    it('answers every batch, rejects garbage with a one-line reason and never writes to ECR', async () => {
      // Prepare
      const handler = createWorker(automation);
      const samples = samplesFor(automation);
      let rejected = 0;

      // Act + Assess, per generated body
      await fc.assert(
        fc.asyncProperty(garbageBody(samples), async (body) => {
          const outcome = await deliver(automation, handler, body);
          const deadLettered = outcome.deadLetterReasons.length > 0;
          if (outcome.failed || deadLettered) {
            rejected += 1;
            const reasons = outcome.failed ? outcome.reasons : outcome.deadLetterReasons;
            expect(reasons.length).toBeGreaterThan(0);
            for (const reason of reasons) {
              expect(reason.trim()).not.toBe('');
              expect(reason).not.toMatch(STACK_TRACE);
            }
            // Nothing was announced for a record that was not processed.
            expect(outcome.dockmasterEvents).toBe(0);
          }
          expect(ecrWrites).toBe(0);
        }),
        { numRuns: RUNS_PER_WORKER, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31) },
      );

      // Assess: the generator produced garbage, not mostly valid events.
      expect(rejected).toBeGreaterThan(RUNS_PER_WORKER / 2);
    });
  },
);

describe('a batch in which no record is an event', () => {
  it('fails every record with its own one-line reason and writes nothing', async () => {
    // Prepare: a truncated body and a body that is not JSON at all, alone in their batch.
    const handler = createWorker(AutomationId.Replication);
    const queue = h.queue(AutomationId.Replication);
    const bodies = [JSON.stringify(awsSampleEvent('ecr-replication-action-failed.json')).slice(0, 57), 'not json at all'];
    for (const body of bodies) queue.send({ body });
    const records = queue.receiveBatch(10);
    const writesBefore = ecrWrites;
    const eventsBefore = h.dockmasterEvents().length;

    // Act: a fully failed batch is answered record by record (throwOnFullBatchFailure is off), never thrown
    const response = await handler({ Records: records }, lambdaContext({ automation: specOf(AutomationId.Replication), account: h.origin.account, region: h.origin.region, startedAt: performance.now() }));
    const failedIds = (response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier);
    for (const record of records) queue.delete(record.receiptHandle);
    const deadLettered = deadLettersWith(bodies);

    // Assess: each record either failed or went to the DLQ, with a reason, and nothing happened.
    for (const record of records) {
      const letter = deadLettered.find((message) => message.body === record.body);
      expect(failedIds.includes(record.messageId) || letter?.messageAttributes['DockmasterFailureReason']?.StringValue !== undefined).toBe(true);
    }
    for (const letter of deadLettered) expect(letter.messageAttributes['DockmasterFailureReason']?.StringValue ?? '').not.toMatch(STACK_TRACE);
    expect(ecrWrites).toBe(writesBefore);
    expect(h.dockmasterEvents().length).toBe(eventsBefore);
  });
});
