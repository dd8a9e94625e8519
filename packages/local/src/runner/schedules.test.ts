import { loadConfig } from '@dockmaster/core/config';
import { exampleConfigText, REFUSED_SCHEDULES } from '@dockmaster/core/testing';
import { buildTopology, type ScheduleRuleSpec } from '@dockmaster/core/topology';
import { describe, expect, it } from 'vitest';
import { parseScheduleExpression, scheduledMessage } from './schedules.js';

describe('parseScheduleExpression', () => {
  it('turns rate(...) into an interval and recognises cron(...) as not simulated', () => {
    // Act
    const parsed = ['rate(6 hours)', 'rate(1 minute)', 'rate(2 days)', 'cron(0 3 * * ? *)', 'every day'].map(parseScheduleExpression);

    // Assess
    expect(parsed.map((schedule) => (schedule.kind === 'rate' ? schedule.everyMs : schedule.kind))).toEqual([21_600_000, 60_000, 172_800_000, 'not-simulated', 'invalid']);
  });

  it.each(REFUSED_SCHEDULES.map(({ expression, reason }) => [expression, typeof reason === 'string' ? reason : expect.stringMatching(reason)] as const))('refuses %s, which EventBridge refuses, instead of timing it', (expression, reason) => {
    // Act
    const parsed = parseScheduleExpression(expression);

    // Assess
    expect(parsed).toEqual({ kind: 'invalid', reason });
  });

  it('does not simulate a rate longer than a Node timer can wait, which would fire every millisecond', () => {
    // Act
    const parsed = parseScheduleExpression('rate(30 days)');

    // Assess
    expect(parsed).toEqual({ kind: 'not-simulated', reason: 'a rate longer than 2147483647 ms is not simulated locally' });
  });
});

describe('scheduledMessage', () => {
  it("applies the reconcile rule's input transformer: the Scheduled Event envelope with the rule's detail", async () => {
    // Prepare
    const text = exampleConfigText();
    const loaded = loadConfig(text, 'example');
    if (!loaded.ok) throw new Error('the example configuration must be valid');
    const rule = buildTopology(loaded.config)
      .automations.flatMap((automation) => automation.rules)
      .find((candidate): candidate is ScheduleRuleSpec => candidate.kind === 'schedule' && candidate.name === 'cache-repository-reconcile');

    // Act
    const message = scheduledMessage(rule as ScheduleRuleSpec, { account: '111122223333', region: 'eu-central-1' }, new Date('2026-06-01T12:00:00.123Z'));

    // Assess
    expect(message).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '111122223333',
      time: '2026-06-01T12:00:00Z',
      region: 'eu-central-1',
      resources: ['arn:aws:events:eu-central-1:111122223333:rule/cache-repository-reconcile'],
      detail: { automation: 'cache-repository', trigger: 'reconcile' },
    });
  });
});
