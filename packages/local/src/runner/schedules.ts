import { randomUUID } from 'node:crypto';
import { type InputTransformerSpec, regionalArn, SCHEDULED_EVENT_DETAIL_TYPE, SCHEDULED_EVENT_SOURCE, type ScheduleRuleSpec } from '@dockmaster/core/topology';

type ParsedSchedule = { kind: 'rate'; everyMs: number } | { kind: 'cron'; expression: string } | { kind: 'invalid'; reason: string };

const RATE_UNITS_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** EventBridge schedule expressions: `rate(5 minutes)`, `rate(1 hour)`; cron(...) is recognised but not simulated. */
const parseScheduleExpression = (expression: string): ParsedSchedule => {
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (rate) {
    const unit = (rate[2] ?? '').replace(/s$/, '');
    return { kind: 'rate', everyMs: Number(rate[1]) * (RATE_UNITS_MS[unit] ?? 0) };
  }
  if (/^cron\(.+\)$/.test(expression.trim())) return { kind: 'cron', expression };
  return { kind: 'invalid', reason: `"${expression}" is neither rate(...) nor cron(...)` };
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
  const scheduledEvent = {
    version: '0',
    id: randomUUID(),
    'detail-type': SCHEDULED_EVENT_DETAIL_TYPE,
    source: SCHEDULED_EVENT_SOURCE,
    account: origin.account,
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: origin.region,
    resources: [regionalArn({ accountId: origin.account, region: origin.region }, 'events', `rule/${rule.name}`)],
    detail: {},
  };
  return applyInputTransformer(rule.inputTransformer, scheduledEvent);
};

export { applyInputTransformer, parseScheduleExpression, scheduledMessage };
export type { ParsedSchedule };
