import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { AutomationId } from '@dockmaster/core/constants';
import { deadLetterQueueUrlFrom } from '@dockmaster/core/topology';
import { type ConfigSource, type ConfigSourceOptions, createConfigSource } from '../../adapters/config-source.js';
import { createSqsDeadLetterQueue, type DeadLetterQueue } from '../../adapters/dead-letter.js';
import { createDockmasterBus, type DockmasterBus } from '../../adapters/dockmaster-bus.js';
import { EnvVar } from '../../constants.js';

/*
 * The only place the workers read process.env (the variables infra sets, EnvVar). Runtime, adapters and
 * automations take plain values, so they run the same under tests, the local stack and the CLI. Every reader
 * here is called on first use, never at import: importing a handler module needs no environment.
 */

/** Reads a required environment variable; the message names it, since a missing one is an infra wiring bug. */
const requireEnv = (name: EnvVar): string => {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`Environment variable ${name} is not set; the worker's infra definition must set it`);
  }
  return value;
};

/** An optional variable, trimmed; undefined when unset or blank. */
const optionalEnv = (name: EnvVar): string | undefined => {
  const value = process.env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

/**
 * The automation's own dead-letter queue URL from DOCKMASTER_DEAD_LETTER_QUEUE_URL, or undefined when none is
 * configured. In AWS the variable is the function's own DLQ URL; in the local stack, whose workers share one
 * process environment, it is a JSON object of URLs by automation id.
 */
const deadLetterQueueUrlFor = (automation: AutomationId): string | undefined => deadLetterQueueUrlFrom(process.env[EnvVar.DeadLetterQueueUrl], automation);

/** The automation's DLQ as the infra names it (EnvVar.DeadLetterQueueUrl), or undefined when none is configured. */
const deadLetterQueueFromEnvironment = (automation: AutomationId): DeadLetterQueue | undefined => {
  const queueUrl = deadLetterQueueUrlFor(automation);
  return queueUrl === undefined ? undefined : createSqsDeadLetterQueue({ queueUrl });
};

/** Dockmaster's bus as the infra names it (EnvVar.BusName); a missing variable throws and names it. */
const dockmasterBusFromEnvironment = (): DockmasterBus => createDockmasterBus({ busName: requireEnv(EnvVar.BusName) });

/** The configuration store (EnvVar.ConfigTable) and, when set, the SSM marker checked on a fresh read (EnvVar.ConfigParameter). */
const configSourceFromEnvironment = (options: Pick<ConfigSourceOptions, 'onWarning'> = {}): ConfigSource => {
  const markerParameterName = optionalEnv(EnvVar.ConfigParameter);
  return createConfigSource({
    tableName: requireEnv(EnvVar.ConfigTable),
    ...(markerParameterName === undefined ? {} : { markerParameterName }),
    ...options,
  });
};

/** Powertools' idempotency records in EnvVar.IdempotencyTable. */
const idempotencyStoreFromEnvironment = (): DynamoDBPersistenceLayer => new DynamoDBPersistenceLayer({ tableName: requireEnv(EnvVar.IdempotencyTable) });

export {
  configSourceFromEnvironment,
  deadLetterQueueFromEnvironment,
  deadLetterQueueUrlFor,
  dockmasterBusFromEnvironment,
  idempotencyStoreFromEnvironment,
  optionalEnv,
  requireEnv,
};
