import { describe, expect, it } from 'vitest';
import { buildAlert } from './alert.js';
import { loadScanFindings } from './fixtures/load.js';
import { configWith, DIGEST, imageScanSubject } from './fixtures/subjects.js';
import { toAlertJson } from './json.js';
import { normalizeScanFindings } from './scan-findings.js';

const NOW = new Date('2026-05-04T10:00:00.000Z');
const findings = () => normalizeScanFindings([loadScanFindings('enhanced.page1'), loadScanFindings('enhanced.page2')]);

describe('toAlertJson', () => {
  it('produces the CLI --json contract, with null for unknown values', () => {
    // Prepare
    const config = configWith({
      minSeverity: 'HIGH',
      suppressions: [{ cve: 'CVE-2024-5535', repositories: ['prod/**'], reason: 'not reachable: no TLS client code', expires: '2026-06-30' }],
    });
    const result = buildAlert({ config, subject: imageScanSubject(), findings: findings(), now: NOW });

    // Act
    const json = JSON.parse(JSON.stringify(toAlertJson(result))) as unknown;

    // Assess
    expect(json).toEqual({
      alert: {
        team: 'payments',
        repository: 'prod/payments/api',
        digest: DIGEST,
        tags: ['1.4.2'],
        severity: 'CRITICAL',
        counts: { CRITICAL: 3, HIGH: 1, MEDIUM: 1, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 1 },
        findings: [
          {
            id: 'GHSA-wf5p-g6vw-rhxx',
            severity: 'CRITICAL',
            package: 'axios',
            installedVersion: '0.21.1',
            fixedVersion: '1.6.0',
            uri: 'https://github.com/advisories/GHSA-wf5p-g6vw-rhxx',
          },
          {
            id: 'CVE-2023-4911',
            severity: 'HIGH',
            package: 'libc6',
            installedVersion: '2.36-9+deb12u1',
            fixedVersion: null,
            uri: 'https://security-tracker.debian.org/tracker/CVE-2023-4911',
          },
        ],
        // One CVE suppressed in two packages is listed once.
        suppressed: [{ id: 'CVE-2024-5535', reason: 'not reachable: no TLS client code', expires: '2026-06-30' }],
        dedupeKey: result.alert?.dedupeKey,
      },
    });
  });

  it('produces {"alert": null, "reason"} when there is no alert', () => {
    // Prepare
    const result = buildAlert({ config: configWith(), subject: imageScanSubject({ counts: {} }), findings: [], now: NOW });

    // Act
    const json = toAlertJson(result);

    // Assess
    expect(json).toEqual({ alert: null, reason: `no findings at or above CRITICAL on prod/payments/api@${DIGEST}` });
  });
});
