import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { PagerDutyEventV2Schema } from '@dockmaster/core/notifications';
import { API_DESTINATION_URL_VARIABLE, LOCAL_ROUTING_KEY } from '@dockmaster/local/bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../support/paths.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { recordRunningStack, runLocal } from './support/local-cli.js';
import { awsSampleEvent } from '@dockmaster/core/testing';

/*
 * A scan alert and its resolution reach a team's PagerDuty API destination on the local stack as real HTTP
 * POSTs (docs/examples/alert-destinations.yaml; the URL from DOCKMASTER_LOCAL_API_DESTINATION_URL), with the
 * bodies PagerDuty's Events API v2 accepts: a trigger, then a resolve with the same dedup_key.
 */

const CONFIG = path.join(REPOSITORY_ROOT, 'docs', 'examples', 'alert-destinations.yaml');

/**
 * The AWS sample Inspector2 Finding (CVE-2024-6119), moved to this image, CRITICAL, with the given status: Inspector
 * closes a finding when the image no longer has it, the path by which an alert is resolved in full (a basic rescan
 * without findings at or above the threshold is not routed to the worker).
 */
const inspectorFinding = (digest: string, status: 'ACTIVE' | 'CLOSED') => {
  const sample = awsSampleEvent('inspector2-finding-ecr.inspector-docs.json') as Record<string, unknown>;
  const detail = sample['detail'] as Record<string, unknown>;
  const [resource] = detail['resources'] as Record<string, unknown>[];
  const details = resource?.['details'] as Record<string, Record<string, unknown>>;
  return {
    ...sample,
    id: randomUUID(),
    account: '111122223333',
    region: 'eu-central-1',
    resources: [`arn:aws:ecr:eu-central-1:111122223333:repository/prod/payments/api/${digest}`],
    detail: {
      ...detail,
      awsAccountId: '111122223333',
      severity: 'CRITICAL',
      status,
      resources: [
        {
          ...resource,
          id: `arn:aws:ecr:eu-central-1:111122223333:repository/prod/payments/api/${digest}`,
          details: { ...details, awsEcrContainerImage: { ...details['awsEcrContainerImage'], repositoryName: 'prod/payments/api', imageHash: digest, imageTags: ['1.4.2'] } },
        },
      ],
    },
  };
};

let e2e: TestStack;
let server: Server;
const received: unknown[] = [];
const previousUrl = process.env[API_DESTINATION_URL_VARIABLE];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push(JSON.parse(body));
      response.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"success","message":"Event processed"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env[API_DESTINATION_URL_VARIABLE] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/enqueue`;
  e2e = await startTestStack({ prefix: 'e2e-destinations', configPath: CONFIG, demoImage: true });
});

afterAll(async () => {
  await e2e?.stop();
  if (previousUrl === undefined) delete process.env[API_DESTINATION_URL_VARIABLE];
  else process.env[API_DESTINATION_URL_VARIABLE] = previousUrl;
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('local stack: PagerDuty through an API destination', () => {
  it('POSTs a trigger for a critical finding and a resolve with the same dedup_key once Inspector closes it', async () => {
    // Prepare
    await e2e.ecr.send(new CreateRepositoryCommand({ repositoryName: 'prod/payments/api' }));
    await e2e.push('prod/payments/api', '1.4.2');

    // Act
    e2e.stack.bus.publish(inspectorFinding(e2e.image.digest, 'ACTIVE') as never);
    await e2e.stack.waitForIdle(20_000);
    await e2e.stack.bus.apiDestinations.settled();
    const afterAlert = [...received];
    e2e.stack.bus.publish(inspectorFinding(e2e.image.digest, 'CLOSED') as never);
    await e2e.stack.waitForIdle(20_000);
    await e2e.stack.bus.apiDestinations.settled();

    // Assess
    expect(afterAlert).toHaveLength(1);
    expect(received).toHaveLength(2);
    const [trigger, resolve] = received.map((body) => PagerDutyEventV2Schema.parse(body));
    expect(trigger).toMatchObject({
      routing_key: LOCAL_ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: `dockmaster/scan-alert/${e2e.image.digest}`,
      payload: { severity: 'critical', group: 'payments', component: 'prod/payments/api' },
    });
    expect(resolve).toEqual({ routing_key: LOCAL_ROUTING_KEY, event_action: 'resolve', dedup_key: trigger?.dedup_key });
  });
});

describe('dockmaster local alerts with several destinations per team', () => {
  it('shows one alert once, with every destination it reached, in text and in --json', async () => {
    // Prepare: the alert and its resolution of the previous test reached payments by e-mail, chat and PagerDuty.
    recordRunningStack(e2e.stateDir, e2e.stack, CONFIG);

    // Act
    const text = await runLocal(['alerts'], e2e.stateDir);
    const json = await runLocal(['alerts', '--json'], e2e.stateDir);

    // Assess
    expect(text.code).toBe(0);
    const scanAlertLines = text.out.filter((line) => line.includes('team payments  Scan Alert:'));
    expect(scanAlertLines).toHaveLength(1);
    expect(scanAlertLines[0]).toMatch(/\[email, chat, pagerduty\]$/);
    expect(json.code).toBe(0);
    const alerts = JSON.parse(json.out.join('\n')) as Array<Record<string, unknown>>;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ team: 'payments', severity: 'CRITICAL', deliveredTo: ['email', 'chat', 'pagerduty'] });
  });
});
