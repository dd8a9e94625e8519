import { describe, expect, it } from 'vitest';
import { ACCEPTED_CRONS, ACCEPTED_RATES, REFUSED_SCHEDULES } from '../testing/index.js';
import { parseScheduleExpression } from './schedule-expression.js';

describe('parseScheduleExpression accepts what EventBridge accepts', () => {
  it.each(ACCEPTED_RATES)('$expression, every $everyMs ms', ({ expression, everyMs }) => {
    // Act
    const parsed = parseScheduleExpression(expression);

    // Assess
    expect(parsed).toMatchObject({ ok: true, schedule: { kind: 'rate', everyMs } });
  });

  it.each(ACCEPTED_CRONS)('%s', (expression) => {
    // Act
    const parsed = parseScheduleExpression(expression);

    // Assess
    expect(parsed).toEqual({ ok: true, schedule: { kind: 'cron', fields: expression.slice(5, -1).split(' ') } });
  });
});

describe('parseScheduleExpression refuses what EventBridge refuses, with the position and the fix', () => {
  it.each(REFUSED_SCHEDULES)('$expression', ({ expression, reason }) => {
    // Act
    const parsed = parseScheduleExpression(expression);

    // Assess
    expect(parsed.ok).toBe(false);
    if (typeof reason === 'string') expect(parsed.ok ? '' : parsed.reason).toBe(reason);
    else expect(parsed.ok ? '' : parsed.reason).toMatch(reason);
  });
});
