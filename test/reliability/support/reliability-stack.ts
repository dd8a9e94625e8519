import { pathToFileURL } from 'node:url';
import type { AutomationId } from '@dockmaster/core/constants';
import type { EventBridgeEnvelope } from '@dockmaster/core/events/envelope';
import type { Topology } from '@dockmaster/core/topology';
import { LocalRunner, resolveHandler, type InvocationReport, type WorkerHandler, type WorkerModule } from '@dockmaster/local/runner';
import { queueName, type LocalStack } from '@dockmaster/local/stack';
import type { LocalQueue } from '@dockmaster/local/sqs';
import { startTestStack } from '../../support/local-stack.js';

/*
 * The local stack with its workers driven by the test: real queues, a real LocalRunner and the production
 * handlers, but started and stopped per scenario, so that a test decides what is queued before a worker
 * looks, and how deliveries meet the workers (one batch, or parallel invocations).
 */


/** Redelivery rounds a run waits for: fewer than any maxReceiveCount (at least 5), so nothing is redriven to the DLQ by SQS here. */
const MAX_REDELIVERY_ROUNDS = 2;
const IDLE_TIMEOUT_MS = 30_000;

/**
 * How copies meet the workers. `batches`: the topology's own batch size and window, one poller per
 * automation (as the stack runs them), so copies queued together share a batch. `parallel`: batches of one
 * and three pollers, so three copies run in three invocations at the same time.
 */
type DeliveryMode = 'batches' | 'parallel';

/** Creates one execution environment of a worker: a fresh handler with its own Powertools state. */
type EnvironmentFactory = () => WorkerHandler;

interface RunResult {
  reports: InvocationReport[];
  /** Messages that failed at least once and were made visible again (the visibility timeout, cut short). */
  redelivered: number;
}

interface ReliabilityStack {
  stack: LocalStack;
  origin: { account: string; region: string };
  registryHost: string;
  queue(automation: AutomationId): LocalQueue;
  /** Removes whatever is queued (e.g. the events a setup push caused), so that only the test's deliveries count. */
  discardQueued(): void;
  /**
   * Starts the workers, lets them process everything queued, makes failed messages visible again (as the
   * visibility timeout would, without waiting for it) until nothing fails, then stops the workers.
   */
  run(mode: DeliveryMode, environments?: Partial<Record<string, EnvironmentFactory>>): Promise<RunResult>;
  /** Every event put on Dockmaster's own bus since the stack started. */
  dockmasterEvents(): EventBridgeEnvelope[];
  /** Every automation's queue and DLQ are empty and nothing is in flight. */
  allQueuesEmpty(): boolean;
  stop(): Promise<void>;
}

/** A parallel test of each mode's topology: batch size and window only (queues, names and routes unchanged). */
const topologyFor = (topology: Topology, mode: DeliveryMode): Topology =>
  mode === 'batches' ? topology : { ...topology, automations: topology.automations.map((automation) => ({ ...automation, batch: { size: 1, windowSeconds: 0 } })) };

/**
 * One handler instance per concurrent invocation, as Lambda gives each concurrent invocation its own
 * execution environment. A single shared instance would share Powertools' batch processor state between
 * invocations, which never happens in Lambda.
 */
const pooled = (create: EnvironmentFactory): WorkerHandler => {
  const idle: WorkerHandler[] = [];
  return async (event, context) => {
    const environment = idle.pop() ?? create();
    try {
      return await environment(event, context);
    } finally {
      idle.push(environment);
    }
  };
};

/** The handler module's factory (`createTagPolicyHandler`, ...): the same code the `handler` export is built with. */
const productionEnvironments = async (handlerPath: string): Promise<EnvironmentFactory> => {
  const { file } = resolveHandler(handlerPath);
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const [, factory] = Object.entries(module).find(([name, value]) => /^create\w+Handler$/.test(name) && typeof value === 'function') ?? [];
  if (factory === undefined) throw new Error(`${file} exports no create...Handler factory`);
  return () => (factory as () => WorkerHandler)();
};

const startReliabilityStack = async (): Promise<ReliabilityStack> => {
  // Expected failures (duplicates in progress, garbage) would flood the output; a developer can still ask for logs.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  const started = await startTestStack({ prefix: 'reliability' });
  const { stack } = started;
  // The test runs the workers itself (see run()); the stack's own runner would race it for the messages.
  await stack.runner.stop();
  // Dockmaster's own events from here on: what the test's runs put on the bus.
  const eventsFrom = started.deliveries.length;

  const deployed = stack.topology.automations.filter((automation) => automation.rules.length > 0);
  const queueFor = (automation: AutomationId): LocalQueue | undefined =>
    deployed.some((candidate) => candidate.id === automation) ? stack.sqs.queue(queueName(stack.topology, automation)) : undefined;
  const queue = (automation: AutomationId): LocalQueue => {
    const found = queueFor(automation);
    if (found === undefined) throw new Error(`the example configuration deploys no ${automation} queue`);
    return found;
  };
  const allQueues = (): LocalQueue[] => deployed.flatMap((automation) => [queue(automation.id), ...(queue(automation.id).deadLetterQueue ? [queue(automation.id).deadLetterQueue as LocalQueue] : [])]);

  const factories = new Map<string, Promise<EnvironmentFactory>>();
  const productionFactory = (handlerPath: string): Promise<EnvironmentFactory> => {
    let factory = factories.get(handlerPath);
    if (factory === undefined) {
      factory = productionEnvironments(handlerPath);
      factories.set(handlerPath, factory);
    }
    return factory;
  };

  const run: ReliabilityStack['run'] = async (mode, environments = {}) => {
    const reports: InvocationReport[] = [];
    const loadWorker = async (handlerPath: string): Promise<WorkerModule> => {
      const automation = deployed.find((candidate) => candidate.function.handler === handlerPath);
      const create = (automation === undefined ? undefined : environments[automation.id]) ?? (await productionFactory(handlerPath));
      return { ok: true, file: handlerPath, handler: pooled(create) };
    };
    const runner = await LocalRunner.start({
      topology: topologyFor(stack.topology, mode),
      queueFor,
      loadWorker,
      schedules: false,
      ...(mode === 'parallel' ? { concurrency: Object.fromEntries(deployed.map((automation) => [automation.id, 3])) } : {}),
      onEvent: (event) => {
        if (event.kind === 'invocation') reports.push(event.report);
      },
    });
    let redelivered = 0;
    try {
      let settled = 0;
      for (let round = 0; ; round += 1) {
        await runner.drain(IDLE_TIMEOUT_MS);
        const failedNow = reports.slice(settled).flatMap((report) => {
          const failedIds = new Set(report.failed.map((failure) => failure.itemIdentifier));
          return report.records.filter((record) => failedIds.has(record.messageId)).map((record) => ({ automation: report.automation, record }));
        });
        settled = reports.length;
        if (failedNow.length === 0 || round >= MAX_REDELIVERY_ROUNDS) break;
        for (const { automation, record } of failedNow) {
          try {
            queue(automation).changeVisibility(record.receiptHandle, 0);
            redelivered += 1;
          } catch {
            // Already deleted or received again: nothing to hurry.
          }
        }
      }
    } finally {
      await runner.stop();
    }
    return { reports, redelivered };
  };

  return {
    stack,
    origin: { account: stack.config.registry.accountId, region: stack.config.registry.region },
    registryHost: started.registryHost,
    queue,
    discardQueued: () => {
      for (const each of allQueues()) {
        for (let received = each.receive({ maxNumberOfMessages: 10 }); received.length > 0; received = each.receive({ maxNumberOfMessages: 10 })) {
          for (const message of received) if (message.receiptHandle !== undefined) each.delete(message.receiptHandle);
        }
      }
    },
    run,
    dockmasterEvents: () => started.deliveries.slice(eventsFrom).filter((delivery) => delivery.bus === 'dockmaster').map((delivery) => delivery.event),
    allQueuesEmpty: () =>
      allQueues().every((each) => {
        const counts = each.counts();
        return counts.visible === 0 && counts.notVisible === 0 && counts.delayed === 0;
      }),
    stop: started.stop,
  };
};

export { startReliabilityStack };
export type { DeliveryMode, EnvironmentFactory, ReliabilityStack, RunResult };
