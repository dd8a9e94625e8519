import { readFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfigOrThrow } from '@dockmaster/core/config';
import { DOCKMASTER_EVENT_SOURCE, DockmasterEventType } from '@dockmaster/core/constants';
import { PagerDutyEventV2Schema } from '@dockmaster/core/notifications';
import { buildTopology, type Topology } from '@dockmaster/core/topology';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AlertSink } from './alert-sink.js';
import { LocalApiDestinations } from './api-destination.js';
import { LocalBus } from './local-bus.js';

/*
 * The local bus delivers a team's chat topic (the custom notification it would publish) and its PagerDuty API
 * destination (a real HTTP POST to a local receiver) for docs/examples/alert-destinations.yaml.
 */

const repositoryRoot = new URL('../../../../', import.meta.url);
const ROUTING_KEY = 'test-routing-key-0123456789abcde';

interface Received {
  method: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

let topology: Topology;
let server: Server;
let url: string;
let received: Received[];
let alerts: AlertSink;
let bus: LocalBus;

const dockmasterEvent = (detailType: string, detail: Record<string, unknown>) => ({
  Source: DOCKMASTER_EVENT_SOURCE,
  DetailType: detailType,
  Detail: JSON.stringify({ message: { subject: 'Subject "quoted"', body: 'Line 1\nLine 2' }, ...detail }),
  EventBusName: topology.bus.name,
});

beforeAll(async () => {
  const text = await readFile(new URL('docs/examples/alert-destinations.yaml', repositoryRoot), 'utf8');
  topology = buildTopology(parseConfigOrThrow(text, 'alert-destinations.yaml'), { busName: 'dockmaster-local' });
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ method: request.method, headers: request.headers, body });
      response.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"success"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/enqueue`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  // Prepare
  received = [];
  alerts = new AlertSink();
  bus = new LocalBus({ topology, queueFor: () => undefined, alerts, apiDestinations: new LocalApiDestinations({ url, routingKey: ROUTING_KEY }) });
});

describe('local bus: PagerDuty API destinations', () => {
  it('POSTs detail.pagerduty to the configured URL, with the routing_key the connection adds', async () => {
    // Prepare
    const pagerduty = { event_action: 'trigger', dedup_key: 'dockmaster/scan-alert/sha256:abc', payload: { summary: 's', source: 'src', severity: 'critical' } };

    // Act
    const [result] = bus.putEvents([dockmasterEvent(DockmasterEventType.ScanAlert, { team: 'payments', pagerduty })]);
    await bus.apiDestinations.settled();

    // Assess
    expect(result).toHaveProperty('EventId');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' } });
    const body = JSON.parse(received[0]!.body) as unknown;
    expect(body).toEqual({ ...pagerduty, routing_key: ROUTING_KEY });
    expect(PagerDutyEventV2Schema.safeParse(body).success).toBe(true);
  });

  it('sends nothing for a resolution without a PagerDuty body, for another team or for a tag policy violation', async () => {
    // Act
    bus.putEvents([
      dockmasterEvent(DockmasterEventType.ScanAlertResolved, { team: 'payments', allResolved: false }),
      dockmasterEvent(DockmasterEventType.ScanAlert, { team: 'web', pagerduty: { event_action: 'trigger' } }),
      dockmasterEvent(DockmasterEventType.TagPolicyViolation, { team: 'payments' }),
    ]);
    await bus.apiDestinations.settled();

    // Assess
    expect(received).toEqual([]);
  });
});

describe('local bus: chat destinations', () => {
  it("records the custom notification the team's chat topic publishes, next to the e-mail delivery", () => {
    // Act
    const [delivery] = [bus.publishDockmasterEvent({
      version: '0',
      id: 'e1',
      'detail-type': DockmasterEventType.TagPolicyViolation,
      source: DOCKMASTER_EVENT_SOURCE,
      account: '111122223333',
      time: '2026-05-04T10:00:00Z',
      region: 'eu-central-1',
      resources: [],
      detail: { team: 'payments', message: { subject: 'Subject "quoted"', body: 'Line 1\nLine 2' } },
    })];

    // Assess
    expect(delivery).toMatchObject({ teams: ['payments'], destinations: ['team-payments-chat'] });
    expect(alerts.list().map((alert) => [alert.team, alert.channel, alert.destination, alert.published])).toEqual([
      ['payments', 'email', 'team-payments', undefined],
      [
        'payments',
        'chat',
        'team-payments-chat',
        {
          version: '1.0',
          source: 'custom',
          id: 'e1',
          content: { textType: 'client-markdown', title: 'Subject "quoted"', description: 'Line 1\nLine 2' },
          metadata: { summary: 'Subject "quoted"', eventType: DockmasterEventType.TagPolicyViolation },
        },
      ],
    ]);
  });
});

describe('local bus: the alert sink names every destination', () => {
  it('records one delivery per destination of the team (e-mail, chat, PagerDuty), each with its channel, and no PagerDuty body', async () => {
    // Act
    bus.putEvents([dockmasterEvent(DockmasterEventType.ScanAlert, { team: 'payments', pagerduty: { event_action: 'trigger', dedup_key: 'k', payload: { summary: 's', source: 'src', severity: 'critical' } } })]);
    await bus.apiDestinations.settled();

    // Assess
    const delivered = alerts.list();
    expect(delivered.map((alert) => [alert.team, alert.channel])).toEqual([
      ['payments', 'email'],
      ['payments', 'chat'],
      ['payments', 'pagerduty'],
    ]);
    expect(new Set(delivered.map((alert) => alert.eventId)).size).toBe(1);
    expect(delivered[2]).not.toHaveProperty('published');
    expect(JSON.stringify(delivered)).not.toContain(ROUTING_KEY);
  });
});
