import { readFileSync } from 'node:fs';
import { parseConfigOrThrow } from '@dockmaster/core/config';
import { buildTopology, queueNames, regionalArn, type ApiDestinationSpec } from '@dockmaster/core/topology';
import { describe, expect, it } from 'vitest';
import { exampleConfigWith, loadExampleConfig } from './helpers.js';

/*
 * Every alert destination is declared once, in topology.alertDestinations: the infra deploys exactly that list
 * (test/plan/resources.test.ts) and the local bus routes to its bus-fed entries (routeTeamAlert).
 */

describe('topology.alertDestinations', () => {
  it("is one bus-fed destination per team, carrying that team's alert rule, e-mails and message transformer", () => {
    // Act
    const topology = buildTopology(loadExampleConfig());

    // Assess
    expect(topology.alertDestinations).toEqual(
      topology.teamAlertRoutes.map((route) => ({
        name: route.topicName,
        team: route.team,
        displayName: `Dockmaster alerts for ${route.team}`,
        emails: route.emails,
        feed: { kind: 'bus-rule', sid: 'AllowTeamAlertRuleOnly', rule: route.rule, inputTransformer: route.inputTransformer },
      })),
    );
  });

  it("adds the alarm team's destination, fed only by Dockmaster's own DLQ alarms, in the registry's partition", () => {
    // Prepare
    const config = exampleConfigWith({ operations: { alarmTeam: 'payments' }, registry: { accountId: '111122223333', region: 'cn-north-1' } });

    // Act
    const topology = buildTopology(config, { busName: 'dm' });

    // Assess
    const alarms = topology.alertDestinations.filter((destination) => destination.feed.kind === 'alarms');
    expect(alarms).toEqual([
      {
        name: 'dockmaster-alarms',
        team: 'payments',
        topicName: 'dm-alarms',
        displayName: 'Dockmaster alarms for payments',
        emails: config.teams.payments?.email,
        feed: {
          kind: 'alarms',
          sid: 'AllowDockmasterAlarmsOnly',
          alarmArns: topology.automations.map((automation) => regionalArn(topology.registry, 'cloudwatch', `alarm:${queueNames('dm', automation.id).deadLetterAlarm}`)),
        },
      },
    ]);
    expect(alarms[0]?.feed.kind === 'alarms' && alarms[0].feed.alarmArns[0]).toMatch(/^arn:aws-cn:cloudwatch:cn-north-1:111122223333:alarm:/);
  });

  it('has no alarm destination without an alarm team', () => {
    // Act
    const topology = buildTopology(loadExampleConfig());

    // Assess
    expect(topology.alertDestinations.some((destination) => destination.feed.kind === 'alarms')).toBe(false);
  });
});

describe('topology.alertDestinations: the PagerDuty dead-letter queues', () => {
  it("gives each PagerDuty destination's DLQ an alarm the alarm topic accepts, next to the automations' DLQ alarms", () => {
    // Prepare: docs/examples/alert-destinations.yaml (payments and platform page) with an alarm team.
    const text = readFileSync(new URL('../../docs/examples/alert-destinations.yaml', import.meta.url), 'utf8');
    const config = { ...parseConfigOrThrow(text, 'alert-destinations.yaml'), operations: { alarmTeam: 'payments' } };

    // Act
    const topology = buildTopology(config, { busName: 'dm' });

    // Assess
    const pagerDuties = topology.alertDestinations.filter((destination): destination is ApiDestinationSpec => destination.kind === 'api-destination');
    expect(pagerDuties.map((destination) => destination.deadLetter.alarmName)).toEqual(['dm-pagerduty-payments-dlq-not-empty', 'dm-pagerduty-platform-dlq-not-empty']);
    const alarms = topology.alertDestinations.find((destination) => destination.feed.kind === 'alarms');
    expect(alarms?.feed.kind === 'alarms' && alarms.feed.alarmArns).toEqual([
      ...topology.automations.map((automation) => regionalArn(topology.registry, 'cloudwatch', `alarm:${queueNames('dm', automation.id).deadLetterAlarm}`)),
      'arn:aws:cloudwatch:eu-central-1:111122223333:alarm:dm-pagerduty-payments-dlq-not-empty',
      'arn:aws:cloudwatch:eu-central-1:111122223333:alarm:dm-pagerduty-platform-dlq-not-empty',
    ]);
  });
});
