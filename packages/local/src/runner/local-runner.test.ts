import { setTimeout as delay } from 'node:timers/promises';
import { loadConfig } from '@dockmaster/core/config';
import { buildTopology, type Topology } from '@dockmaster/core/topology';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../aws-endpoint/index.js';
import { LocalSqs } from '../sqs/index.js';
import { deadLetterQueueName, queueDeclarations, queueName } from '../stack/queues.js';
import { LocalRunner, type RunnerEvent } from './local-runner.js';
import type { WorkerHandler, WorkerModule } from './worker-module.js';
import { exampleConfigText } from '@dockmaster/core/testing';

let topology: Topology;
let runner: LocalRunner | undefined;

type Invocation = { automation: string; event: SQSEvent; context: Context };

beforeAll(async () => {
  const text = exampleConfigText();
  const loaded = loadConfig(text, 'dockmaster.example.yaml');
  if (!loaded.ok) throw new Error('the example configuration must be valid');
  topology = buildTopology(loaded.config, { busName: 'dockmaster-local' });
});

afterEach(async () => {
  await runner?.stop();
  runner = undefined;
});

/** A stack without registries: queues from the topology on a manual clock, and the given fake workers. */
const startRunner = async (workers: Partial<Record<string, (event: SQSEvent) => Promise<SQSBatchResponse | void>>>) => {
  const clock = new ManualClock(Date.now());
  const sqs = new LocalSqs({ queues: queueDeclarations(topology), clock });
  const invocations: Invocation[] = [];
  const events: RunnerEvent[] = [];
  const loadWorker = async (handler: string): Promise<WorkerModule> => {
    const automation = topology.automations.find((candidate) => candidate.function.handler === handler)?.id ?? '?';
    const worker = workers[automation];
    if (worker === undefined) return { ok: false, file: handler, reason: `${automation} is not written yet` };
    const handlerFn: WorkerHandler = async (event, context) => {
      invocations.push({ automation, event, context });
      return worker(event);
    };
    return { ok: true, file: handler, handler: handlerFn };
  };
  runner = await LocalRunner.start({
    topology,
    queueFor: (automation) => sqs.queue(queueName(topology, automation)),
    loadWorker,
    onEvent: (event) => events.push(event),
    schedules: false,
  });
  const queue = (automation: string) => sqs.queue(queueName(topology, automation as never));
  const dlq = (automation: string) => sqs.queue(deadLetterQueueName(topology, automation as never));
  return { runner, clock, invocations, events, queue, dlq };
};

describe('LocalRunner', () => {
  it('invokes the worker with a real SQS event and a Lambda-like context, and deletes what succeeded', async () => {
    // Prepare
    const { runner: started, invocations, queue } = await startRunner({ 'tag-policy': async () => ({ batchItemFailures: [] }) });

    // Act
    queue('tag-policy').send({ body: '{"hello":"tag-policy"}' });
    await started.waitForIdle(5_000);

    // Assess
    expect(invocations).toHaveLength(1);
    const [invocation] = invocations;
    expect(invocation?.event.Records.map((record) => ({ body: record.body, eventSource: record.eventSource, arn: record.eventSourceARN }))).toEqual([
      { body: '{"hello":"tag-policy"}', eventSource: 'aws:sqs', arn: queue('tag-policy').arn },
    ]);
    expect(invocation?.context.functionName).toBe('dockmaster-tag-policy');
    expect(invocation?.context.invokedFunctionArn).toBe('arn:aws:lambda:eu-central-1:111122223333:function:dockmaster-tag-policy');
    expect(invocation?.context.memoryLimitInMB).toBe('512');
    expect(invocation?.context.getRemainingTimeInMillis()).toBeLessThanOrEqual(60_000);
    expect(invocation?.context.getRemainingTimeInMillis()).toBeGreaterThan(50_000);
    expect(queue('tag-policy').counts()).toEqual({ visible: 0, notVisible: 0, delayed: 0 });
  });

  it('retries a reported batch item failure after the visibility timeout and dead-letters it after maxReceiveCount', async () => {
    // Prepare: the worker fails every record it gets.
    const { runner: started, clock, invocations, queue, dlq } = await startRunner({
      'scan-alert': async (event) => ({ batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })) }),
    });
    const spec = topology.automations.find((automation) => automation.id === 'scan-alert');
    const visibilityMs = (spec?.queue.visibilityTimeoutSeconds ?? 0) * 1000;

    // Act: one receive per visibility timeout, as SQS hands the message out again.
    queue('scan-alert').send({ body: '{"bad":true}' });
    for (let attempt = 0; attempt < (spec?.queue.deadLetter.maxReceiveCount ?? 0); attempt += 1) {
      await started.waitForIdle(5_000);
      clock.advance(visibilityMs);
    }
    await started.waitForIdle(5_000);

    // Assess
    expect(invocations).toHaveLength(spec?.queue.deadLetter.maxReceiveCount ?? -1);
    expect(dlq('scan-alert').receiveBatch(10).map((record) => record.body)).toEqual(['{"bad":true}']);
    expect(queue('scan-alert').counts().visible + queue('scan-alert').counts().notVisible).toBe(0);
  });

  it('fails the whole batch when the handler throws, and reports it', async () => {
    // Prepare
    const { runner: started, events, queue } = await startRunner({
      'tag-policy': async () => {
        throw new Error('configuration unusable');
      },
    });

    // Act
    queue('tag-policy').send({ body: '{"n":1}' });
    await started.waitForIdle(5_000);

    // Assess: the record is back in flight (hidden until its visibility timeout), not deleted.
    expect(queue('tag-policy').counts()).toEqual({ visible: 0, notVisible: 1, delayed: 0 });
    const invocation = events.find((event) => event.kind === 'invocation');
    expect(invocation?.kind === 'invocation' ? invocation.report.error : undefined).toBe('configuration unusable');
  });

  it('reports a missing worker once and leaves its messages queued without blocking idleness', async () => {
    // Prepare
    const { runner: started, events, queue } = await startRunner({});

    // Act
    queue('prepopulate').send({ body: '{"kind":"prepopulate"}' });
    await started.waitForIdle(5_000);

    // Assess
    expect(events.filter((event) => event.kind === 'worker-missing' && event.automation === 'prepopulate')).toHaveLength(1);
    expect(queue('prepopulate').counts().visible).toBe(1);
    expect(started.status().find((status) => status.automation === 'prepopulate')).toMatchObject({ worker: 'missing', queue: { visible: 1 } });
  });

  it('collects a batch over the batching window; drain() cuts the window short', async () => {
    // Prepare: cache-repository batches for 5 s in the topology.
    const { runner: started, invocations, queue } = await startRunner({ 'cache-repository': async () => ({ batchItemFailures: [] }) });

    // Act: both messages arrive inside the window of the first one.
    queue('cache-repository').send({ body: '{"n":1}' });
    queue('cache-repository').send({ body: '{"n":2}' });
    const startedAt = performance.now();
    await started.drain(5_000);

    // Assess
    expect(invocations.map((invocation) => invocation.event.Records.map((record) => record.body))).toEqual([['{"n":1}', '{"n":2}']]);
    expect(performance.now() - startedAt).toBeLessThan(4_000);
  });

  it('queues the on-demand triggers on the automation that runs them', async () => {
    // Prepare
    const { runner: started, queue } = await startRunner({});

    // Act
    const automations = [started.trigger('prepopulate'), started.trigger('reconcile'), started.trigger('watchdog')];

    // Assess
    expect(automations).toEqual(['prepopulate', 'cache-repository', 'scan-alert']);
    expect(queue('cache-repository').receiveBatch(10).map((record) => JSON.parse(record.body))).toEqual([{ kind: 'reconcile' }]);
    expect(queue('scan-alert').receiveBatch(10).map((record) => JSON.parse(record.body))).toEqual([{ kind: 'watchdog' }]);
  });
});

describe('LocalRunner execution environments', () => {
  it('never runs two batches on the same handler instance at once, as Lambda gives each environment its own', async () => {
    // Prepare: prepopulate takes one message per batch; two environments; each instance records overlapping use
    const clock = new ManualClock(Date.now());
    const sqs = new LocalSqs({ queues: queueDeclarations(topology), clock });
    const overlaps: number[] = [];
    const used = new Set<number>();
    let active = 0;
    let releaseFirst: () => void = () => undefined;
    const bothBusy = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const loadWorker = async (handler: string, environment: number): Promise<WorkerModule> => {
      let busy = false;
      const instance: WorkerHandler = async () => {
        if (busy) overlaps.push(environment);
        busy = true;
        used.add(environment);
        active += 1;
        // The first batch waits until a second batch runs beside it, so the two provably overlap.
        if (active === 2) releaseFirst();
        else await Promise.race([bothBusy, delay(2_000)]);
        active -= 1;
        busy = false;
        return { batchItemFailures: [] };
      };
      return { ok: true, file: handler, handler: instance };
    };
    runner = await LocalRunner.start({
      topology,
      queueFor: (automation) => sqs.queue(queueName(topology, automation)),
      loadWorker,
      schedules: false,
      concurrency: { prepopulate: 2 },
    });

    // Act
    for (let message = 0; message < 6; message += 1) sqs.queue(queueName(topology, 'prepopulate')).send({ body: `{"n":${message}}` });
    await runner.waitForIdle(10_000);

    // Assess
    expect(overlaps).toEqual([]);
    expect([...used].sort()).toEqual([0, 1]);
    expect(sqs.queue(queueName(topology, 'prepopulate')).counts().visible).toBe(0);
  });
});

describe('LocalRunner schedules', () => {
  it('refuses to start with a schedule EventBridge refuses, before any worker or timer runs', async () => {
    // Prepare: the example topology with its prepopulate schedule set to rate(0 minutes).
    const broken: Topology = {
      ...topology,
      automations: topology.automations.map((automation) => ({
        ...automation,
        rules: automation.rules.map((rule) => (rule.kind === 'schedule' ? { ...rule, scheduleExpression: 'rate(0 minutes)' } : rule)),
      })),
    };
    const clock = new ManualClock(Date.now());
    const sqs = new LocalSqs({ queues: queueDeclarations(broken), clock });
    const loaded: string[] = [];

    // Act
    const starting = LocalRunner.start({
      topology: broken,
      queueFor: (automation) => sqs.queue(queueName(broken, automation)),
      loadWorker: async (handler) => {
        loaded.push(handler);
        return { ok: false, file: handler, reason: 'not loaded in this test' };
      },
    });

    // Assess
    await expect(starting).rejects.toThrow(/^the scheduled rule \S+ has the expression "rate\(0 minutes\)", which EventBridge refuses \(at character 6: the rate value must be positive, got 0; the shortest rate is "rate\(1 minute\)"\); fix it in the configuration and restart the stack$/);
    expect(loaded).toEqual([]);
  });
});
