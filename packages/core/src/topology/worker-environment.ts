import type { AutomationId } from '../constants.js';
import { isRecord } from '../shared/is-record.js';

/**
 * Names of the environment variables the infra sets on workers: the one list the functions (EnvVar), the
 * infra and the local stack read. Each automation's `environment` says which of them it receives.
 */
const WORKER_ENVIRONMENT = {
  /** Name of the SSM parameter holding the configuration's marker (sha256 and size of the current content). */
  configParameter: 'DOCKMASTER_CONFIG_PARAMETER',
  /** DynamoDB table whose one item (`id` = CONFIG_ITEM_ID, attribute `value`) holds the configuration. */
  configTable: 'DOCKMASTER_CONFIG_TABLE',
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
  /**
   * Where the prepopulate worker reaches upstream registries in copy mode, when not at `https://<host>`: a JSON
   * object of root URLs by upstream host (`{"mcr.microsoft.com":"http://127.0.0.1:41236"}`). Set only by the
   * local stack, to point the worker at its stand-in upstreams; infra never sets it (see LOCAL_ONLY_WORKER_VARIABLES).
   */
  upstreamEndpoints: 'DOCKMASTER_UPSTREAM_ENDPOINTS',
} as const;
type WorkerEnvironment = typeof WORKER_ENVIRONMENT;
/** A key of WORKER_ENVIRONMENT: what a variable holds, independent of its name. */
type WorkerVariable = keyof WorkerEnvironment;

/** Variables only the local stack sets: no automation's `environment` lists them, so infra never deploys them. */
const LOCAL_ONLY_WORKER_VARIABLES = ['upstreamEndpoints'] as const satisfies readonly WorkerVariable[];
/** A variable infra sets on the workers whose `environment` lists it. */
type DeployedWorkerVariable = Exclude<WorkerVariable, (typeof LOCAL_ONLY_WORKER_VARIABLES)[number]>;

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

/**
 * The root URL to reach `upstream` at, from the value of DOCKMASTER_UPSTREAM_ENDPOINTS; undefined when the
 * variable is unset or names no URL for that host (the worker then uses `https://<host>`). A value that is not a
 * JSON object of http(s) URLs is a wiring bug and throws.
 */
const upstreamEndpointFrom = (value: string | undefined, upstream: string): string | undefined => {
  const text = value?.trim() ?? '';
  if (text === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed) || Object.values(parsed).some((url) => typeof url !== 'string' || !/^https?:\/\/[^/]/.test(url))) {
    throw new Error(`${WORKER_ENVIRONMENT.upstreamEndpoints} must be a JSON object of http(s) URLs by upstream host; got ${text.slice(0, 80)}`);
  }
  const url = parsed[upstream.toLowerCase()];
  return typeof url === 'string' ? url.replace(/\/+$/, '') : undefined;
};

/** A JSON object with its keys in code-unit order, so a variable's value is the same from run to run. */
const sortedJsonObject = (entries: [string, string][]): string =>
  JSON.stringify(Object.fromEntries(entries.sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))));

/** The value of DOCKMASTER_UPSTREAM_ENDPOINTS for root URLs by upstream host, keys lower-cased and sorted. */
const upstreamEndpointsValue = (urls: Readonly<Record<string, string>>): string =>
  sortedJsonObject(Object.entries(urls).map(([host, url]): [string, string] => [host.toLowerCase(), url]));

/** The JSON-object form of DOCKMASTER_DEAD_LETTER_QUEUE_URL, keys sorted so the value is stable. */
const deadLetterQueueUrlMap = (urls: Partial<Record<AutomationId, string>>): string =>
  sortedJsonObject(Object.entries(urls).filter((entry): entry is [string, string] => entry[1] !== undefined));

export { deadLetterQueueUrlFrom, deadLetterQueueUrlMap, LOCAL_ONLY_WORKER_VARIABLES, upstreamEndpointFrom, upstreamEndpointsValue, WORKER_ENVIRONMENT };
export type { DeployedWorkerVariable, WorkerEnvironment, WorkerVariable };
