import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DockmasterConfigSchema } from './index.js';

/*
 * Free-text fields that every alert or report repeats have a length bound, so a configuration cannot make an alert
 * outgrow what EventBridge and DynamoDB store (docs/configuration.md documents the bounds).
 */

type Example = {
  tagPolicies: Array<{ name: string; exemptions?: Array<{ reason: string }> }>;
  scanAlerts: { suppressions: Array<{ reason: string }> };
};

const example = (): Example =>
  parse(readFileSync(new URL('../../../../docs/examples/dockmaster.example.yaml', import.meta.url), 'utf8')) as Example;

const issuePaths = (data: unknown): string[] => {
  const result = DockmasterConfigSchema.safeParse(data);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('length bounds of reasons and policy names', () => {
  it('accepts the bounds exactly', () => {
    // Prepare
    const data = example();
    data.scanAlerts.suppressions[0]!.reason = 'r'.repeat(500);
    data.tagPolicies[0]!.exemptions![0]!.reason = 'e'.repeat(500);
    data.tagPolicies[0]!.name = 'n'.repeat(128);

    // Act
    const issues = issuePaths(data);

    // Assess
    expect(issues).toEqual([]);
  });

  it('refuses a longer suppression reason, exemption reason and policy name, naming each field', () => {
    // Prepare: the new-user report's 2,400-character reason.
    const data = example();
    data.scanAlerts.suppressions[0]!.reason = 'r'.repeat(2400);
    data.tagPolicies[0]!.exemptions![0]!.reason = 'e'.repeat(501);
    data.tagPolicies[0]!.name = 'n'.repeat(129);

    // Act
    const issues = issuePaths(data);

    // Assess
    expect(issues.map((issue) => issue.split(':')[0])).toEqual(['tagPolicies.0.name', 'tagPolicies.0.exemptions.0.reason', 'scanAlerts.suppressions.0.reason']);
    expect(issues.join('\n')).toMatch(/500/);
    expect(issues.join('\n')).toMatch(/128/);
  });
});
