import type { AutomationId } from '../constants.js';
import type { BatchSpec, DeliverySpec, FunctionSpec, QueueSpec } from './types.js';

/** EventBridge's default "Event pattern size" quota (L-664C5505); the API itself allows 4,096. */
const MAX_EVENT_PATTERN_LENGTH = 2048;

/** AWS's guidance for SQS event sources: visibility timeout at least 6x the function timeout. */
const VISIBILITY_TIMEOUT_FACTOR = 6;

/**
 * AWS's guidance for SQS event sources: a redrive policy's maxReceiveCount of at least 5, so that receives the
 * Lambda service throttles (they count as receives) do not send a message to the DLQ before it was processed.
 */
const MIN_MAX_RECEIVE_COUNT = 5;

/** EventBridge rule names: 1-64 of [.-_A-Za-z0-9]. */
const RULE_NAME_PATTERN = /^[.\-_A-Za-z0-9]{1,64}$/;

const DEFAULT_BUS_NAME = 'dockmaster';
const DEFAULT_CONFIG_PARAMETER_NAME = '/dockmaster/config';

const FOUR_DAYS = 4 * 24 * 3600;
const FOURTEEN_DAYS = 14 * 24 * 3600;

/** EventBridge retries a failing SQS delivery for up to a day before it uses the target's DLQ. */
const DELIVERY: DeliverySpec = { maximumRetryAttempts: 185, maximumEventAgeSeconds: 24 * 3600 };

interface WorkerSizing {
  timeoutSeconds: number;
  memoryMb: number;
  batch: BatchSpec;
  maxReceiveCount: number;
}

/*
 * Per-worker sizing. cache-repository's 300 s: one reconcile sweep checks every cache repository in one
 * invocation, two reads each, and ECR paces those reads (about 100 requests/s per action, docs/operations.md
 * "Scale and cost"): 10,000 repositories take at least 100 s. prepopulate downloads whole images through the pull-through cache, so it gets the
 * longest timeout and one message per invocation (still MIN_MAX_RECEIVE_COUNT receives: a throttled receive
 * is not a failed warm, and a warm already done costs one HEAD the next time); cache-repository batches for a few
 * seconds because one first pull emits several events (CloudTrail + pull-through-cache action) for the
 * same repository.
 */
const WORKER_SIZING: Record<AutomationId, WorkerSizing> = {
  'tag-policy': { timeoutSeconds: 60, memoryMb: 512, batch: { size: 10, windowSeconds: 0 }, maxReceiveCount: MIN_MAX_RECEIVE_COUNT },
  'cache-repository': { timeoutSeconds: 300, memoryMb: 256, batch: { size: 10, windowSeconds: 5 }, maxReceiveCount: MIN_MAX_RECEIVE_COUNT },
  prepopulate: { timeoutSeconds: 900, memoryMb: 1024, batch: { size: 1, windowSeconds: 0 }, maxReceiveCount: MIN_MAX_RECEIVE_COUNT },
  'scan-alert': { timeoutSeconds: 60, memoryMb: 256, batch: { size: 10, windowSeconds: 0 }, maxReceiveCount: MIN_MAX_RECEIVE_COUNT },
  replication: { timeoutSeconds: 30, memoryMb: 256, batch: { size: 10, windowSeconds: 5 }, maxReceiveCount: MIN_MAX_RECEIVE_COUNT },
};

/*
 * CommonJS bundles: Node loads `node:http`/`node:https` (every AWS SDK client) about 20 ms faster through
 * require than through ESM import, and nothing in the workers needs ESM (no top-level await, no import.meta).
 * Measured with `npx tsx test/bench/cold-start.ts`; docs/operations.md has the figures.
 */
const WORKER_RUNTIME = { runtime: 'nodejs24.x', architecture: 'arm64', bundleFormat: 'cjs' } as const;

/** The handler string SST gets for an automation's worker: module path from the repository root, then the export. */
const workerHandler = (id: AutomationId): string => `packages/functions/src/handlers/${id}.handler`;

const functionSpec = (id: AutomationId): FunctionSpec => ({
  handler: workerHandler(id),
  timeoutSeconds: WORKER_SIZING[id].timeoutSeconds,
  memoryMb: WORKER_SIZING[id].memoryMb,
  ...WORKER_RUNTIME,
});

const queueSpec = (id: AutomationId): QueueSpec => {
  const sizing = WORKER_SIZING[id];
  return {
    // The batching window adds to the time a message is in flight before the function even starts.
    visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_FACTOR * sizing.timeoutSeconds + sizing.batch.windowSeconds,
    messageRetentionSeconds: FOUR_DAYS,
    deadLetter: { maxReceiveCount: sizing.maxReceiveCount, messageRetentionSeconds: FOURTEEN_DAYS },
  };
};

/** The worker's Lambda timeout (the cache-repository lease lasts as long: no live holder outlasts it). */
const workerTimeoutSeconds = (id: AutomationId): number => WORKER_SIZING[id].timeoutSeconds;

const batchSpec = (id: AutomationId): BatchSpec => ({ ...WORKER_SIZING[id].batch });

export {
  batchSpec,
  DEFAULT_BUS_NAME,
  DEFAULT_CONFIG_PARAMETER_NAME,
  DELIVERY,
  functionSpec,
  MAX_EVENT_PATTERN_LENGTH,
  MIN_MAX_RECEIVE_COUNT,
  queueSpec,
  RULE_NAME_PATTERN,
  VISIBILITY_TIMEOUT_FACTOR,
  WORKER_RUNTIME,
  workerHandler,
  workerTimeoutSeconds,
};
