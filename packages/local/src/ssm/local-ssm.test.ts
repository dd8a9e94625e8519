import { DeleteParameterCommand, GetParameterCommand, GetParametersCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../aws-endpoint/clock.js';
import { startAwsEndpoint } from '../aws-endpoint/server.js';
import type { RunningAwsEndpoint } from '../aws-endpoint/server.js';
import { LocalSsm } from './local-ssm.js';
import type { ParameterChange } from './local-ssm.js';
import { errorOf } from '../shared/error-of.testing.js';

let clock: ManualClock;
let ssm: LocalSsm;
let endpoint: RunningAwsEndpoint;
let client: SSMClient;
let changes: ParameterChange[];

beforeEach(async () => {
  clock = new ManualClock();
  changes = [];
  ssm = new LocalSsm({ accountId: '123456789012', clock, parameters: [{ name: '/dockmaster/config', value: 'version: 1' }] });
  ssm.onChange((change) => {
    changes.push(change);
  });
  const unused = { operations: {} };
  endpoint = await startAwsEndpoint({ ecr: { ...unused, downloadLayer: async () => new Response(null, { status: 404 }) }, sqs: unused, ssm, events: { putEvents: () => [] } });
  client = new SSMClient({ endpoint: endpoint.url, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});

afterEach(async () => {
  client.destroy();
  await endpoint.stop();
});

describe('parameters', () => {
  it('gets an initial parameter with its ARN, version and date, and throws ParameterNotFound for an unknown one', async () => {
    // Act
    const got = await client.send(new GetParameterCommand({ Name: '/dockmaster/config' }));
    const missing = await errorOf(client.send(new GetParameterCommand({ Name: '/dockmaster/nope' })));
    const several = await client.send(new GetParametersCommand({ Names: ['/dockmaster/config', '/dockmaster/nope'] }));

    // Assess
    expect(got.Parameter).toEqual({
      Name: '/dockmaster/config',
      Type: 'String',
      Value: 'version: 1',
      Version: 1,
      LastModifiedDate: new Date(clock.now()),
      ARN: 'arn:aws:ssm:eu-central-1:123456789012:parameter/dockmaster/config',
      DataType: 'text',
    });
    expect(missing.name).toBe('ParameterNotFound');
    expect(several.Parameters?.map((parameter) => parameter.Name)).toEqual(['/dockmaster/config']);
    expect(several.InvalidParameters).toEqual(['/dockmaster/nope']);
  });

  it('creates, refuses to overwrite without Overwrite, then updates with a new version and reports each change', async () => {
    // Act
    const created = await client.send(new PutParameterCommand({ Name: '/dockmaster/flag', Value: 'on', Type: 'String' }));
    const refused = await errorOf(client.send(new PutParameterCommand({ Name: '/dockmaster/flag', Value: 'off', Type: 'String' })));
    clock.advance(1_000);
    const updated = await client.send(new PutParameterCommand({ Name: '/dockmaster/flag', Value: 'off', Overwrite: true }));
    const current = await client.send(new GetParameterCommand({ Name: '/dockmaster/flag' }));
    const noType = await errorOf(client.send(new PutParameterCommand({ Name: '/dockmaster/untyped', Value: 'x' })));
    await client.send(new DeleteParameterCommand({ Name: '/dockmaster/flag' }));

    // Assess
    expect(created).toMatchObject({ Version: 1, Tier: 'Standard' });
    expect(refused.name).toBe('ParameterAlreadyExists');
    expect(updated.Version).toBe(2);
    expect(current.Parameter).toMatchObject({ Value: 'off', Version: 2, LastModifiedDate: new Date(clock.now()) });
    expect(noType.name).toBe('ValidationException');
    expect(ssm.value('/dockmaster/flag')).toBeUndefined();
    expect(changes).toEqual([
      { operation: 'Create', name: '/dockmaster/flag', type: 'String', description: undefined, version: 1 },
      { operation: 'Update', name: '/dockmaster/flag', type: 'String', description: undefined, version: 2 },
      { operation: 'Delete', name: '/dockmaster/flag', type: 'String', description: undefined, version: 2 },
    ]);
  });
});
