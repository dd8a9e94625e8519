/**
 * Environment variables only the prepopulate worker reads. They live here rather than in the shared
 * EnvVar list (owned with the shared worker plumbing) until that list takes them over.
 */
const PrepopulateEnvVar = {
  /** URL of the worker's own queue: the fan-out sends one `warm` message per image and tag there. */
  QueueUrl: 'DOCKMASTER_PREPOPULATE_QUEUE_URL',
  /** DynamoDB table (hash key `id`) holding the last warmed digest per cache repository tag. */
  StateTable: 'DOCKMASTER_STATE_TABLE',
} as const;
type PrepopulateEnvVar = (typeof PrepopulateEnvVar)[keyof typeof PrepopulateEnvVar];

/** Blob downloads at once per upstream: enough to fill the pipe, few enough not to trip upstream rate limits. */
const BLOB_CONCURRENCY_PER_UPSTREAM = 4;

/** An ECR registry token is renewed this long before it expires, so it never lapses during a long warm. */
const TOKEN_RENEWAL_MARGIN_MS = 15 * 60 * 1000;

/** Reads a required environment variable; the message names it, since a missing one is an infra wiring bug. */
const requirePrepopulateEnv = (name: PrepopulateEnvVar): string => {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`Environment variable ${name} is not set; the prepopulate worker's infra definition must set it`);
  }
  return value;
};

export { BLOB_CONCURRENCY_PER_UPSTREAM, PrepopulateEnvVar, requirePrepopulateEnv, TOKEN_RENEWAL_MARGIN_MS };
