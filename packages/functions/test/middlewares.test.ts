import { type DockmasterConfig, DockmasterConfigSchema } from '@dockmaster/core/config';
import { AutomationId } from '@dockmaster/core/constants';
import type { Request } from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { BatchContext } from '../src/runtime/middlewares/batch-context.js';
import { configLoader } from '../src/runtime/middlewares/config-loader.js';
import { pauseSwitch } from '../src/runtime/middlewares/pause-switch.js';
import { lambdaContextFactory, sqsEventFactory, sqsRecordFactory } from './factories.js';
import { recordingPausedQueue } from './kept-while-paused.js';
import { silentTelemetry } from './telemetry.js';

/*
 * The cross-cutting middlewares on their own (their behaviour inside a worker is in sqs-batch-handler.test.ts):
 * options checked when the worker is built, and nothing carried from one batch to the next on a reused context.
 */

const configWith = (paused: boolean): DockmasterConfig =>
  DockmasterConfigSchema.parse({
    version: 1,
    registry: { accountId: '111122223333', region: 'eu-central-1' },
    tagPolicies: [{ name: 'p', repositories: ['prod/**'] }],
    ...(paused ? { automations: { 'tag-policy': { paused: true } } } : {}),
  });

const requestFor = (context: BatchContext): Request<SQSEvent, SQSBatchResponse, Error, BatchContext> => ({
  event: sqsEventFactory([sqsRecordFactory({ id: 'e1', 'detail-type': 'ECR Image Action', source: 'aws.ecr', detail: {} })]),
  context,
  response: undefined,
  error: undefined,
  internal: {},
});

describe('configLoader and pauseSwitch', () => {
  it.each([
    ['configLoader without loadConfig', () => configLoader({ logger: silentTelemetry('t').logger } as never), /configLoader: option "loadConfig" must be a function/],
    [
      'pauseSwitch without pausedRecords',
      () => pauseSwitch({ automation: AutomationId.TagPolicy, ...silentTelemetry('t') } as never),
      /pauseSwitch: option "pausedRecords" must be a object, got undefined/,
    ],
    ['pauseSwitch with a null logger', () => pauseSwitch({ automation: AutomationId.TagPolicy, pausedRecords: recordingPausedQueue(), logger: null, metrics: {} } as never), /option "logger" must be a object, got null/],
  ])('rejects %s when the worker is built', (_, build, message) => {
    // Prepare / Act / Assess
    expect(build).toThrow(message);
  });

  it('hands the batch its configuration, and the pause switch only while paused, on a context reused across batches', async () => {
    // Prepare
    let paused = true;
    const loader = configLoader({ loadConfig: async () => configWith(paused), logger: silentTelemetry('t').logger });
    const pause = pauseSwitch({ automation: AutomationId.TagPolicy, pausedRecords: recordingPausedQueue(), ...silentTelemetry('t') });
    const context = lambdaContextFactory() as BatchContext;

    // Act
    await loader.before?.(requestFor(context));
    await pause.before?.(requestFor(context));
    const whilePaused = context.whilePaused;
    paused = false;
    await loader.before?.(requestFor(context));
    await pause.before?.(requestFor(context));

    // Assess
    expect(typeof whilePaused).toBe('function');
    expect(context.dockmasterConfig?.automations?.['tag-policy']?.paused).not.toBe(true);
    expect(context.whilePaused).toBeUndefined();
  });

  it('refuses to run the pause switch before the configuration is loaded', async () => {
    const pause = pauseSwitch({ automation: AutomationId.TagPolicy, pausedRecords: recordingPausedQueue(), ...silentTelemetry('t') });

    await expect(pause.before?.(requestFor(lambdaContextFactory() as BatchContext))).rejects.toThrow(/pauseSwitch runs after configLoader/);
  });
});
