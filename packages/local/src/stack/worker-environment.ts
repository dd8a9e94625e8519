import type { Topology } from '@dockmaster/core/topology';

interface WorkerEnvironmentInput {
  topology: Topology;
  awsEndpointUrl: string;
  dynamoEndpointUrl: string;
  idempotencyTable: string;
  stateTable: string;
  prepopulateQueueUrl: string | undefined;
}

/** Worker variables the functions read that the topology does not name yet (see packages/functions/src/constants.ts). */
const STATE_TABLE_VARIABLE = 'DOCKMASTER_STATE_TABLE';
const PREPOPULATE_QUEUE_VARIABLE = 'DOCKMASTER_PREPOPULATE_QUEUE_URL';

/**
 * The environment of the in-process workers: what infra sets on each function, plus what Lambda gives every
 * function (Region, credentials), pointed at the local endpoint. The SDK reads AWS_ENDPOINT_URL(_<SERVICE>)
 * itself, so the production code runs unchanged. Dummy credentials: the local endpoint accepts any signature.
 */
const workerEnvironment = (input: WorkerEnvironmentInput): Record<string, string | undefined> => {
  const { topology } = input;
  return {
    AWS_ENDPOINT_URL: input.awsEndpointUrl,
    AWS_ENDPOINT_URL_DYNAMODB: input.dynamoEndpointUrl,
    AWS_REGION: topology.registry.region,
    AWS_DEFAULT_REGION: topology.registry.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    // A developer's real session or profile must never reach the local stack (or, by mistake, AWS).
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    [topology.workerEnvironment.configParameter]: topology.configParameter.name,
    [topology.workerEnvironment.busName]: topology.bus.name,
    [topology.workerEnvironment.idempotencyTable]: input.idempotencyTable,
    [STATE_TABLE_VARIABLE]: input.stateTable,
    [PREPOPULATE_QUEUE_VARIABLE]: input.prepopulateQueueUrl,
    // Powertools: readable live log instead of JSON lines and EMF metrics, unless the developer asks for them.
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    POWERTOOLS_METRICS_NAMESPACE: 'Dockmaster',
  };
};

/** Sets the variables (undefined removes one) and returns a function that restores the previous values. */
const applyEnvironment = (variables: Record<string, string | undefined>): (() => void) => {
  const previous = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  const assign = (values: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  assign(variables);
  return () => assign(previous);
};

export { applyEnvironment, PREPOPULATE_QUEUE_VARIABLE, STATE_TABLE_VARIABLE, workerEnvironment };
export type { WorkerEnvironmentInput };
