import type { AutomationId } from '@dockmaster/core/constants';
import { deadLetterQueueUrlMap, type Topology, upstreamEndpointsValue } from '@dockmaster/core/topology';
import { deadLetterQueueName } from './queues.js';

interface WorkerEnvironmentInput {
  topology: Topology;
  awsEndpointUrl: string;
  dynamoEndpointUrl: string;
  configTable: string;
  idempotencyTable: string;
  stateTable: string;
  prepopulateQueueUrl: string | undefined;
  /**
   * The URL of a local queue by name; default `<awsEndpointUrl>/<account>/<name>`, the form LocalSqs.queueUrl
   * gives (LocalSqs finds a queue by the last path segment of its URL).
   */
  queueUrl?: (name: string) => string;
}

/**
 * The dead-letter queues of the automations the stack deploys (those with rules). The in-process workers
 * share one process environment, so DOCKMASTER_DEAD_LETTER_QUEUE_URL holds a JSON object of URLs by
 * automation id instead of one URL; the workers read their own entry (deadLetterQueueUrlFrom).
 */
const deadLetterQueueUrls = (topology: Topology, queueUrl: (name: string) => string): string =>
  deadLetterQueueUrlMap(
    Object.fromEntries(
      topology.automations
        .filter((automation) => automation.rules.length > 0)
        .map((automation): [AutomationId, string] => [automation.id, queueUrl(deadLetterQueueName(topology, automation.id))]),
    ),
  );

/**
 * The environment of the in-process workers: what infra sets on each function (the union of the topology's
 * per-automation `environment`), plus what Lambda gives every function (Region, credentials), pointed at the
 * local endpoint. The SDK reads AWS_ENDPOINT_URL(_<SERVICE>) itself, so the production code runs unchanged.
 * Dummy credentials: the local endpoint accepts any signature.
 */
const workerEnvironment = (input: WorkerEnvironmentInput): Record<string, string | undefined> => {
  const { topology } = input;
  const names = topology.workerEnvironment;
  const queueUrl = input.queueUrl ?? ((name: string) => `${input.awsEndpointUrl.replace(/\/+$/, '')}/${topology.registry.accountId}/${name}`);
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
    [names.configParameter]: topology.configParameter.name,
    [names.configTable]: input.configTable,
    [names.busName]: topology.bus.name,
    [names.idempotencyTable]: input.idempotencyTable,
    [names.stateTable]: input.stateTable,
    [names.prepopulateQueueUrl]: input.prepopulateQueueUrl,
    [names.deadLetterQueueUrl]: deadLetterQueueUrls(topology, queueUrl),
    // Powertools: readable live log instead of JSON lines and EMF metrics, unless the developer asks for them.
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    POWERTOOLS_METRICS_NAMESPACE: 'Dockmaster',
  };
};

/**
 * DOCKMASTER_UPSTREAM_ENDPOINTS, which only the local stack sets: the stand-in upstream of each copy-mode
 * entry by upstream host, so the prepopulate worker copies from it instead of `https://<host>`. Known only once
 * the stand-ins run, so it is applied after workerEnvironment; the worker reads it on each copy. Unset when no
 * entry copies.
 */
const upstreamEndpointsEnvironment = (topology: Topology, urls: Readonly<Record<string, string>>): Record<string, string | undefined> => ({
  [topology.workerEnvironment.upstreamEndpoints]: Object.keys(urls).length === 0 ? undefined : upstreamEndpointsValue(urls),
});

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

export { applyEnvironment, deadLetterQueueUrls, upstreamEndpointsEnvironment, workerEnvironment };
export type { WorkerEnvironmentInput };
