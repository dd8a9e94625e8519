import { describe, expect, it } from 'vitest';
import { buildAlert, withSourceLabels, type BuildAlertResult } from './alert.js';
import type { Finding } from './finding.js';
import { loadScanFindings } from './fixtures/load.js';
import { configWith, DIGEST, imageScanSubject, inspectorFindingSubject, OTHER_DIGEST } from './fixtures/subjects.js';
import { normalizeScanFindings } from './scan-findings.js';
import { AlertStateSchema } from './state.js';

const NOW = new Date('2026-05-04T10:00:00.000Z');
const LATER = new Date('2026-05-05T10:00:00.000Z');
const basicFindings = (): Finding[] => normalizeScanFindings(loadScanFindings('basic'));
const enhancedFindings = (): Finding[] => normalizeScanFindings([loadScanFindings('enhanced.page1'), loadScanFindings('enhanced.page2')]);
const ids = (findings: readonly { id: string; package: string }[]): string[] => findings.map((finding) => `${finding.id} ${finding.package}`);

const alertOf = (result: BuildAlertResult) => {
  if (!result.alert) throw new Error(`expected an alert, got: ${result.reason ?? ''}`);
  return result.alert;
};

describe('buildAlert: the alert', () => {
  it('alerts on the findings at or above CRITICAL with everything on-call needs', () => {
    // Prepare
    const labels = { 'org.opencontainers.image.source': 'https://github.com/acme/payments', 'org.opencontainers.image.revision': '1a2b3c4d', other: 'x' };

    // Act
    const result = buildAlert({ config: configWith(), subject: imageScanSubject(), findings: basicFindings(), now: NOW });
    const alert = withSourceLabels(alertOf(result), labels);

    // Assess
    expect(alert).toMatchObject({
      team: 'payments',
      repository: 'prod/payments/api',
      digest: DIGEST,
      tags: ['1.4.2'],
      severity: 'CRITICAL',
      minSeverity: 'CRITICAL',
      counts: { CRITICAL: 2, HIGH: 1, MEDIUM: 1, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 1 },
      belowThreshold: 3,
      suppressed: [],
      source: 'https://github.com/acme/payments',
      revision: '1a2b3c4d',
      consoleUrl: `https://eu-central-1.console.aws.amazon.com/ecr/repositories/private/111122223333/prod/payments/api/_/image/${DIGEST}/details?region=eu-central-1`,
      createdAt: NOW.toISOString(),
    });
    expect(alert.findings).toEqual([
      {
        id: 'CVE-2023-38545',
        severity: 'CRITICAL',
        package: 'curl',
        installedVersion: '7.88.1-10+deb12u3',
        uri: 'https://security-tracker.debian.org/tracker/CVE-2023-38545',
      },
      // No uri from the scanner: the NVD page for the CVE.
      { id: 'CVE-2023-44487', severity: 'CRITICAL', package: 'nghttp2', installedVersion: '1.52.0-1+deb12u1', uri: 'https://nvd.nist.gov/vuln/detail/CVE-2023-44487' },
    ]);
    expect(alert.newFindings).toEqual(alert.findings);
    expect(alert.dedupeKey).toMatch(/^[0-9a-f]{64}$/);
    expect(result.state).toMatchObject({ digest: DIGEST, findingKeys: ['CVE-2023-38545|curl', 'CVE-2023-44487|nghttp2'], dedupeKey: alert.dedupeKey, lastAlertedAt: NOW.toISOString() });
  });

  it('alerts on HIGH too when minSeverity is HIGH', () => {
    // Act
    const result = buildAlert({ config: configWith({ minSeverity: 'HIGH' }), subject: imageScanSubject(), findings: basicFindings(), now: NOW });

    // Assess
    expect(ids(alertOf(result).findings)).toEqual(['CVE-2023-38545 curl', 'CVE-2023-44487 nghttp2', 'CVE-2019-5188 e2fsprogs']);
  });

  it('never alerts on UNDEFINED, even with the lowest threshold', () => {
    // Act
    const result = buildAlert({ config: configWith({ minSeverity: 'INFORMATIONAL' }), subject: imageScanSubject(), findings: basicFindings(), now: NOW });

    // Assess
    const alert = alertOf(result);
    expect(alert.findings.map((finding) => finding.severity)).not.toContain('UNDEFINED');
    expect(alert.findings).toHaveLength(4);
    expect(alert.belowThreshold).toBe(1);
  });

  it('does not alert when nothing reaches the threshold, and summarises what is below it', () => {
    // Prepare
    const findings = basicFindings().filter((finding) => finding.severity !== 'CRITICAL');

    // Act
    const result = buildAlert({ config: configWith(), subject: imageScanSubject({ counts: { HIGH: 1, MEDIUM: 1 } }), findings, now: NOW });

    // Assess
    expect(result.alert).toBeNull();
    expect(result.reason).toBe(`no findings at or above CRITICAL on prod/payments/api@${DIGEST} (below the threshold: 1 HIGH, 1 MEDIUM, 1 UNDEFINED)`);
  });

  it('routes a pull-through-cache image without a matching route to its allow-list owner', () => {
    // Prepare
    const config = configWith({ routes: [{ repositories: ['prod/**'], team: 'payments' }] });

    // Act
    const result = buildAlert({ config, subject: imageScanSubject({ repository: 'k8s/coredns/coredns' }), findings: basicFindings(), now: NOW });

    // Assess
    expect(alertOf(result).team).toBe('platform-dns');
  });

  it('reads enhanced findings: fixed versions, fix and exploit availability, GHSA advisory links', () => {
    // Act
    const result = buildAlert({ config: configWith({ minSeverity: 'HIGH' }), subject: imageScanSubject(), findings: enhancedFindings(), now: NOW });

    // Assess
    const alert = alertOf(result);
    expect(ids(alert.findings)).toEqual(['CVE-2024-5535 libssl3', 'CVE-2024-5535 openssl', 'GHSA-wf5p-g6vw-rhxx axios', 'CVE-2023-4911 libc6']);
    expect(alert.findings[2]).toEqual({
      id: 'GHSA-wf5p-g6vw-rhxx',
      severity: 'CRITICAL',
      package: 'axios',
      installedVersion: '0.21.1',
      fixedVersion: '1.6.0',
      fixAvailable: 'PARTIAL',
      uri: 'https://github.com/advisories/GHSA-wf5p-g6vw-rhxx',
    });
    expect(alert.findings[3]).toMatchObject({ fixAvailable: 'NO', exploitAvailable: 'YES' });
    expect(alert.findings[3]?.fixedVersion).toBeUndefined();
  });

  it('does not alert on a failed scan and keeps the previous state (a failure is not an all-clear)', () => {
    // Prepare
    const first = buildAlert({ config: configWith(), subject: imageScanSubject(), findings: basicFindings(), now: NOW });

    // Act
    const result = buildAlert({ config: configWith(), subject: imageScanSubject({ scanStatus: 'FAILED', counts: {} }), findings: [], previous: first.state, now: LATER });

    // Assess
    expect(result.alert).toBeNull();
    expect(result.resolved).toBeNull();
    expect(result.reason).toContain('ended with status FAILED');
    expect(result.state).toEqual(first.state);
  });

  it('refuses to decide on counts without finding details, and says how to get them', () => {
    // Act
    const result = buildAlert({ config: configWith(), subject: imageScanSubject({ counts: { CRITICAL: 10, MEDIUM: 9 } }), findings: [], now: NOW });

    // Assess
    expect(result.alert).toBeNull();
    expect(result.reason).toContain('counts 10 CRITICAL but no finding details were given; read them with DescribeImageScanFindings');
  });

  it('does nothing when the configuration has no scanAlerts section', () => {
    // Act
    const result = buildAlert({ config: configWith(null), subject: imageScanSubject(), findings: basicFindings(), now: NOW });

    // Assess
    expect(result.alert).toBeNull();
    expect(result.reason).toContain('no scanAlerts section');
  });

  it('rejects a previous state of another digest', () => {
    // Prepare
    const other = buildAlert({ config: configWith(), subject: imageScanSubject({ digest: OTHER_DIGEST }), findings: basicFindings(), now: NOW });

    // Act
    const act = () => buildAlert({ config: configWith(), subject: imageScanSubject(), findings: basicFindings(), previous: other.state, now: NOW });

    // Assess
    expect(act).toThrow(/look state up by digest/);
  });
});

describe('buildAlert: once, then resolved', () => {
  it('gives the same dedupeKey whatever the order of the findings and with duplicates', () => {
    // Prepare
    const findings = basicFindings();
    const shuffled = [...findings].reverse();
    const duplicated = [...findings, ...findings.slice(0, 2)];

    // Act
    const keys = [findings, shuffled, duplicated].map((list) => alertOf(buildAlert({ config: configWith(), subject: imageScanSubject(), findings: list, now: NOW })).dedupeKey);

    // Assess
    expect(new Set(keys).size).toBe(1);
  });

  it('gives another dedupeKey for another digest with the same findings', () => {
    // Act
    const keys = [DIGEST, OTHER_DIGEST].map(
      (digest) => alertOf(buildAlert({ config: configWith(), subject: imageScanSubject({ digest }), findings: basicFindings(), now: NOW })).dedupeKey,
    );

    // Assess
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('alerts once: the same findings again (a re-delivery or re-scan) give no alert', () => {
    // Prepare
    const first = buildAlert({ config: configWith(), subject: imageScanSubject(), findings: basicFindings(), now: NOW });

    // Act
    const second = buildAlert({ config: configWith(), subject: imageScanSubject(), findings: [...basicFindings()].reverse(), previous: first.state, now: LATER });

    // Assess
    expect(second.alert).toBeNull();
    expect(second.reason).toMatch(/^already alerted/);
    expect(second.resolved).toBeNull();
    expect(second.state.dedupeKey).toBe(first.state.dedupeKey);
    expect(second.state.lastAlertedAt).toBe(NOW.toISOString());
  });

  it('alerts again on a new finding, listing what is new', () => {
    // Prepare
    const initial = basicFindings().filter((finding) => finding.package !== 'nghttp2');
    const first = buildAlert({ config: configWith(), subject: imageScanSubject(), findings: initial, now: NOW });

    // Act
    const second = buildAlert({ config: configWith(), subject: imageScanSubject(), findings: basicFindings(), previous: first.state, now: LATER });

    // Assess
    const alert = alertOf(second);
    expect(ids(alert.findings)).toEqual(['CVE-2023-38545 curl', 'CVE-2023-44487 nghttp2']);
    expect(ids(alert.newFindings)).toEqual(['CVE-2023-44487 nghttp2']);
    expect(alert.notes).toContain('1 new finding since the last alert for this image');
    expect(alert.dedupeKey).not.toBe(first.state.dedupeKey);
  });

  it('resolves a previously alerted finding that a re-scan no longer reports', () => {
    // Prepare
    const first = buildAlert({ config: configWith(), subject: imageScanSubject(), findings: basicFindings(), now: NOW });
    const rescan = basicFindings().filter((finding) => finding.package !== 'curl');

    // Act
    const second = buildAlert({ config: configWith(), subject: imageScanSubject(), findings: rescan, previous: first.state, now: LATER });

    // Assess
    expect(second.alert).toBeNull();
    expect(second.resolved).toMatchObject({
      cause: 'rescan',
      resolvedFindings: [{ id: 'CVE-2023-38545', package: 'curl' }],
      remainingFindings: 1,
      allResolved: false,
      previousDedupeKey: first.state.dedupeKey,
      team: 'payments',
    });
    expect(second.state.findingKeys).toEqual(['CVE-2023-44487|nghttp2']);
  });

  it('resolves everything when a re-scan is clean', () => {
    // Prepare
    const first = buildAlert({ config: configWith(), subject: imageScanSubject(), findings: basicFindings(), now: NOW });

    // Act
    const second = buildAlert({ config: configWith(), subject: imageScanSubject({ counts: {} }), findings: [], previous: first.state, now: LATER });

    // Assess
    expect(second.resolved?.allResolved).toBe(true);
    expect(second.resolved?.resolvedFindings).toHaveLength(2);
    expect(second.state).toMatchObject({ findingKeys: [], dedupeKey: null });
  });

  it('alerts on an ACTIVE Inspector finding once, then resolves it when Inspector closes it', () => {
    // Prepare
    const config = configWith();
    const active = inspectorFindingSubject({ severity: 'CRITICAL' });
    const reEmitted = inspectorFindingSubject({ severity: 'CRITICAL', updatedAt: 'Thu Sep 05 08:00:00.000 UTC 2024' });
    const closed = inspectorFindingSubject({ severity: 'CRITICAL', status: 'CLOSED' });

    // Act
    const first = buildAlert({ config, subject: active, findings: [], now: NOW });
    const second = buildAlert({ config, subject: reEmitted, findings: [], previous: first.state, now: LATER });
    const third = buildAlert({ config, subject: closed, findings: [], previous: second.state, now: LATER });

    // Assess
    expect(ids(alertOf(first).findings)).toEqual(['CVE-2024-6119 libssl3t64', 'CVE-2024-6119 openssl']);
    expect(second.alert).toBeNull();
    expect(second.reason).toMatch(/^already alerted/);
    expect(third.alert).toBeNull();
    expect(third.reason).toContain('Inspector closed CVE-2024-6119 (libssl3t64), CVE-2024-6119 (openssl)');
    expect(third.resolved).toMatchObject({ cause: 'finding-closed', allResolved: true, remainingFindings: 0 });
    expect(third.state.findingKeys).toEqual([]);
  });

  it('keeps earlier findings open when an Inspector event brings another finding for the same image', () => {
    // Prepare
    const config = configWith();
    const first = buildAlert({ config, subject: imageScanSubject(), findings: basicFindings(), now: NOW });

    // Act
    const second = buildAlert({ config, subject: inspectorFindingSubject({ severity: 'CRITICAL' }), findings: [], previous: first.state, now: LATER });

    // Assess
    const alert = alertOf(second);
    expect(ids(alert.newFindings)).toEqual(['CVE-2024-6119 libssl3t64', 'CVE-2024-6119 openssl']);
    expect(alert.stillOpen).toEqual([
      { id: 'CVE-2023-38545', package: 'curl' },
      { id: 'CVE-2023-44487', package: 'nghttp2' },
    ]);
    expect(second.resolved).toBeNull();
    expect(second.state.findingKeys).toHaveLength(4);
  });

  it('does not alert on an Inspector finding below the threshold, and says so', () => {
    // Act
    const result = buildAlert({ config: configWith(), subject: inspectorFindingSubject({ severity: 'MEDIUM' }), findings: [], now: NOW });

    // Assess
    expect(result.alert).toBeNull();
    expect(result.reason).toBe(`CVE-2024-6119 (libssl3t64) on prod/payments/api@${DIGEST} is MEDIUM, below the CRITICAL threshold`);
  });
});

describe('buildAlert: the stored state', () => {
  it('survives a JSON round trip through AlertStateSchema and works as previous', () => {
    // Prepare
    const first = buildAlert({ config: configWith(), subject: imageScanSubject(), findings: basicFindings(), now: NOW });
    const stored = AlertStateSchema.parse(JSON.parse(JSON.stringify(first.state)));

    // Act
    const second = buildAlert({ config: configWith(), subject: imageScanSubject(), findings: basicFindings(), previous: stored, now: LATER });

    // Assess
    expect(stored).toEqual(first.state);
    expect(second.reason).toMatch(/^already alerted/);
  });

  it('drops an alerted finding that is suppressed later without announcing it as resolved', () => {
    // Prepare
    const first = buildAlert({ config: configWith(), subject: imageScanSubject(), findings: basicFindings(), now: NOW });
    const config = configWith({ suppressions: [{ cve: 'CVE-2023-44487', repositories: ['prod/**'], reason: 'not exposed', expires: '2026-12-31' }] });

    // Act
    const second = buildAlert({ config, subject: imageScanSubject(), findings: basicFindings(), previous: first.state, now: LATER });

    // Assess
    expect(second.alert).toBeNull();
    expect(second.resolved).toBeNull();
    expect(second.state.findingKeys).toEqual(['CVE-2023-38545|curl']);
  });
});

describe('buildAlert: suppressions', () => {
  const suppression = {
    cve: 'CVE-2023-44487',
    repositories: ['prod/**'],
    reason: 'HTTP/2 rapid reset: ingress terminates HTTP/2',
    expires: '2026-05-31',
  };

  it('lists a suppressed finding apart and alerts on the rest', () => {
    // Act
    const result = buildAlert({ config: configWith({ suppressions: [suppression] }), subject: imageScanSubject(), findings: basicFindings(), now: NOW });

    // Assess
    const alert = alertOf(result);
    expect(ids(alert.findings)).toEqual(['CVE-2023-38545 curl']);
    expect(alert.suppressed).toEqual([{ id: 'CVE-2023-44487', package: 'nghttp2', severity: 'CRITICAL', reason: suppression.reason, expires: '2026-05-31' }]);
    expect(result.state.findingKeys).toEqual(['CVE-2023-38545|curl']);
  });

  it('does not alert when every alertable finding is suppressed, and says so', () => {
    // Prepare
    const findings = basicFindings().filter((finding) => finding.package !== 'curl');

    // Act
    const result = buildAlert({ config: configWith({ suppressions: [suppression] }), subject: imageScanSubject(), findings, now: NOW });

    // Assess
    expect(result.alert).toBeNull();
    expect(result.reason).toBe(`the only finding at or above CRITICAL on prod/payments/api@${DIGEST} is suppressed: CVE-2023-44487 (nghttp2)`);
  });

  it('applies the example suppression (k8s/**) to a cached repository only', () => {
    // Prepare
    const config = configWith({ suppressions: loadExampleSuppressions() });

    // Act
    const cached = alertOf(buildAlert({ config, subject: imageScanSubject({ repository: 'k8s/pause' }), findings: basicFindings(), now: NOW }));
    const own = alertOf(buildAlert({ config, subject: imageScanSubject({ repository: 'prod/payments/api' }), findings: basicFindings(), now: NOW }));

    // Assess
    expect(ids(cached.suppressed)).toEqual(['CVE-2023-44487 nghttp2']);
    expect(own.suppressed).toEqual([]);
  });

  it.each([
    ['applies through the last second of its expiry day', '2026-05-31T23:59:59.999Z', true],
    ['no longer applies from the next midnight UTC', '2026-06-01T00:00:00.000Z', false],
  ])('%s', (_label, now, applies) => {
    // Act
    const result = buildAlert({ config: configWith({ suppressions: [suppression] }), subject: imageScanSubject(), findings: basicFindings(), now: new Date(now) });

    // Assess
    const alert = alertOf(result);
    expect(alert.suppressed.length === 1).toBe(applies);
    expect(alert.expiredSuppressions.length === 1).toBe(!applies);
  });

  it('re-alerts a suppressed finding when its suppression expires, and notes the expiry', () => {
    // Prepare
    const config = configWith({ suppressions: [suppression] });
    const first = buildAlert({ config, subject: imageScanSubject(), findings: basicFindings(), now: NOW });

    // Act
    const second = buildAlert({ config, subject: imageScanSubject(), findings: basicFindings(), previous: first.state, now: new Date('2026-06-01T00:00:00Z') });

    // Assess
    const alert = alertOf(second);
    expect(ids(alert.newFindings)).toEqual(['CVE-2023-44487 nghttp2']);
    expect(alert.expiredSuppressions).toEqual([{ id: 'CVE-2023-44487', repositories: ['prod/**'], reason: suppression.reason, expired: '2026-05-31' }]);
    expect(alert.notes[0]).toContain('suppression of CVE-2023-44487 for prod/** expired after 2026-05-31');
  });

  it('narrowed to a package, suppresses only that package', () => {
    // Prepare
    const config = configWith({ minSeverity: 'HIGH', suppressions: [{ ...suppression, cve: 'CVE-2024-5535', package: 'openssl' }] });

    // Act
    const alert = alertOf(buildAlert({ config, subject: imageScanSubject(), findings: enhancedFindings(), now: NOW }));

    // Assess
    expect(ids(alert.suppressed)).toEqual(['CVE-2024-5535 openssl']);
    expect(ids(alert.findings)).toContain('CVE-2024-5535 libssl3');
  });

  it('narrowed to a digest, suppresses only that image', () => {
    // Prepare
    const config = configWith({ suppressions: [{ ...suppression, digest: DIGEST }] });

    // Act
    const same = alertOf(buildAlert({ config, subject: imageScanSubject({ digest: DIGEST }), findings: basicFindings(), now: NOW }));
    const other = alertOf(buildAlert({ config, subject: imageScanSubject({ digest: OTHER_DIGEST }), findings: basicFindings(), now: NOW }));

    // Assess
    expect(ids(same.suppressed)).toEqual(['CVE-2023-44487 nghttp2']);
    expect(other.suppressed).toEqual([]);
  });
});

const loadExampleSuppressions = () => configWith().scanAlerts?.suppressions ?? [];

describe('withSourceLabels', () => {
  it('adds the source and revision labels and changes nothing else', () => {
    // Prepare
    const alert = alertOf(buildAlert({ config: configWith(), subject: imageScanSubject(), findings: basicFindings(), now: NOW }));
    const labels = { 'org.opencontainers.image.source': 'https://github.com/acme/payments', 'org.opencontainers.image.revision': '1a2b3c4d', other: 'x' };

    // Act
    const labelled = withSourceLabels(alert, labels);

    // Assess
    expect(labelled).toEqual({ ...alert, source: 'https://github.com/acme/payments', revision: '1a2b3c4d' });
    expect(alert).not.toHaveProperty('source');
  });

  it('leaves out labels the image does not carry or leaves empty', () => {
    // Prepare
    const alert = alertOf(buildAlert({ config: configWith(), subject: imageScanSubject(), findings: basicFindings(), now: NOW }));

    // Act
    const labelled = withSourceLabels(alert, { 'org.opencontainers.image.source': '', other: 'x' });

    // Assess
    expect(labelled).toEqual(alert);
  });
});
