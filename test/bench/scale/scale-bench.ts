import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AutomationId } from '@dockmaster/core/constants';
import { loadWorker, type WorkerModule } from '@dockmaster/local/runner';
import { startLocalStack, type LocalStack } from '@dockmaster/local/stack';
import { runBurst, type BurstResult } from './burst.js';
import { costPerMillion, type CostBreakdown, type MeasuredWork } from './cost.js';
import { PRICES } from './prices.js';
import { runSweep, type SweepResult } from './sweep.js';

/** The example config: a cache prefix with a policy and lifecycle (k8s/), an enforce-mode tag policy (prod/**). */
const CONFIG = fileURLToPath(new URL('../../../docs/examples/dockmaster.example.yaml', import.meta.url));

/** Concurrent batches Lambda starts an SQS event source mapping with (services-sqs-scaling.html). */
const LAMBDA_INITIAL_SQS_BATCHES = 5;

/** Environment numbers of the cost phase's worker instances: past any the burst's stack may have loaded. */
const COST_PHASE_FIRST_ENVIRONMENT = 1_000;

interface ScaleOptions {
  sweepRepositories: number;
  drifted: number;
  burstEvents: number;
  burstRepositories: number;
  /** Tag-policy batches at once; default Lambda's initial five. One shows the durations without the others' CPU. */
  tagPolicyEnvironments?: number;
  /** Progress lines (stderr in the CLI); the result lines are the caller's to print. */
  progress?: (line: string) => void;
}

interface ScaleResult {
  sweep: SweepResult;
  burst: BurstResult;
  /** The same event mix again on a fresh stack, one tag-policy batch at a time: what the cost line is priced from. */
  costBurst: BurstResult;
  /** The tag-policy cost priced from the concurrent burst's durations (five environments on one event loop): an upper bound. */
  concurrentTagPolicyCost: CostBreakdown;
  costs: { automation: AutomationId; unit: string; memoryMb: number; cost: CostBreakdown }[];
  throttled: Record<string, { allowed: number; throttled: number }>;
  load: string;
  /** The result lines, in the order `npm run bench:scale` prints them last. */
  lines: string[];
}

const automationOf = (handler: string): AutomationId => path.basename(handler.slice(0, handler.lastIndexOf('.'))) as AutomationId;

/** The production worker, timed: the handler is the one the stack would load, wrapped only to measure it. */
const timedWorkers = (work: Map<AutomationId, MeasuredWork>, firstEnvironment = 0) => async (handler: string, environment: number): Promise<WorkerModule> => {
  // A second stack in this process needs its own module instances: the first stack's hold SDK clients built
  // (once per environment, as in Lambda) for that stack's endpoints, which are gone.
  const module = await loadWorker(handler, firstEnvironment + environment);
  if (!module.ok) return module;
  const automation = automationOf(handler);
  return {
    ...module,
    handler: async (event, context) => {
      const started = performance.now();
      try {
        return await module.handler(event, context);
      } finally {
        const measured = work.get(automation) ?? { invocations: 0, records: 0, billedMs: 0, customEvents: 0 };
        measured.invocations += 1;
        measured.records += event.Records.length;
        measured.billedMs += Math.ceil(performance.now() - started);
        work.set(automation, measured);
      }
    },
  };
};

const loadAverage = (): string => loadavg().map((load) => load.toFixed(2)).join(' ');

const money = (value: number): string => `$${value.toFixed(value < 1 ? 3 : 2)}`;

const runScaleBench = async (options: ScaleOptions): Promise<ScaleResult> => {
  const progress = options.progress ?? (() => undefined);
  const stateDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-scale-'));
  const work = new Map<AutomationId, MeasuredWork>();
  let stack: LocalStack | undefined;
  const loads: string[] = [loadAverage()];
  try {
    // Five tag-policy batches at once: where Lambda starts an SQS event source ("five batches at a time with
    // five concurrent invocations", docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html), before it
    // adds up to 300 more per minute. The local runner's default of one would measure the runner, not Dockmaster.
    stack = await startLocalStack({ configPath: CONFIG, stateDir, loadWorker: timedWorkers(work), concurrency: { 'tag-policy': options.tagPolicyEnvironments ?? LAMBDA_INITIAL_SQS_BATCHES } });
    progress(`local stack ready in ${stack.readyMs} ms (ECR throttled at its quotas), load average ${loadAverage()}`);
    let phase: AutomationId | undefined;
    stack.bus.onDelivery((delivery) => {
      if (delivery.bus !== 'dockmaster' || phase === undefined) return;
      const measured = work.get(phase);
      if (measured !== undefined) measured.customEvents += 1;
    });

    phase = 'cache-repository';
    const sweep = await runSweep(stack, { repositories: options.sweepRepositories, drifted: options.drifted });
    loads.push(loadAverage());
    progress(`sweep done in ${sweep.seconds.toFixed(1)} s (seeded in ${sweep.seedSeconds.toFixed(1)} s), load average ${loadAverage()}`);
    const sweepWork = { ...(work.get('cache-repository') ?? { invocations: 0, records: 0, billedMs: 0, customEvents: 0 }) };

    phase = 'tag-policy';
    const burst = await runBurst(stack, { events: options.burstEvents, repositories: options.burstRepositories });
    loads.push(loadAverage());
    progress(`burst done in ${burst.seconds.toFixed(1)} s, load average ${loadAverage()}`);
    const burstWork = work.get('tag-policy') ?? { invocations: 0, records: 0, billedMs: 0, customEvents: 0 };

    const memory = (automation: AutomationId): number => stack!.topology.automations.find((spec) => spec.id === automation)!.function.memoryMb;
    const throttled = stack.ecrThrottle?.stats() ?? {};
    await stack.stop();

    // The cost phase: the same event mix on a fresh stack with ONE tag-policy environment, so no invocation
    // shares the event loop with another (Lambda bills each invocation's own duration in its own environment).
    // Its durations still include the local services' work in this process (ECR endpoint, Distribution reads,
    // dynalite), which in AWS is network wait; they stay an upper bound of what Lambda bills, without the
    // other four batches' CPU counted five times over.
    const costWork = new Map<AutomationId, MeasuredWork>();
    stack = await startLocalStack({ configPath: CONFIG, stateDir, loadWorker: timedWorkers(costWork, COST_PHASE_FIRST_ENVIRONMENT), concurrency: { 'tag-policy': 1 } });
    let costCustomEvents = 0;
    stack.bus.onDelivery((delivery) => {
      if (delivery.bus === 'dockmaster') costCustomEvents += 1;
    });
    const costBurst = await runBurst(stack, { events: options.burstEvents, repositories: options.burstRepositories });
    loads.push(loadAverage());
    progress(`cost phase (one tag-policy batch at a time) done in ${costBurst.seconds.toFixed(1)} s, load average ${loadAverage()}`);
    const serialWork = { ...(costWork.get('tag-policy') ?? { invocations: 0, records: 0, billedMs: 0, customEvents: 0 }), customEvents: costCustomEvents };
    const concurrentTagPolicyCost = costPerMillion(burstWork, memory('tag-policy'), burst.events, burst.events);
    const costs = [
      { automation: 'tag-policy' as const, unit: 'events', memoryMb: memory('tag-policy'), cost: costPerMillion(serialWork, memory('tag-policy'), costBurst.events, costBurst.events) },
      // The sweep is one message; its unit of work is a repository checked.
      { automation: 'cache-repository' as const, unit: 'repositories swept', memoryMb: memory('cache-repository'), cost: costPerMillion(sweepWork, memory('cache-repository'), sweep.repositories, sweepWork.records) },
    ];
    const lines = [
      `sweep: ${sweep.repositories} repositories, ${sweep.drifted} drifted, ${sweep.written} written, ${sweep.seconds.toFixed(1)} s`,
      `burst: ${burst.events} events, ${burst.lost} lost, ${burst.deadLettered} dead-lettered, p50 ${Math.round(burst.p50Ms)} ms, p99 ${Math.round(burst.p99Ms)} ms`,
      ...costs.map(
        ({ automation, unit, memoryMb, cost }) =>
          `cost: ${money(cost.perMillion)} per million ${unit === 'events' ? 'events' : `events (${unit})`} for ${automation} (${memoryMb} MB arm64, ${cost.msPerInvocation.toFixed(0)} ms per invocation of ${cost.recordsPerInvocation.toFixed(1)} records; Lambda ${money(cost.lambda)}, SQS ${money(cost.sqs)}, EventBridge ${money(cost.eventBridge)}; ${PRICES.region} prices read ${PRICES.readOn})`,
      ),
    ];
    return { sweep, burst, costBurst, concurrentTagPolicyCost, costs, throttled, load: loads.join(' | '), lines };
  } finally {
    await stack?.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
};

export { runScaleBench };
export type { ScaleOptions, ScaleResult };
