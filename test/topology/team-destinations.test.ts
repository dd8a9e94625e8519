import { readFileSync } from 'node:fs';
import { loadConfig, parseConfigOrThrow } from '@dockmaster/core/config';
import { DOCKMASTER_EVENT_SOURCE, DockmasterEventType } from '@dockmaster/core/constants';
import { compileEventPattern } from '@dockmaster/core/pattern';
import { buildTopology, routeAlertDestinations, routeTeamAlert, type ApiDestinationSpec, type TopicDestinationSpec } from '@dockmaster/core/topology';
import { describe, expect, it } from 'vitest';
import { renderInput } from '../plan/eventbridge-input.js';

/*
 * The chat and PagerDuty destinations of docs/examples/alert-destinations.yaml, as topology data: what infra
 * deploys (test/plan/team-destinations.test.ts) and the local bus delivers.
 */

const EXAMPLE = new URL('../../docs/examples/alert-destinations.yaml', import.meta.url);
const exampleText = readFileSync(EXAMPLE, 'utf8');
const config = parseConfigOrThrow(exampleText, 'alert-destinations.yaml');

const teamEvent = (detailType: string, team: string, detail: Record<string, unknown> = {}) => ({
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': detailType,
  source: DOCKMASTER_EVENT_SOURCE,
  account: '111122223333',
  time: '2026-05-04T10:00:00Z',
  region: 'eu-central-1',
  resources: [],
  detail: { team, message: { subject: '[CRITICAL] prod/payments/api:1.4.2 — 1 critical "vulnerability"', body: 'Line one.\nLine two with a \\ backslash.' }, ...detail },
});

const withConfig = (teamsYaml: string) =>
  loadConfig(`version: 1\nregistry: { accountId: "111122223333", region: eu-central-1 }\nteams:\n${teamsYaml}`, 'teams.yaml');

describe('teams.<team>.chat and .pagerduty in the topology', () => {
  it('gives each team its e-mail topic, and a chat topic and a PagerDuty API destination where configured', () => {
    // Act
    const topology = buildTopology(config);

    // Assess
    expect(topology.alertDestinations.map((destination) => [destination.team, destination.kind ?? 'sns-topic', destination.name])).toEqual([
      ['payments', 'sns-topic', 'team-payments'],
      ['payments', 'sns-topic', 'team-payments-chat'],
      ['payments', 'api-destination', 'dockmaster-pagerduty-payments'],
      ['platform', 'sns-topic', 'team-platform'],
      ['platform', 'sns-topic', 'team-platform-chat'],
      ['platform', 'api-destination', 'dockmaster-pagerduty-platform'],
      ['web', 'sns-topic', 'team-web'],
    ]);
  });

  it('subscribes the Slack or Teams channel with a role capped by the AWSDenyAll guardrail, in the registry partition', () => {
    // Act
    const topology = buildTopology(parseConfigOrThrow(exampleText.replaceAll('eu-central-1', 'cn-north-1').replace('arn:aws:', 'arn:aws-cn:'), 'cn.yaml'), { busName: 'dm' });

    // Assess
    const chats = topology.alertDestinations.flatMap((destination) => (destination.kind !== 'api-destination' && destination.chat ? [destination.chat] : []));
    expect(chats).toEqual([
      { configurationName: 'dm-chat-payments', roleName: 'dm-chat-payments', guardrailPolicyArns: ['arn:aws-cn:iam::aws:policy/AWSDenyAll'], platform: 'slack', workspaceId: 'T0123ABCD', channelId: 'C0456EFGH' },
      {
        configurationName: 'dm-chat-platform',
        roleName: 'dm-chat-platform',
        guardrailPolicyArns: ['arn:aws-cn:iam::aws:policy/AWSDenyAll'],
        platform: 'teams',
        teamId: '3a1f5c2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b',
        tenantId: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a',
        channelId: '19%3a0123456789abcdef0123456789abcdef%40thread.tacv2',
      },
    ]);
  });

  it('hands the chat topic the custom notification Amazon Q Developer renders, valid JSON whatever the message holds', () => {
    // Prepare
    const topology = buildTopology(config);
    const chat = topology.alertDestinations.find((destination) => destination.name === 'team-payments-chat') as TopicDestinationSpec;
    const event = teamEvent(DockmasterEventType.ScanAlert, 'payments');

    // Act
    const published = JSON.parse(renderInput(chat.feed.kind === 'bus-rule' ? chat.feed.inputTransformer! : { inputPaths: {}, inputTemplate: '' }, event)) as unknown;

    // Assess
    expect(published).toEqual({
      version: '1.0',
      source: 'custom',
      id: event.id,
      content: { textType: 'client-markdown', title: event.detail.message.subject, description: event.detail.message.body },
      metadata: { summary: event.detail.message.subject, eventType: 'Scan Alert' },
    });
  });

  it('sends a team PagerDuty only its scan alerts and full resolutions, and a chat channel every team message', () => {
    // Prepare
    const topology = buildTopology(config);
    const trigger = teamEvent(DockmasterEventType.ScanAlert, 'payments', { pagerduty: { event_action: 'trigger' } });
    const resolve = teamEvent(DockmasterEventType.ScanAlertResolved, 'payments', { pagerduty: { event_action: 'resolve' } });
    const partial = teamEvent(DockmasterEventType.ScanAlertResolved, 'payments');
    const violation = teamEvent(DockmasterEventType.TagPolicyViolation, 'payments');
    const otherTeam = teamEvent(DockmasterEventType.ScanAlert, 'web', { pagerduty: { event_action: 'trigger' } });

    // Act
    const routed = [trigger, resolve, partial, violation, otherTeam].map((event) => routeAlertDestinations(topology, event).map((destination) => destination.name));

    // Assess
    expect(routed).toEqual([
      ['team-payments', 'team-payments-chat', 'dockmaster-pagerduty-payments'],
      ['team-payments', 'team-payments-chat', 'dockmaster-pagerduty-payments'],
      ['team-payments', 'team-payments-chat'],
      ['team-payments', 'team-payments-chat'],
      ['team-web'],
    ]);
    expect(routeTeamAlert(topology, trigger)).toEqual(['payments']);
  });

  it('sends PagerDuty the Events API v2 body at detail.pagerduty, through a role that may invoke only that API destination', () => {
    // Act
    const pagerDuty = buildTopology(config).alertDestinations.find((destination) => destination.kind === 'api-destination') as ApiDestinationSpec;

    // Assess
    expect(pagerDuty).toMatchObject({
      endpoint: 'https://events.pagerduty.com/v2/enqueue',
      httpMethod: 'POST',
      routingKeySecret: 'dockmaster/pagerduty/payments',
      secretBodyParameter: 'routing_key',
      feed: { inputPath: '$.detail.pagerduty' },
    });
    expect(pagerDuty.feed.inputTransformer).toBeUndefined();
    const platform = buildTopology(config).alertDestinations.find((destination) => destination.name === 'dockmaster-pagerduty-platform') as ApiDestinationSpec;
    expect(platform.endpoint).toBe('https://events.eu.pagerduty.com/v2/enqueue');
    expect(pagerDuty.role.statements).toEqual([
      { sid: 'InvokeTeamPagerDutyOnly', actions: ['events:InvokeApiDestination'], resources: ['arn:aws:events:eu-central-1:111122223333:api-destination/dockmaster-pagerduty-payments/*'] },
    ]);
    expect(compileEventPattern(pagerDuty.feed.rule.eventPattern)(teamEvent(DockmasterEventType.ScanAlert, 'payments', { pagerduty: { event_action: 'trigger' } }))).toBe(true);
  });
});

describe('validation of teams.<team>.chat and .pagerduty', () => {
  it.each([
    ['a Slack workspace id in lowercase', '  a:\n    chat: { slack: { workspaceId: t0123, channelId: C1 } }\n', 'teams.a.chat.slack.workspaceId'],
    ['both Slack and Teams', '  a:\n    chat:\n      slack: { workspaceId: T1, channelId: C1 }\n      teams: { teamId: 3a1f5c2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b, tenantId: 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a, channelId: "19%3aab%40thread.tacv2" }\n', 'teams.a.chat'],
    ['a Teams channel id that is not URL-encoded', '  a:\n    chat: { teams: { teamId: 3a1f5c2e-8b7d-4e6f-9a0b-1c2d3e4f5a6b, tenantId: 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a, channelId: "19:ab@thread.tacv2" } }\n', 'teams.a.chat.teams.channelId'],
    ['a routing key written into the file', '  a:\n    pagerduty: { routingKey: R0123456789abcdef0123456789abcde }\n', 'teams.a.pagerduty'],
    ['a secret name with a space', '  a:\n    pagerduty: { routingKeySecret: "my secret" }\n', 'teams.a.pagerduty.routingKeySecret'],
  ])('rejects %s', (_name, teams, where) => {
    // Act
    const result = withConfig(teams);

    // Assess
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map((issue) => issue.path)).toContainEqual(expect.stringContaining(where));
  });
});
