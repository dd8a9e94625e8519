import type { AutomationId } from '../constants.js';

/**
 * Names of the environment variables the infra sets on workers: the one list the functions (EnvVar), the
 * infra and the local stack read. Each automation's `environment` says which of them it receives.
 */
const WORKER_ENVIRONMENT = {
  /** Name of the SSM parameter holding the configuration. */
  configParameter: 'DOCKMASTER_CONFIG_PARAMETER',
  /** Name of Dockmaster's own event bus. */
  busName: 'DOCKMASTER_BUS_NAME',
  /** DynamoDB table of Powertools idempotency records (hash key `id`, TTL `expiration`). */
  idempotencyTable: 'DOCKMASTER_IDEMPOTENCY_TABLE',
  /** DynamoDB table of the workers' own records (hash key `id`, TTL `expiration`), item ids prefixed per automation. */
  stateTable: 'DOCKMASTER_STATE_TABLE',
  /** URL of the prepopulate worker's own queue: its fan-out sends one `warm` message per image and tag there. */
  prepopulateQueueUrl: 'DOCKMASTER_PREPOPULATE_QUEUE_URL',
  /**
   * The worker's own dead-letter queue, for records that fail permanently. Either a plain URL (AWS: every
   * function has its own environment) or a JSON object of URLs by automation id (the local stack, whose
   * workers share one process environment); deadLetterQueueUrlFrom reads both.
   */
  deadLetterQueueUrl: 'DOCKMASTER_DEAD_LETTER_QUEUE_URL',
} as const;
type WorkerEnvironment = typeof WORKER_ENVIRONMENT;
/** A key of WORKER_ENVIRONMENT: what a variable holds, independent of its name. */
type WorkerVariable = keyof WorkerEnvironment;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The DLQ URL of `automation` from the value of DOCKMASTER_DEAD_LETTER_QUEUE_URL: the value itself when it is
 * a plain URL, the automation's entry when it is a JSON object; undefined when unset or the map has no entry.
 * A value that starts like JSON but is not an object of strings is an infra wiring bug and throws.
 */
const deadLetterQueueUrlFrom = (value: string | undefined, automation: AutomationId): string | undefined => {
  const text = value?.trim() ?? '';
  if (text === '') return undefined;
  if (!text.startsWith('{')) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed) || Object.values(parsed).some((url) => typeof url !== 'string')) {
    throw new Error(`${WORKER_ENVIRONMENT.deadLetterQueueUrl} must be a queue URL or a JSON object of queue URLs by automation id; got ${text.slice(0, 80)}`);
  }
  const url = parsed[automation];
  return typeof url === 'string' && url.trim() !== '' ? url : undefined;
};

/** The JSON-object form of DOCKMASTER_DEAD_LETTER_QUEUE_URL, keys sorted so the value is stable. */
const deadLetterQueueUrlMap = (urls: Partial<Record<AutomationId, string>>): string =>
  JSON.stringify(Object.fromEntries(Object.entries(urls).sort(([left], [right]) => left.localeCompare(right))));

export { deadLetterQueueUrlFrom, deadLetterQueueUrlMap, WORKER_ENVIRONMENT };
export type { WorkerEnvironment, WorkerVariable };
