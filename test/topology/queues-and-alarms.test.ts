import { AUTOMATION_IDS } from '@dockmaster/core/constants';
import { buildTopology, queueNames } from '@dockmaster/core/topology';
import { describe, expect, it } from 'vitest';
import { exampleConfigWith, loadExampleConfig } from './helpers.js';

/*
 * Fixed queue and alarm names (so `dockmaster redrive --stage` finds a deployment's queues, and the alarm
 * topic's policy can name the alarms before they exist), and who receives the DLQ alarms.
 */

describe('queueNames', () => {
  it('derives the queue, its DLQ and the DLQ alarm from the bus name', () => {
    // Act
    const names = queueNames('dockmaster-prod', 'cache-repository');

    // Assess
    expect(names).toEqual({
      queue: 'dockmaster-prod-cache-repository',
      deadLetter: 'dockmaster-prod-cache-repository-dlq',
      deadLetterAlarm: 'dockmaster-prod-cache-repository-dlq-not-empty',
    });
  });

  it('gives every automation its own names', () => {
    // Act
    const names = AUTOMATION_IDS.flatMap((automation) => Object.values(queueNames('dockmaster-prod', automation)));

    // Assess
    expect(new Set(names).size).toBe(names.length);
  });

  it.each([
    ['a name SQS would cut off (over 80 characters)', `dockmaster-${'s'.repeat(60)}`],
    ['characters SQS refuses', 'dockmaster.prod'],
  ])('refuses %s, naming the fix', (_case, busName) => {
    // Act
    const naming = () => queueNames(busName, 'tag-policy');

    // Assess
    expect(naming).toThrow(/is not a valid SQS name .* use a shorter stage or app name/);
  });

  it('makes buildTopology fail before anything is deployed with a bus name that yields invalid queue names', () => {
    // Act
    const building = () => buildTopology(loadExampleConfig(), { busName: `dockmaster-${'x'.repeat(70)}` });

    // Assess
    expect(building).toThrow(/not a valid SQS name/);
  });
});

describe('the DLQ alarm target', () => {
  it("is operations.alarmTeam's e-mail addresses on a topic named after the bus", () => {
    // Prepare
    const config = exampleConfigWith({ operations: { alarmTeam: 'payments' } });

    // Act
    const { alarms } = buildTopology(config, { busName: 'dockmaster-prod' });

    // Assess
    expect(alarms).toEqual({ team: 'payments', topicName: 'dockmaster-prod-alarms', emails: ['payments-oncall@acme.example'] });
  });

  it('is absent without an alarm team', () => {
    // Act
    const { alarms } = buildTopology(exampleConfigWith({ operations: undefined }), { busName: 'dockmaster-prod' });

    // Assess
    expect(alarms).toBeUndefined();
  });
});
