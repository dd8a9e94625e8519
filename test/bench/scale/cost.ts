import { PRICES } from './prices.js';

/** What one automation did during a phase of the benchmark, measured around the production handler. */
interface MeasuredWork {
  invocations: number;
  records: number;
  /** Sum of the handler durations, each rounded up to the millisecond as Lambda bills them. */
  billedMs: number;
  /** Dockmaster events the worker put on Dockmaster's bus (custom events: EventBridge bills them). */
  customEvents: number;
}

interface CostBreakdown {
  perMillion: number;
  lambda: number;
  sqs: number;
  eventBridge: number;
  msPerInvocation: number;
  recordsPerInvocation: number;
}

/**
 * Cost of one million units of work (`units`: events for the event-driven workers, repositories for the sweep)
 * at the measured durations and the configured memory size:
 * - Lambda: one request per invocation, GB-seconds = billed duration x memory;
 * - SQS: per message one SendMessage (EventBridge's delivery); per invocation one ReceiveMessage and one
 *   DeleteMessageBatch (Lambda's poller); empty long polls of an idle queue are left out (they do not scale
 *   with events);
 * - EventBridge: the source events are AWS service events on the default bus (free); the custom events the
 *   worker emits are billed.
 */
const costPerMillion = (work: MeasuredWork, memoryMb: number, units: number, messages: number): CostBreakdown => {
  const scale = 1_000_000 / units;
  const gbSeconds = (work.billedMs / 1000) * (memoryMb / 1024);
  const lambda = (work.invocations * PRICES.lambda.perRequest + gbSeconds * PRICES.lambda.perGbSecondArm64) * scale;
  const sqs = (messages + 2 * work.invocations) * PRICES.sqs.perRequest * scale;
  const eventBridge = work.customEvents * PRICES.eventBridge.perCustomEvent * scale;
  return {
    perMillion: lambda + sqs + eventBridge,
    lambda,
    sqs,
    eventBridge,
    msPerInvocation: work.invocations === 0 ? 0 : work.billedMs / work.invocations,
    recordsPerInvocation: work.invocations === 0 ? 0 : work.records / work.invocations,
  };
};

export { costPerMillion };
export type { CostBreakdown, MeasuredWork };
