import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@dockmaster/core/config';
import { DockmasterEventType } from '@dockmaster/core/constants';
import { awsSampleEvent, exampleConfigText } from '@dockmaster/core/testing';
import { buildTopology, type Topology } from '@dockmaster/core/topology';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalSqs } from '../sqs/index.js';
import { queueDeclarations, queueName } from '../stack/queues.js';
import { AlertSink } from './alert-sink.js';
import { imageScanCompleteEvent, parameterStoreChangeEvent } from './aws-events.js';
import { LocalBus } from './local-bus.js';

const fixture = (name: string) => awsSampleEvent(name) as Record<string, unknown> & { detail: Record<string, unknown> };

let topology: Topology;
let sqs: LocalSqs;
let stateDir: string;
let alerts: AlertSink;
let bus: LocalBus;

const deployed = () => new Set(topology.automations.filter((automation) => automation.rules.length > 0).map((automation) => automation.id));
const bodies = (automation: string): unknown[] => sqs.queue(queueName(topology, automation as never)).receiveBatch(10).map((record) => JSON.parse(record.body));

beforeAll(async () => {
  const loaded = loadConfig(exampleConfigText(), 'dockmaster.example.yaml');
  if (!loaded.ok) throw new Error('the example configuration must be valid');
  topology = buildTopology(loaded.config, { configParameterName: '/dockmaster/local/config', busName: 'dockmaster-local' });
});

beforeEach(async () => {
  // Prepare: queues declared from the topology, as the stack declares them.
  sqs = new LocalSqs({ queues: queueDeclarations(topology), accountId: '111122223333', region: 'eu-central-1' });
  stateDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-bus-test-'));
  alerts = new AlertSink(stateDir);
  const ids = deployed();
  bus = new LocalBus({ topology, queueFor: (id) => (ids.has(id) ? sqs.queue(queueName(topology, id)) : undefined), alerts });
});

afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

describe('LocalBus on the default bus', () => {
  it('delivers the real ECR push sample, moved under prod/, to the tag-policy queue with the event JSON as the body', async () => {
    // Prepare
    const push = fixture('ecr-image-action-push-success.json');
    const event = { ...push, detail: { ...push.detail, 'repository-name': 'prod/payments/api' } };

    // Act
    const delivery = bus.publish(event as never);

    // Assess
    expect(delivery.automations).toEqual(['tag-policy']);
    expect(bodies('tag-policy')).toEqual([event]);
    expect(bodies('cache-repository')).toEqual([]);
  });

  it('reaches no queue for a push to a repository no tag policy covers', async () => {
    // Prepare: the AWS sample's own repository name is not under prod/** or vendor/**.
    const push = fixture('ecr-image-action-push-success.json');

    // Act
    const delivery = bus.publish(push as never);

    // Assess
    expect(delivery.automations).toEqual([]);
    expect(bodies('tag-policy')).toEqual([]);
  });

  it('routes a pull-through cache action under k8s/ to cache-repository', async () => {
    // Prepare: the normalized AWS sample (the original has a trailing comma), prefix and name moved under k8s/.
    const action = fixture('ecr-pull-through-cache-action.normalized.json');
    const event = { ...action, detail: { ...action.detail, 'ecr-repository-prefix': 'k8s', 'repository-name': 'k8s/pause' } };

    // Act
    const delivery = bus.publish(event as never);

    // Assess
    expect(delivery.automations).toEqual(['cache-repository']);
    expect(bodies('cache-repository')).toEqual([event]);
  });

  it('routes a config parameter change to prepopulate, and a completed scan with CRITICAL findings to scan-alert', () => {
    // Prepare
    const origin = { account: '111122223333', region: 'eu-central-1' };
    const change = parameterStoreChangeEvent(origin, { operation: 'Update', name: '/dockmaster/local/config', type: 'String' });
    const scan = imageScanCompleteEvent(origin, { repository: 'prod/payments/api', digest: `sha256:${'a'.repeat(64)}`, tags: ['1.0.0'], counts: { CRITICAL: 2, LOW: 0 } });

    // Act
    const routed = [bus.publish(change).automations, bus.publish(scan).automations];

    // Assess: zero counts are left out, as ECR does; the numeric filter of the rule then matches CRITICAL.
    expect(routed).toEqual([['prepopulate'], ['scan-alert']]);
    expect(scan.detail['finding-severity-counts']).toEqual({ CRITICAL: 2 });
  });
});

describe('LocalBus.putEvents', () => {
  it("delivers Dockmaster's Scan Alert to the owning team's alert sink and appends it to alerts.jsonl", async () => {
    // Prepare
    const detail = { team: 'payments', repository: 'prod/payments/api', digest: `sha256:${'b'.repeat(64)}`, severity: 'CRITICAL' };

    // Act
    const results = bus.putEvents([{ EventBusName: 'dockmaster-local', Source: 'dockmaster', DetailType: DockmasterEventType.ScanAlert, Detail: JSON.stringify(detail) }]);

    // Assess
    expect(results).toEqual([{ EventId: expect.any(String) }]);
    expect(alerts.list()).toEqual([expect.objectContaining({ team: 'payments', detailType: 'Scan Alert', detail })]);
    const lines = (await readFile(path.join(stateDir, 'alerts.jsonl'), 'utf8')).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).detail)).toEqual([detail]);
  });

  it('delivers nothing for a Dockmaster event of a team that has no route, and routes default-bus entries like AWS events', () => {
    // Prepare
    const unknownTeam = { EventBusName: 'dockmaster-local', Source: 'dockmaster', DetailType: DockmasterEventType.ScanAlert, Detail: JSON.stringify({ team: 'nobody' }) };
    const onDefault = {
      Source: 'aws.ssm',
      DetailType: 'Parameter Store Change',
      Detail: JSON.stringify({ operation: 'Create', name: '/dockmaster/local/config', type: 'String' }),
    };

    // Act
    bus.putEvents([unknownTeam, onDefault]);

    // Assess
    expect(alerts.list()).toEqual([]);
    expect(bodies('prepopulate')).toEqual([expect.objectContaining({ source: 'aws.ssm', account: '111122223333', detail: expect.objectContaining({ operation: 'Create' }) })]);
  });

  it('answers per entry for an unknown bus and a malformed detail', () => {
    // Act
    const results = bus.putEvents([
      { EventBusName: 'arn:aws:events:eu-central-1:111122223333:event-bus/other', Source: 'x', DetailType: 'y', Detail: '{}' },
      { EventBusName: 'dockmaster-local', Source: 'x', DetailType: 'y', Detail: '[1' },
      { EventBusName: 'arn:aws:events:eu-central-1:111122223333:event-bus/dockmaster-local', Source: 'x', DetailType: 'y', Detail: '{}' },
    ]);

    // Assess
    expect(results.map((result) => result.ErrorCode ?? 'ok')).toEqual(['NotFoundException', 'MalformedDetail', 'ok']);
  });

  it('refuses per entry a detail nested past 1000 levels and an entry over 256 KB, routing nothing', () => {
    // Prepare
    const deep = `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const large = JSON.stringify({ operation: 'Create', name: '/dockmaster/local/config', padding: 'x'.repeat(262_144) });

    // Act
    const results = bus.putEvents([
      { Source: 'aws.ssm', DetailType: 'Parameter Store Change', Detail: deep },
      { Source: 'aws.ssm', DetailType: 'Parameter Store Change', Detail: large },
    ]);

    // Assess
    expect(results).toEqual([
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is nested more than 999 levels deep; inside the event that passes the 1000 levels EventBridge processes.' },
      { ErrorCode: 'ValidationException', ErrorMessage: expect.stringMatching(/^The entry is 26\d{4} bytes; entries are at most 262144 bytes \(256 KB\)\.$/) },
    ]);
    expect(bodies('prepopulate')).toEqual([]);
  });

  it('routes a detail nested 999 deep: the whole event is within the 1000 levels', () => {
    // Prepare: the detail object and its `padding` arrays, 999 levels.
    const detail = `{"operation":"Create","name":"/dockmaster/local/config","type":"String","padding":${'['.repeat(998)}${']'.repeat(998)}}`;

    // Act
    const results = bus.putEvents([{ Source: 'aws.ssm', DetailType: 'Parameter Store Change', Detail: detail }]);

    // Assess
    expect(results[0]?.ErrorCode).toBeUndefined();
    expect(bodies('prepopulate')).toHaveLength(1);
  });
});
