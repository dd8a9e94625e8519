import { parseConfigOrThrow } from '@dockmaster/core/config';
import { buildTopology, deadLetterQueueUrlFrom, upstreamEndpointFrom } from '@dockmaster/core/topology';
import { describe, expect, it } from 'vitest';
import { LocalSqs } from '../sqs/index.js';
import { deadLetterQueueName, queueDeclarations } from './queues.js';
import { upstreamEndpointsEnvironment, workerEnvironment } from './worker-environment.js';
import { exampleConfigText } from '@dockmaster/core/testing';

const AWS_URL = 'http://127.0.0.1:45123';

const topology = buildTopology(parseConfigOrThrow(exampleConfigText(), 'dockmaster.example.yaml'), {
  configParameterName: '/dockmaster/local/config',
  busName: 'dockmaster-local',
});

const environment = workerEnvironment({
  topology,
  awsEndpointUrl: AWS_URL,
  dynamoEndpointUrl: 'http://127.0.0.1:45124',
  configTable: 'dockmaster-local-config',
  idempotencyTable: 'dockmaster-local-idempotency',
  stateTable: 'dockmaster-local-state',
  prepopulateQueueUrl: `${AWS_URL}/111122223333/dockmaster-local-prepopulate`,
});

describe('workerEnvironment', () => {
  it('sets every variable any worker of the topology receives, since the in-process workers share one environment', () => {
    // Act
    const needed = new Set(topology.automations.flatMap((automation) => automation.environment).map((key) => topology.workerEnvironment[key]));

    // Assess
    for (const name of needed) expect(environment[name], name).toEqual(expect.stringMatching(/\S/));
  });

  it('gives each deployed worker its own dead-letter queue, at the URL the local SQS serves it', () => {
    // Prepare
    const sqs = new LocalSqs({ queues: queueDeclarations(topology), accountId: topology.registry.accountId, region: topology.registry.region });
    const deployed = topology.automations.filter((automation) => automation.rules.length > 0);

    for (const automation of deployed) {
      // Act
      const url = deadLetterQueueUrlFrom(environment[topology.workerEnvironment.deadLetterQueueUrl], automation.id);
      const name = deadLetterQueueName(topology, automation.id);

      // Assess
      expect(url, automation.id).toBe(sqs.queueUrl(name, AWS_URL));
      expect(sqs.queue(name).name, automation.id).toBe(name);
    }
    expect(new Set(deployed.map((automation) => deadLetterQueueUrlFrom(environment[topology.workerEnvironment.deadLetterQueueUrl], automation.id))).size).toBe(deployed.length);
  });
});

describe('upstreamEndpointsEnvironment', () => {
  it('points copy-mode upstreams at their stand-ins, and unsets the variable when nothing copies', () => {
    // Act
    const set = upstreamEndpointsEnvironment(topology, { 'mcr.microsoft.com': 'http://127.0.0.1:45125' });
    const none = upstreamEndpointsEnvironment(topology, {});

    // Assess
    expect(upstreamEndpointFrom(set.DOCKMASTER_UPSTREAM_ENDPOINTS, 'mcr.microsoft.com')).toBe('http://127.0.0.1:45125');
    expect(none).toEqual({ DOCKMASTER_UPSTREAM_ENDPOINTS: undefined });
    expect(environment).not.toHaveProperty('DOCKMASTER_UPSTREAM_ENDPOINTS');
  });
});
