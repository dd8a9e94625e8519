import { parseScanEvent } from '@dockmaster/core/events/scan';
import { buildAlert, toScanSubject, type Finding } from '@dockmaster/core/scan-alert';
import { describe, expect, it } from 'vitest';
import { MAX_FINDINGS_IN_EVENT, scanAlertEvent } from '../../src/scan-alert/index.js';
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
    expect(detail.omitted).toEqual({ findings: 600, newFindings: 600, suppressed: 0 });
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
});
