import { describe, expect, it } from 'vitest';
import { PagerDutyEventV2Schema, PagerDutyLimit } from '../notifications/pagerduty-events-v2.js';
import { buildAlert, withSourceLabels, type ScanAlert } from './alert.js';
import type { Finding } from './finding.js';
import { loadScanFindings } from './fixtures/load.js';
import { configWith, imageScanSubject } from './fixtures/subjects.js';
import { pagerDutyDedupKey, pagerDutyResolve, pagerDutyTrigger } from './pagerduty.js';
import { normalizeScanFindings } from './scan-findings.js';

const NOW = new Date('2026-05-04T10:00:00.000Z');
/** A key of the right shape; the real one lives in the EventBridge connection, never in code. */
const TEST_ROUTING_KEY = 'R0123456789abcdef0123456789abcde';

const finding = (id: string, severity: Finding['severity'], pkg = 'openssl'): Finding => ({ id, severity, package: pkg, installedVersion: '1.0.0', fixedVersion: '1.0.1' });

const evaluate = (findings: Finding[], previous: ReturnType<typeof buildAlert>['state'] | null = null, minSeverity: 'LOW' | 'CRITICAL' = 'LOW') =>
  buildAlert({ config: configWith({ minSeverity }), subject: imageScanSubject({ counts: countsOf(findings) }), findings, previous, now: NOW });

const countsOf = (findings: Finding[]): Record<string, number> =>
  Object.fromEntries(Object.entries(Object.groupBy(findings, (item) => item.severity ?? 'UNDEFINED')).map(([severity, items]) => [severity, items?.length ?? 0]));

const alertOf = (findings: Finding[], minSeverity: 'LOW' | 'CRITICAL' = 'LOW'): ScanAlert => {
  const result = evaluate(findings, null, minSeverity);
  if (!result.alert) throw new Error(result.reason);
  return result.alert;
};

/** What PagerDuty receives: the body plus the routing_key the EventBridge connection adds. */
const asSent = (body: object) => PagerDutyEventV2Schema.safeParse({ ...body, routing_key: TEST_ROUTING_KEY });

describe('pagerDutyTrigger', () => {
  it('is an Events API v2 trigger that PagerDuty accepts, with the image as source and the console as link', () => {
    // Prepare
    const findings = normalizeScanFindings([loadScanFindings('enhanced.page1'), loadScanFindings('enhanced.page2')]);
    const alert = withSourceLabels(alertOf(findings, 'CRITICAL'), { 'org.opencontainers.image.source': 'https://github.com/acme/payments' });

    // Act
    const body = pagerDutyTrigger(alert);

    // Assess
    expect(asSent(body).error).toBeUndefined();
    expect(body).toMatchObject({
      event_action: 'trigger',
      dedup_key: `dockmaster/scan-alert/${alert.digest}`,
      payload: {
        severity: 'critical',
        source: `111122223333.dkr.ecr.eu-central-1.amazonaws.com/prod/payments/api@${alert.digest}`,
        timestamp: '2026-05-04T10:00:00.000Z',
        group: 'payments',
      },
    });
    expect(body.event_action === 'trigger' && body.payload.summary).toMatch(/^\[CRITICAL\] prod\/payments\/api:1\.4\.2 — 2 critical vulnerabilities: CVE-/);
    expect(body.event_action === 'trigger' && body.links?.map((link) => link.href)).toContain(alert.consoleUrl);
    expect(body.event_action === 'trigger' && body.links?.map((link) => link.href)).toContain('https://github.com/acme/payments');
  });

  it.each([
    ['CRITICAL', 'critical'],
    ['HIGH', 'error'],
    ['MEDIUM', 'warning'],
    ['LOW', 'info'],
  ] as const)('maps the highest finding severity %s to PagerDuty severity %s', (severity, expected) => {
    // Act
    const body = pagerDutyTrigger(alertOf([finding('CVE-2026-0001', severity)]));

    // Assess
    expect(body.event_action === 'trigger' && body.payload.severity).toBe(expected);
  });

  it('sends a low-urgency alert (image not in use) at most as warning, with the urgency and in-use data in custom_details', () => {
    // Prepare: the route's notInUse: low-urgency applied to a CRITICAL finding.
    const high = alertOf([finding('CVE-2026-0001', 'CRITICAL')]);
    const low: ScanAlert = { ...high, urgency: 'low', scanning: 'enhanced', inUse: { count: 0, lastInUseAt: '2026-04-01T00:00:00.000Z' } };

    // Act
    const highBody = pagerDutyTrigger(high);
    const lowBody = pagerDutyTrigger(low);
    const lowInfo = pagerDutyTrigger({ ...low, severity: 'LOW' });

    // Assess
    expect(highBody.event_action === 'trigger' && highBody.payload.severity).toBe('critical');
    expect(lowBody.event_action === 'trigger' && lowBody.payload.severity).toBe('warning');
    expect(lowInfo.event_action === 'trigger' && lowInfo.payload.severity).toBe('info');
    expect(lowBody.event_action === 'trigger' && lowBody.payload.custom_details).toMatchObject({
      urgency: 'low',
      scanning: 'enhanced',
      inUse: { count: 0, lastInUseAt: '2026-04-01T00:00:00.000Z' },
    });
    expect(asSent(lowBody).error).toBeUndefined();
  });

  it("keeps the summary within PagerDuty's 1,024 characters however many findings alert", () => {
    // Prepare
    const many = Array.from({ length: 300 }, (_, index) => finding(`CVE-2026-${String(10000 + index)}`, 'CRITICAL', `pkg${index}`));

    // Act
    const body = pagerDutyTrigger(alertOf(many));

    // Assess
    const summary = body.event_action === 'trigger' ? body.payload.summary : '';
    expect([...summary]).toHaveLength(PagerDutyLimit.summaryLength);
    expect(summary.endsWith('…')).toBe(true);
    expect(asSent(body).error).toBeUndefined();
  });
});

describe('pagerDutyResolve', () => {
  it('resolves, with the key the trigger used, when no alerted finding is left, even after a partial resolution changed the alert key', () => {
    // Prepare: two findings alerted, one fixed (partial), then the other fixed.
    const first = evaluate([finding('CVE-2026-0001', 'CRITICAL'), finding('CVE-2026-0002', 'HIGH')]);
    const partial = evaluate([finding('CVE-2026-0001', 'CRITICAL')], first.state);
    const last = evaluate([], partial.state);
    const trigger = pagerDutyTrigger(first.alert as ScanAlert);

    // Act
    const afterPartial = pagerDutyResolve(partial.resolved as NonNullable<typeof partial.resolved>);
    const afterLast = pagerDutyResolve(last.resolved as NonNullable<typeof last.resolved>);

    // Assess
    expect(partial.state.dedupeKey).not.toBe(first.state.dedupeKey);
    expect(afterPartial).toBeNull();
    expect(afterLast).toEqual({ event_action: 'resolve', dedup_key: trigger.dedup_key });
    expect(asSent(afterLast as object).error).toBeUndefined();
  });

  it('names the image, so every alert for one digest is one PagerDuty alert', () => {
    // Assess
    expect(pagerDutyDedupKey('sha256:abc')).toBe('dockmaster/scan-alert/sha256:abc');
  });
});

describe('PagerDutyEventV2Schema (the Events API v2 field rules)', () => {
  it.each([
    ['a summary over 1,024 characters', { payload: { summary: 'x'.repeat(1025), source: 's', severity: 'critical' } }],
    ['a severity PagerDuty does not know', { payload: { summary: 's', source: 's', severity: 'high' } }],
    ['a trigger without a source', { payload: { summary: 's', severity: 'info' } }],
    ['a dedup_key over 255 characters', { dedup_key: 'k'.repeat(256), payload: { summary: 's', source: 's', severity: 'info' } }],
    ['a link without href', { payload: { summary: 's', source: 's', severity: 'info' }, links: [{ text: 'console' }] }],
  ])('rejects %s', (_name, fields) => {
    // Act
    const result = asSent({ event_action: 'trigger', ...fields });

    // Assess
    expect(result.success).toBe(false);
  });

  it('rejects a routing key that is not 32 characters and an unknown event_action', () => {
    // Assess
    expect(PagerDutyEventV2Schema.safeParse({ routing_key: 'short', dedup_key: 'k', event_action: 'resolve' }).success).toBe(false);
    expect(asSent({ dedup_key: 'k', event_action: 'close' }).success).toBe(false);
  });
});
