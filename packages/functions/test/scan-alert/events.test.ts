import { parseScanEvent } from '@dockmaster/core/events/scan';
import { buildAlert, toScanSubject, type Finding } from '@dockmaster/core/scan-alert';
import { describe, expect, it } from 'vitest';
import { EMITTED_EVENT_BYTES, EventBridgeLimit } from '@dockmaster/core/limits';
import { entryBytes, MAX_FINDINGS_IN_EVENT, scanAlertEvent, scanAlertResolvedEvent } from '../../src/scan-alert/index.js';
import { basicScanEvent, exampleConfig } from './support.js';

const DIGEST = 'sha256:4a5e5b8d3b1f0c2e6d7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e';
/** EventBridge's PutEvents limit for one entry. */
const PUT_EVENTS_ENTRY_LIMIT = 256 * 1024;

describe('scanAlertEvent', () => {
  it('cuts long finding lists so the event stays under the PutEvents entry limit, and says how many were left out', () => {
    // Prepare
    const parsed = parseScanEvent(basicScanEvent({ digest: DIGEST, counts: { CRITICAL: 700 } }));
    if (!parsed.ok) throw new Error(parsed.reason);
    const findings: Finding[] = Array.from({ length: 700 }, (_, index) => ({
      id: `CVE-2024-${String(10000 + index)}`,
      severity: 'CRITICAL',
      package: `package-with-a-long-name-${index}`,
      installedVersion: '1.2.3-4+deb12u5',
      fixedVersion: '1.2.3-4+deb12u6',
      uri: `https://security-tracker.debian.org/tracker/CVE-2024-${String(10000 + index)}`,
    }));
    const { alert } = buildAlert({ config: exampleConfig(), subject: toScanSubject(parsed.event), findings, now: new Date('2026-06-01T12:00:00Z') });
    if (!alert) throw new Error('expected an alert');

    // Act
    const event = scanAlertEvent(alert, 'event-id');

    // Assess
    const detail = event.detail as { findings: unknown[]; newFindings: unknown[]; omitted: Record<string, number>; dedupeKey: string };
    expect(detail.findings).toHaveLength(MAX_FINDINGS_IN_EVENT);
    expect(detail.newFindings).toHaveLength(MAX_FINDINGS_IN_EVENT);
    expect(detail.omitted).toEqual({ findings: 600, newFindings: 600, suppressed: 0, expiredSuppressions: 0, stillOpen: 0, tags: 0, notes: 0 });
    expect(detail.dedupeKey).toBe(alert.dedupeKey);
    expect(Buffer.byteLength(JSON.stringify(event.detail))).toBeLessThan(PUT_EVENTS_ENTRY_LIMIT);
    // Uncut, this alert would not fit: the cut is what keeps it deliverable.
    expect(Buffer.byteLength(JSON.stringify(alert))).toBeGreaterThan(PUT_EVENTS_ENTRY_LIMIT);
  });

  it('leaves short lists whole and adds no `omitted`', () => {
    // Prepare
    const parsed = parseScanEvent(basicScanEvent({ digest: DIGEST, counts: { CRITICAL: 1 } }));
    if (!parsed.ok) throw new Error(parsed.reason);
    const finding: Finding = { id: 'CVE-2023-44487', severity: 'CRITICAL', package: 'nghttp2', installedVersion: '1.52.0-1+deb12u1' };
    const { alert } = buildAlert({ config: exampleConfig(), subject: toScanSubject(parsed.event), findings: [finding], now: new Date('2026-06-01T12:00:00Z') });
    if (!alert) throw new Error('expected an alert');

    // Act
    const event = scanAlertEvent(alert, 'event-id');

    // Assess
    expect(event.detail).not.toHaveProperty('omitted');
    expect(event.detail['findings']).toEqual(alert.findings);
    expect(event).toMatchObject({ detailType: 'Scan Alert', resources: ['arn:aws:ecr:eu-central-1:111122223333:repository/prod/payments/api'] });
  });

  it('keeps a CRITICAL alert with 100 suppressed findings carrying long reasons within its byte budget, cutting the suppressed list first', () => {
    // Prepare: the new-user repro: CVE-2023-44487 suppressed in 100 packages with a 2,400-character reason, one CRITICAL curl finding.
    const parsed = parseScanEvent(basicScanEvent({ digest: DIGEST, counts: { CRITICAL: 1, HIGH: 100 } }));
    if (!parsed.ok) throw new Error(parsed.reason);
    const critical: Finding = { id: 'CVE-2023-38545', severity: 'CRITICAL', package: 'curl', installedVersion: '7.88.1-10+deb12u1', fixedVersion: '7.88.1-10+deb12u4' };
    const built = buildAlert({ config: exampleConfig(), subject: toScanSubject(parsed.event), findings: [critical], now: new Date('2026-06-01T12:00:00Z') });
    if (!built.alert) throw new Error('expected an alert');
    const suppressed = Array.from({ length: 100 }, (_, index) => ({ id: 'CVE-2023-44487', package: `nghttp2-${index}`, severity: 'HIGH' as const, reason: 'x'.repeat(2400), expires: '2026-12-31' }));
    const alert = { ...built.alert, suppressed };

    // Act
    const event = scanAlertEvent(alert, 'event-id');

    // Assess
    const detail = event.detail as { findings: Array<{ id: string }>; suppressed: unknown[]; omitted: Record<string, number>; message: { body: string } };
    expect(entryBytes(event)).toBeLessThanOrEqual(EMITTED_EVENT_BYTES);
    expect(detail.findings.map((finding) => finding.id)).toEqual(['CVE-2023-38545']);
    expect(detail.suppressed.length).toBeLessThan(100);
    expect(detail.omitted['suppressed']).toBe(100 - detail.suppressed.length);
    expect(detail.omitted['findings']).toBe(0);
    expect(detail.message.body).toContain('CVE-2023-38545  curl');
    expect(detail.message.body).toContain('... and 90 more suppressed');
    // Two such events (a resolve and an alert of one scan) fit one PutEvents entry budget.
    expect(2 * EMITTED_EVENT_BYTES).toBeLessThanOrEqual(EventBridgeLimit.EVENT_ENTRY_BYTES);
  });

  it('shortens the message body as a last resort, never dropping the alert', () => {
    // Prepare
    const parsed = parseScanEvent(basicScanEvent({ digest: DIGEST, counts: { CRITICAL: 1 } }));
    if (!parsed.ok) throw new Error(parsed.reason);
    const critical: Finding = { id: 'CVE-2023-38545', severity: 'CRITICAL', package: 'curl', installedVersion: '7.88.1-10+deb12u1' };
    const built = buildAlert({ config: exampleConfig(), subject: toScanSubject(parsed.event), findings: [critical], now: new Date('2026-06-01T12:00:00Z') });
    if (!built.alert) throw new Error('expected an alert');
    const alert = { ...built.alert, notes: ['ü"'.repeat(40_000)] };

    // Act
    const event = scanAlertEvent(alert, 'event-id', 60_000);

    // Assess
    const detail = event.detail as { findings: Array<{ id: string }>; message: { body: string } };
    expect(entryBytes(event)).toBeLessThanOrEqual(60_000);
    expect(detail.findings.map((finding) => finding.id)).toEqual(['CVE-2023-38545']);
    expect(detail.message.body).toMatch(/cut to fit the event size limit: see the console\)$/);
  });

  it('bounds a Scan Alert Resolved of thousands of findings too, saying how many it left out', () => {
    // Prepare
    const resolvedFindings = Array.from({ length: 5000 }, (_, index) => ({ id: `CVE-2024-${String(10000 + index)}`, package: `package-with-a-long-name-${index}` }));
    const resolved = {
      team: 'payments',
      repository: 'prod/payments/api',
      digest: DIGEST,
      tags: ['1.4.2'],
      region: 'eu-central-1',
      account: '111122223333',
      cause: 'rescan' as const,
      resolution: 'fixed' as const,
      resolvedFindings,
      remainingFindings: 0,
      allResolved: true,
      previousDedupeKey: 'key',
      consoleUrl: 'https://console.aws.amazon.com/ecr/',
      createdAt: '2026-06-01T12:00:00.000Z',
    };

    // Act
    const event = scanAlertResolvedEvent(resolved, 'event-id');

    // Assess
    const detail = event.detail as { resolvedFindings: unknown[]; omitted: Record<string, number>; allResolved: boolean };
    expect(entryBytes(event)).toBeLessThanOrEqual(EMITTED_EVENT_BYTES);
    expect(detail.omitted['resolvedFindings']).toBe(5000 - detail.resolvedFindings.length);
    expect(detail.allResolved).toBe(true);
  });
});
