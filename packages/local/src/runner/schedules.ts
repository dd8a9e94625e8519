import { AwsDetailType, EventSource } from '@dockmaster/core/events/vocabulary';
import { parseScheduleExpression as parseEventBridgeSchedule } from '@dockmaster/core/schedule';
import { regionalArn, type InputTransformerSpec, type ScheduleRuleSpec } from '@dockmaster/core/topology';
import { awsEvent } from '../bus/aws-events.js';

type ParsedSchedule = { kind: 'rate'; everyMs: number } | { kind: 'not-simulated'; reason: string } | { kind: 'invalid'; reason: string };

/** Node's timers take at most 2^31-1 ms (about 24.8 days); a longer delay fires after 1 ms instead. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * How the local stack runs an EventBridge schedule expression, parsed by the same core parser `validate` uses:
 * rate(...) as a timer; cron(...), and rates longer than a Node timer, not simulated; anything EventBridge
 * refuses (rate(0 minutes) included) is invalid, so the scheduler never starts a timer for it.
 */
const parseScheduleExpression = (expression: string): ParsedSchedule => {
  const parsed = parseEventBridgeSchedule(expression);
  if (!parsed.ok) return { kind: 'invalid', reason: parsed.reason };
  const { schedule } = parsed;
  if (schedule.kind === 'cron') return { kind: 'not-simulated', reason: 'cron(...) schedules are not simulated locally' };
  if (schedule.everyMs > MAX_TIMER_MS) return { kind: 'not-simulated', reason: `a rate longer than ${MAX_TIMER_MS} ms is not simulated locally` };
  return { kind: 'rate', everyMs: schedule.everyMs };
};

/** Reads `$.a.b` from the event, the only JSONPath form the topology's input paths use. */
const readPath = (value: unknown, jsonPath: string): unknown =>
  jsonPath
    .replace(/^\$\.?/, '')
    .split('.')
    .filter((segment) => segment !== '')
    .reduce<unknown>((current, segment) => (current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[segment] : undefined), value);

/**
 * EventBridge's input transformer: each `<name>` placeholder is replaced by the value at its input path;
 * strings go in as text (the template quotes them), everything else as JSON.
 */
const applyInputTransformer = (transformer: InputTransformerSpec, event: unknown): unknown => {
  let text = transformer.inputTemplate;
  for (const [name, jsonPath] of Object.entries(transformer.inputPaths)) {
    const value = readPath(event, jsonPath);
    const replacement = typeof value === 'string' ? JSON.stringify(value).slice(1, -1) : JSON.stringify(value ?? null);
    text = text.split(`<${name}>`).join(replacement);
  }
  return JSON.parse(text);
};

/** The message a scheduled rule's target receives: the `Scheduled Event` after the rule's input transformer. */
const scheduledMessage = (rule: ScheduleRuleSpec, origin: { account: string; region: string }, now: Date = new Date()): unknown => {
  const scheduledEvent = awsEvent(origin, EventSource.Events, AwsDetailType.ScheduledEvent, {}, {
    resources: [regionalArn({ accountId: origin.account, region: origin.region }, 'events', `rule/${rule.name}`)],
    time: now,
  });
  return applyInputTransformer(rule.inputTransformer, scheduledEvent);
};

export { applyInputTransformer, parseScheduleExpression, scheduledMessage };
export type { ParsedSchedule };
