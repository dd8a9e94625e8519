/* The config's schedule expressions are validated as EventBridge validates them (core/schedule). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACCEPTED_CRONS, ACCEPTED_RATES, REFUSED_SCHEDULES } from '../testing/index.js';
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
  it.each([...ACCEPTED_RATES.map((rate) => rate.expression), ...ACCEPTED_CRONS])('accepts %s', (expression) => {
    // Act
    const issues = loadWithSchedule(expression);

    // Assess
    expect(issues).toEqual([]);
  });

  it.each(REFUSED_SCHEDULES.map(({ expression, reason }) => [expression, reason] as const))('rejects %s with the position and the fix', (expression, reason) => {
    // Act
    const issues = loadWithSchedule(expression);

    // Assess
    const prefix = `${FILE}:42:17 pullThroughCache[0].prepopulate.schedule is not a schedule EventBridge accepts: `;
    expect(issues).toHaveLength(1);
    expect(issues[0]?.slice(0, prefix.length)).toBe(prefix);
    if (typeof reason === 'string') expect(issues[0]?.slice(prefix.length)).toBe(reason);
    else expect(issues[0]?.slice(prefix.length)).toMatch(reason);
  });
});
