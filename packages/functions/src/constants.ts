import type { AutomationId } from '@dockmaster/core/constants';
import { deadLetterQueueUrlFrom, WORKER_ENVIRONMENT } from '@dockmaster/core/topology';

/**
 * Environment variables the infra sets on workers, named by the topology's WORKER_ENVIRONMENT (the one list
 * infra, the local stack and the workers share; each automation's `environment` says which it gets). AWS
 * endpoints are deliberately absent: the SDK reads AWS_ENDPOINT_URL itself (the local stack sets it), so the
 * same code runs against AWS and locally.
 */
const EnvVar = {
  /** Name of the SSM parameter holding the configuration's marker (sha256 and size of the current content). */
  ConfigParameter: WORKER_ENVIRONMENT.configParameter,
  /** DynamoDB table whose item `config` holds the configuration (compact JSON). */
  ConfigTable: WORKER_ENVIRONMENT.configTable,
  /** Name of Dockmaster's own EventBridge bus. */
  BusName: WORKER_ENVIRONMENT.busName,
  /** DynamoDB table for Powertools idempotency records (hash key `id`, TTL `expiration`). */
  IdempotencyTable: WORKER_ENVIRONMENT.idempotencyTable,
  /** DynamoDB table of the workers' own records (hash key `id`, TTL `expiration`), ids prefixed per automation. */
  StateTable: WORKER_ENVIRONMENT.stateTable,
  /** URL of the prepopulate worker's own queue (its fan-out target). */
  PrepopulateQueueUrl: WORKER_ENVIRONMENT.prepopulateQueueUrl,
  /** The worker's own dead-letter queue: a URL, or a JSON object of URLs by automation id (read it with deadLetterQueueUrlFor). */
  DeadLetterQueueUrl: WORKER_ENVIRONMENT.deadLetterQueueUrl,
  /** Upstream root URLs by host for copy mode (JSON), set only by the local stack; read it with upstreamEndpointFrom. */
  UpstreamEndpoints: WORKER_ENVIRONMENT.upstreamEndpoints,
} as const;
type EnvVar = (typeof EnvVar)[keyof typeof EnvVar];

/** CloudWatch metric namespace of all workers; the automation id is the service dimension. */
const METRIC_NAMESPACE = 'Dockmaster';

/** How long a loaded config is reused: short enough that an edit applies within a minute, without redeploying. */
const CONFIG_MAX_AGE_SECONDS = 60;

/** Reads a required environment variable; the message names it, since a missing one is an infra wiring bug. */
const requireEnv = (name: EnvVar): string => {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`Environment variable ${name} is not set; the worker's infra definition must set it`);
  }
  return value;
};

/**
 * The automation's own dead-letter queue URL from DOCKMASTER_DEAD_LETTER_QUEUE_URL, or undefined when none is
 * configured. In AWS the variable is the function's own DLQ URL; in the local stack, whose workers share one
 * process environment, it is a JSON object of URLs by automation id.
 */
const deadLetterQueueUrlFor = (automation: AutomationId): string | undefined => deadLetterQueueUrlFrom(process.env[EnvVar.DeadLetterQueueUrl], automation);

export { CONFIG_MAX_AGE_SECONDS, deadLetterQueueUrlFor, EnvVar, METRIC_NAMESPACE, requireEnv };
