import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PagerDutyEventV2Schema } from '@dockmaster/core/notifications';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG, fromRoot, runCli } from './support/cli.js';
import { awsSampleEvent } from '@dockmaster/core/testing';

/* `dockmaster render-alert --format pagerduty`, in-process through the real `main`, checked against the Events API v2 field rules. */

const DIGEST = 'sha256:4a5e5b8d3b1f0c2e6d7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e';
const BASIC_FINDINGS = fromRoot('packages/core/src/scan-alert/fixtures/describe-image-scan-findings.basic.json');
/** Stands in for the routing_key the EventBridge connection adds (32 characters, as PagerDuty requires). */
const TEST_ROUTING_KEY = 'R0123456789abcdef0123456789abcde';
/** payments and platform page through PagerDuty; web has e-mail only. */
const DESTINATIONS_CONFIG = fromRoot('docs/examples/alert-destinations.yaml');

let directory: string;

const scanEvent = (repository = 'prod/payments/api'): string => {
  const sample = awsSampleEvent('ecr-image-scan-basic-complete.json') as Record<string, unknown>;
  const path = join(directory, `scan-${repository.replaceAll('/', '-')}.json`);
  const event = {
    ...sample,
    region: 'eu-central-1',
    account: '111122223333',
    detail: { ...(sample['detail'] as object), 'repository-name': repository, 'image-digest': DIGEST, 'image-tags': ['1.4.2'] },
  };
  writeFileSync(path, JSON.stringify(event));
  return path;
};

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'render-alert-pd-'));
});

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('dockmaster render-alert --format pagerduty', () => {
  it('prints the Events API v2 trigger the API destination would POST, valid once the connection adds routing_key', async () => {
    // Act
    const { code, stdout, stderr } = await runCli(['render-alert', '--config', DESTINATIONS_CONFIG, '--findings', BASIC_FINDINGS, '--format', 'pagerduty', scanEvent()]);

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const body = JSON.parse(stdout) as Record<string, unknown>;
    expect(body).not.toHaveProperty('routing_key');
    expect(PagerDutyEventV2Schema.parse({ ...body, routing_key: TEST_ROUTING_KEY })).toMatchObject({
      event_action: 'trigger',
      dedup_key: `dockmaster/scan-alert/${DIGEST}`,
      payload: { severity: 'critical', group: 'payments', component: 'prod/payments/api' },
    });
  });

  it('says on stderr, with the reason, that nothing would be sent when the scan does not alert', async () => {
    // Prepare: no findings given for a scan that counts some
    const event = scanEvent();

    // Act
    const { code, stdout, stderr } = await runCli(['render-alert', '--config', EXAMPLE_CONFIG, '--format', 'pagerduty', event]);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^No PagerDuty event would be sent: the scan of prod\/payments\/api@sha256:4a5e.*.* counts 10 CRITICAL but no finding details were given/);
  });

  it('rejects an unknown format and a --json that contradicts --format (exit 2)', async () => {
    // Act
    const unknown = await runCli(['render-alert', '--config', EXAMPLE_CONFIG, '--format', 'slack', scanEvent()]);
    const contradicting = await runCli(['render-alert', '--config', EXAMPLE_CONFIG, '--json', '--format', 'pagerduty', scanEvent()]);

    // Assess
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--format must be one of text, json, pagerduty, not "slack"');
    expect(contradicting.code).toBe(2);
    expect(contradicting.stderr).toContain('--json and --format pagerduty contradict each other');
  });

  it('prints no body for a team without a pagerduty destination, and says so on stderr (exit 0)', async () => {
    // Prepare: web/frontend routes to team web, which has e-mail only; the findings are the payments image's (same digest).
    const event = scanEvent('web/frontend');

    // Act
    const { code, stdout, stderr } = await runCli(['render-alert', '--config', DESTINATIONS_CONFIG, '--findings', BASIC_FINDINGS, '--format', 'pagerduty', event]);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain(`No PagerDuty event would be sent: team web has no pagerduty destination (add teams.web.pagerduty to ${DESTINATIONS_CONFIG})`);
  });
});
