import type { AutomationSpec } from '@dockmaster/core/topology';
import type { SQSRecord } from 'aws-lambda';
import type { BatchItemFailure, LocalQueue } from '../sqs/index.js';
import { lambdaContext } from './lambda-context.js';
import type { WorkerHandler } from './worker-module.js';

/** The outcome of one local invocation of a worker, for the live log and the tests. */
interface InvocationReport {
  automation: AutomationSpec['id'];
  records: SQSRecord[];
  /** Records that failed (batchItemFailures, or all of them when the handler threw or timed out). */
  failed: BatchItemFailure[];
  /** Set when the whole batch failed. */
  error?: string;
  durationMs: number;
}

interface AutomationRunnerOptions {
  automation: AutomationSpec;
  queue: LocalQueue;
  /**
   * One handler per execution environment. Like Lambda, an environment runs one batch at a time: a handler
   * keeps per-invocation state (its Powertools batch processor), so two concurrent batches must never share one.
   */
  handlers: readonly WorkerHandler[];
  account: string;
  region: string;
  /** Batches invoked at the same time (Lambda runs several pollers per queue). */
  concurrency: number;
  onInvocation: (report: InvocationReport) => void;
  /** Called whenever the runner may have become idle or busy. */
  onChange: () => void;
}

/** How long stop() lets running batches finish. */
const STOP_GRACE_MS = 10_000;

class InvocationTimeoutError extends Error {
  public constructor(seconds: number) {
    super(`Task timed out after ${seconds} seconds`);
    this.name = 'InvocationTimeoutError';
  }
}

/**
 * Lambda's SQS event source for one automation, in-process: receives up to `batch.size` messages, waits up
 * to the batching window for more, invokes the worker with a real SQS event and a Lambda-like context, and
 * settles with its batchItemFailures (failed records come back after the visibility timeout, then go to the DLQ).
 */
class AutomationRunner {
  public readonly automation: AutomationSpec;
  private readonly options: AutomationRunnerOptions;
  private activePumps = 0;
  private stopped = false;
  private flushing = false;
  private readonly windowWaiters = new Set<() => void>();
  private readonly running = new Set<Promise<void>>();
  private unsubscribe: (() => void) | undefined;
  /** Execution environments not running a batch right now. */
  private readonly idleHandlers: WorkerHandler[];

  public constructor(options: AutomationRunnerOptions) {
    if (options.handlers.length === 0) throw new Error(`no handler instance for ${options.automation.id}`);
    this.options = options;
    this.automation = options.automation;
    this.idleHandlers = [...options.handlers];
  }

  public start(): void {
    this.unsubscribe = this.options.queue.onMessageAvailable(() => this.kick());
    this.kick();
  }

  /** No batch in progress and nothing receivable (failed messages waiting out their visibility timeout do not count). */
  public isIdle(): boolean {
    return this.activePumps === 0 && this.options.queue.counts().visible === 0;
  }

  /** Ends batching windows now (and while set, skips them): tests and `drain()` do not wait for the window. */
  public setFlushing(flushing: boolean): void {
    this.flushing = flushing;
    if (flushing) for (const finish of [...this.windowWaiters]) finish();
  }

  /** Stops receiving and waits (at most `graceMs`) for the batches in progress, so a long warm cannot hold up a shutdown. */
  public async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    for (const finish of [...this.windowWaiters]) finish();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
      timer.unref();
    });
    await Promise.race([Promise.allSettled([...this.running]), grace]);
    clearTimeout(timer);
  }

  private kick(): void {
    while (!this.stopped && this.activePumps < this.options.concurrency && this.idleHandlers.length > 0 && this.options.queue.counts().visible > 0) {
      // Counted before the first await so that isIdle() never sees a gap between "queued" and "being processed".
      this.activePumps += 1;
      const handler = this.idleHandlers.pop() as WorkerHandler;
      const pump = this.pump(handler).finally(() => {
        this.idleHandlers.push(handler);
        this.activePumps -= 1;
        this.running.delete(pump);
        this.options.onChange();
      });
      this.running.add(pump);
    }
    this.options.onChange();
  }

  private async pump(handler: WorkerHandler): Promise<void> {
    const { batch } = this.automation;
    for (;;) {
      if (this.stopped) return;
      const records = this.options.queue.receiveBatch(batch.size);
      if (records.length === 0) return;
      if (records.length < batch.size && batch.windowSeconds > 0) await this.fillWindow(records);
      // Stopping during the window: the batch is not started (the in-memory queue goes away with the stack).
      if (this.stopped) return;
      await this.invoke(records, handler);
    }
  }

  /** The batching window: keeps collecting until the batch is full or the window ends. */
  private fillWindow(records: SQSRecord[]): Promise<void> {
    const { batch } = this.automation;
    return new Promise((resolve) => {
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        unsubscribe();
        this.windowWaiters.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, batch.windowSeconds * 1000);
      timer.unref();
      const unsubscribe = this.options.queue.onMessageAvailable(() => {
        if (finished) return;
        records.push(...this.options.queue.receiveBatch(batch.size - records.length));
        if (records.length >= batch.size) finish();
      });
      this.windowWaiters.add(finish);
      if (this.flushing || this.stopped) finish();
    });
  }

  private async invoke(records: SQSRecord[], handler: WorkerHandler): Promise<void> {
    const { automation, queue } = this.options;
    const startedAt = performance.now();
    const context = lambdaContext({ automation, account: this.options.account, region: this.options.region, startedAt });
    let failed: BatchItemFailure[];
    let error: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new InvocationTimeoutError(automation.function.timeoutSeconds)), automation.function.timeoutSeconds * 1000);
        timer.unref();
      });
      const response = await Promise.race([handler({ Records: records }, context), timeout]);
      failed = (response?.batchItemFailures ?? []).map((failure) => ({ itemIdentifier: failure.itemIdentifier }));
    } catch (thrown) {
      // Lambda: a function error fails the whole batch; every record comes back after the visibility timeout.
      error = thrown instanceof Error ? thrown.message : String(thrown);
      failed = records.map((record) => ({ itemIdentifier: record.messageId, reason: error }));
    } finally {
      clearTimeout(timer);
    }
    queue.settle(records, failed);
    this.options.onInvocation({ automation: automation.id, records, failed, ...(error === undefined ? {} : { error }), durationMs: performance.now() - startedAt });
  }
}

export { AutomationRunner, InvocationTimeoutError };
export type { AutomationRunnerOptions, InvocationReport };
