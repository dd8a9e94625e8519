import { WORKER_ENVIRONMENT } from '@dockmaster/core/topology';

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

/**
 * Retry settings of the workers' ECR clients. ECR throttles per action and account (ThrottlingException, HTTP
 * 400); the SDK's adaptive mode adds a client-side rate limiter that slows a sweep or a burst down to the rate
 * ECR grants instead of spending the standard mode's retry quota (500 tokens, 5 per retry) in a few seconds,
 * and 8 attempts ride out a throttled second. Measured with `npm run bench:scale` (docs/operations.md).
 */
const ECR_CLIENT_RETRY = { retryMode: 'adaptive', maxAttempts: 8 } as const;

export { CONFIG_MAX_AGE_SECONDS, ECR_CLIENT_RETRY, EnvVar, METRIC_NAMESPACE };
