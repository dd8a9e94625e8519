/* The config's schedule expressions are validated as EventBridge validates them (core/schedule). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatConfigIssue, loadConfig } from './index.js';

const EXAMPLE = readFileSync(new URL('../../../../docs/examples/dockmaster.example.yaml', import.meta.url), 'utf8');
const FILE = 'dockmaster.yaml';
const SCHEDULE = 'schedule: "rate(6 hours)"';

const loadWithSchedule = (expression: string): string[] => {
  if (EXAMPLE.split(SCHEDULE).length !== 2) throw new Error(`the example no longer holds exactly one ${SCHEDULE}`);
  const result = loadConfig(EXAMPLE.replace(SCHEDULE, `schedule: ${JSON.stringify(expression)}`), FILE, { now: new Date('2026-06-01T00:00:00Z') });
  return result.ok ? [] : result.issues.map(formatConfigIssue);
};

describe('prepopulate.schedule', () => {
  it.each(['rate(6 hours)', 'rate(1 hour)', 'rate(30 minutes)', 'cron(0 3 * * ? *)', 'cron(0/15 8-17 ? * MON-FRI *)'])('accepts %s', (expression) => {
    // Act
    const issues = loadWithSchedule(expression);

    // Assess
    expect(issues).toEqual([]);
  });

  it.each([
    ['rate(6 hour)', 'at character 8: with the value 6 the unit must be "hours" (the singular only for 1); write "rate(6 hours)"'],
    ['rate(1 hours)', 'at character 8: with the value 1 the unit must be "hour" (the singular only for 1); write "rate(1 hour)"'],
    ['rate(0 hours)', 'at character 6: the rate value must be positive, got 0; the shortest rate is "rate(1 minute)"'],
    ['cron(0 3 * * *)', 'at character 6: a cron expression has 6 fields, got 5; EventBridge cron has a Year field and uses "?" in Day-of-month or Day-of-week, e.g. "cron(0 3 * * *)" is written "cron(0 3 * * ? *)"'],
  ])('rejects %s with the position and the fix', (expression, reason) => {
    // Act
    const issues = loadWithSchedule(expression);

    // Assess
    expect(issues).toEqual([`${FILE}:42:17 pullThroughCache[0].prepopulate.schedule is not a schedule EventBridge accepts: ${reason}`]);
  });
});
