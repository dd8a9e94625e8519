import { EnvVar, requireEnv } from '../constants.js';

/** The shared names (EnvVar, from the topology's WORKER_ENVIRONMENT) of the variables only this worker reads. */
const PrepopulateEnvVar = {
  /** URL of the worker's own queue: the fan-out sends one `warm` message per image and tag there. */
  QueueUrl: EnvVar.PrepopulateQueueUrl,
  /** DynamoDB table (hash key `id`) holding the last warmed digest per cache repository tag. */
  StateTable: EnvVar.StateTable,
} as const;
type PrepopulateEnvVar = (typeof PrepopulateEnvVar)[keyof typeof PrepopulateEnvVar];

/** Blob downloads at once per upstream: enough to fill the pipe, few enough not to trip upstream rate limits. */
const BLOB_CONCURRENCY_PER_UPSTREAM = 4;

/** An ECR registry token is renewed this long before it expires, so it never lapses during a long warm. */
const TOKEN_RENEWAL_MARGIN_MS = 15 * 60 * 1000;

/** Reads one of the worker's required variables (requireEnv: the message names it, a missing one is a wiring bug). */
const requirePrepopulateEnv = (name: PrepopulateEnvVar): string => requireEnv(name);

export { BLOB_CONCURRENCY_PER_UPSTREAM, PrepopulateEnvVar, requirePrepopulateEnv, TOKEN_RENEWAL_MARGIN_MS };
