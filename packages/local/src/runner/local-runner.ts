import { AutomationId, MessageKind } from '@dockmaster/core/constants';
import { UserFacingError } from '@dockmaster/core/errors';
import type { AutomationSpec, ScheduleRuleSpec, Topology } from '@dockmaster/core/topology';
import type { LocalQueue } from '../sqs/index.js';
import { AutomationRunner, type InvocationReport } from './automation-runner.js';
import { parseScheduleExpression, scheduledMessage, type ParsedSchedule } from './schedules.js';
import { loadWorker as defaultLoadWorker, type WorkerModule } from './worker-module.js';

/** On-demand runs: the message each worker accepts besides its events (the `dockmaster local trigger` names). */
const ON_DEMAND_TRIGGERS = {
  prepopulate: { automation: AutomationId.Prepopulate, message: { kind: MessageKind.Prepopulate } },
  reconcile: { automation: AutomationId.CacheRepository, message: { kind: MessageKind.Reconcile } },
  watchdog: { automation: AutomationId.ScanAlert, message: { kind: MessageKind.Watchdog } },
} as const;
type OnDemandTrigger = keyof typeof ON_DEMAND_TRIGGERS;
const ON_DEMAND_TRIGGER_NAMES = Object.keys(ON_DEMAND_TRIGGERS) as OnDemandTrigger[];

type RunnerEvent =
  | { kind: 'worker-missing'; automation: AutomationId; reason: string }
  | { kind: 'invocation'; report: InvocationReport }
  | { kind: 'schedule'; automation: AutomationId; rule: string; expression: string; simulated: boolean }
  | { kind: 'schedule-fired'; automation: AutomationId; rule: string }
  | { kind: 'trigger'; automation: AutomationId; trigger: OnDemandTrigger };

interface AutomationStatus {
  automation: AutomationId;
  worker: 'running' | 'missing';
  reason?: string;
  queue: { visible: number; inFlight: number };
  deadLetter: { visible: number };
}

interface LocalRunnerOptions {
  topology: Topology;
  /** The automation's queue, undefined when the stack created none (an automation without rules, as in infra). */
  queueFor: (automation: AutomationId) => LocalQueue | undefined;
  onEvent?: (event: RunnerEvent) => void;
  /** Replaces the in-process import of the topology's handler (tests). */
  /** Loads one execution environment's instance of a worker (called once per environment, numbered from 0). */
  loadWorker?: (handler: string, environment: number) => Promise<WorkerModule>;
  /** Batches a worker may run at once; default 4 for prepopulate (one image per message), else 1. */
  concurrency?: Partial<Record<AutomationId, number>>;
  /** Start rate(...) timers for the scheduled rules; default true. */
  schedules?: boolean;
}

const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/** A scheduled rule the stack runs (a timer for a rate) or announces as not simulated. */
interface ScheduledRule {
  automation: AutomationId;
  rule: ScheduleRuleSpec;
  queue: LocalQueue;
  schedule: Exclude<ParsedSchedule, { kind: 'invalid' }>;
}

const defaultConcurrency = (automation: AutomationId): number => (automation === AutomationId.Prepopulate ? 4 : 1);

/** Runs every automation's worker against its local queue, plus the schedules and on-demand triggers. */
class LocalRunner {
  private readonly options: LocalRunnerOptions;
  private readonly runners = new Map<AutomationId, AutomationRunner>();
  private readonly missing = new Map<AutomationId, string>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly idleWaiters = new Set<() => void>();

  private constructor(options: LocalRunnerOptions) {
    this.options = options;
  }

  public static async start(options: LocalRunnerOptions): Promise<LocalRunner> {
    const runner = new LocalRunner(options);
    // Before any worker starts: a schedule EventBridge would refuse stops the stack instead of firing.
    const schedules = options.schedules === false ? [] : runner.planSchedules();
    await runner.startWorkers();
    runner.startSchedules(schedules);
    return runner;
  }

  private get deployed(): AutomationSpec[] {
    return this.options.topology.automations.filter((automation) => this.options.queueFor(automation.id) !== undefined);
  }

  private emit(event: RunnerEvent): void {
    this.options.onEvent?.(event);
  }

  private async startWorkers(): Promise<void> {
    const load = this.options.loadWorker ?? defaultLoadWorker;
    const { accountId, region } = this.options.topology.registry;
    const modules = await Promise.all(
      this.deployed.map(async (automation) => {
        const environments = this.options.concurrency?.[automation.id] ?? defaultConcurrency(automation.id);
        const instances = await Promise.all(Array.from({ length: environments }, (_, environment) => load(automation.function.handler, environment)));
        return { automation, instances, environments };
      }),
    );
    for (const { automation, instances, environments } of modules) {
      const queue = this.options.queueFor(automation.id);
      if (queue === undefined) continue;
      const module = instances.find((instance) => !instance.ok) ?? instances[0]!;
      if (!module.ok) {
        // Logged once; its messages stay queued, so they are processed once the worker exists and the stack restarts.
        this.missing.set(automation.id, module.reason);
        this.emit({ kind: 'worker-missing', automation: automation.id, reason: module.reason });
        continue;
      }
      const runner = new AutomationRunner({
        automation,
        queue,
        handlers: instances.flatMap((instance) => (instance.ok ? [instance.handler] : [])),
        account: accountId,
        region,
        concurrency: environments,
        onInvocation: (report) => this.emit({ kind: 'invocation', report }),
        onChange: () => this.notifyIfIdle(),
      });
      this.runners.set(automation.id, runner);
      runner.start();
    }
  }

  /**
   * Every scheduled rule with its queue and how it runs locally.
   * @throws UserFacingError for an expression EventBridge refuses (the same parser as `validate`).
   */
  private planSchedules(): ScheduledRule[] {
    const planned: ScheduledRule[] = [];
    for (const automation of this.deployed) {
      const queue = this.options.queueFor(automation.id);
      for (const rule of automation.rules) {
        if (rule.kind !== 'schedule' || queue === undefined) continue;
        const schedule = parseScheduleExpression(rule.scheduleExpression);
        if (schedule.kind === 'invalid') {
          throw new UserFacingError(
            'LOCAL_SCHEDULE_INVALID',
            `the scheduled rule ${rule.name} has the expression "${rule.scheduleExpression}", which EventBridge refuses (${schedule.reason}); fix it in the configuration and restart the stack`,
          );
        }
        planned.push({ automation: automation.id, rule, queue, schedule });
      }
    }
    return planned;
  }

  private startSchedules(planned: readonly ScheduledRule[]): void {
    const { accountId: account, region } = this.options.topology.registry;
    for (const { automation, rule, queue, schedule } of planned) {
      this.emit({ kind: 'schedule', automation, rule: rule.name, expression: rule.scheduleExpression, simulated: schedule.kind === 'rate' });
      if (schedule.kind !== 'rate') continue;
      const timer = setInterval(() => this.fireSchedule(automation, rule, queue, { account, region }), schedule.everyMs);
      // The schedules must never keep a stopping process alive.
      timer.unref();
      this.timers.push(timer);
    }
  }

  private fireSchedule(automation: AutomationId, rule: ScheduleRuleSpec, queue: LocalQueue, origin: { account: string; region: string }): void {
    queue.send({ body: JSON.stringify(scheduledMessage(rule, origin)) });
    this.emit({ kind: 'schedule-fired', automation, rule: rule.name });
  }

  /** Queues an on-demand run (`dockmaster local trigger <name>`); returns the automation that will run it. */
  public trigger(name: OnDemandTrigger): AutomationId {
    const { automation, message } = ON_DEMAND_TRIGGERS[name];
    const queue = this.options.queueFor(automation);
    if (queue === undefined) {
      throw new UserFacingError(
        'LOCAL_TRIGGER_NOT_DEPLOYED',
        `the configuration gives the ${automation} automation nothing to do, so the local stack has no queue for it; add it to the configuration (see docs/configuration.md) and restart the stack`,
      );
    }
    queue.send({ body: JSON.stringify(message) });
    this.emit({ kind: 'trigger', automation, trigger: name });
    return automation;
  }

  public status(): AutomationStatus[] {
    return this.deployed.map((automation) => {
      const queue = this.options.queueFor(automation.id);
      const counts = queue?.counts() ?? { visible: 0, notVisible: 0, delayed: 0 };
      const missing = this.missing.get(automation.id);
      return {
        automation: automation.id,
        worker: missing === undefined ? 'running' : 'missing',
        ...(missing === undefined ? {} : { reason: missing }),
        queue: { visible: counts.visible + counts.delayed, inFlight: counts.notVisible },
        deadLetter: { visible: queue?.deadLetterQueue?.counts().visible ?? 0 },
      };
    });
  }

  /** Every worker that exists has nothing receivable and no batch running. */
  public isIdle(): boolean {
    return [...this.runners.values()].every((runner) => runner.isIdle());
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of [...this.idleWaiters]) resolve();
  }

  /**
   * Resolves once every worker is idle: what tests and the demo wait for instead of sleeping. Workers honour
   * their batching window, so this can take that long; drain() cuts windows short.
   */
  public async waitForIdle(timeoutMs: number = DEFAULT_IDLE_TIMEOUT_MS): Promise<void> {
    // One turn of the event loop first, so that I/O already completed (an event just emitted) is accounted for.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.isIdle()) return;
    await new Promise<void>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.idleWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.idleWaiters.delete(done);
        const busy = this.status().filter((status) => status.worker === 'running' && !this.runners.get(status.automation)?.isIdle());
        reject(new Error(`the local workers were still busy after ${timeoutMs} ms: ${busy.map((status) => `${status.automation} (${status.queue.visible} queued)`).join(', ')}`));
      }, timeoutMs);
      this.idleWaiters.add(done);
      this.notifyIfIdle();
    });
  }

  /** Processes everything queued now, without waiting for batching windows, and resolves when idle. */
  public async drain(timeoutMs: number = DEFAULT_IDLE_TIMEOUT_MS): Promise<void> {
    for (const runner of this.runners.values()) runner.setFlushing(true);
    try {
      await this.waitForIdle(timeoutMs);
    } finally {
      for (const runner of this.runners.values()) runner.setFlushing(false);
    }
  }

  public async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
  }
}

export { LocalRunner, ON_DEMAND_TRIGGER_NAMES, ON_DEMAND_TRIGGERS };
export type { AutomationStatus, LocalRunnerOptions, OnDemandTrigger, RunnerEvent };
