/**
 * Environment variables the infra sets on every worker. AWS endpoints are deliberately absent: the SDK reads
 * AWS_ENDPOINT_URL itself (the local stack sets it), so the same code runs against AWS and locally.
 */
const EnvVar = {
  /** Name of the SSM parameter holding the dockmaster YAML. */
  ConfigParameter: 'DOCKMASTER_CONFIG_PARAMETER',
  /** Name of Dockmaster's own EventBridge bus. */
  BusName: 'DOCKMASTER_BUS_NAME',
  /** DynamoDB table for Powertools idempotency records (hash key `id`, TTL `expiration`). */
  IdempotencyTable: 'DOCKMASTER_IDEMPOTENCY_TABLE',
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

export { CONFIG_MAX_AGE_SECONDS, EnvVar, METRIC_NAMESPACE, requireEnv };
