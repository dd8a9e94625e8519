import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DockmasterConfigSchema } from '../config/index.js';
import { buildAlert, withSourceLabels, type ScanAlert } from './alert.js';
import type { Finding } from './finding.js';
import { loadScanFindings } from './fixtures/load.js';
import { configWith, imageScanSubject } from './fixtures/subjects.js';
import { MAX_SUBJECT_LENGTH, RenderedMessageSchema } from '../notifications/message.js';
import { renderAlertMessage, renderResolvedMessage } from './message.js';
import { normalizeScanFindings } from './scan-findings.js';

const NOW = new Date('2026-05-04T10:00:00.000Z');
const LABELS = { 'org.opencontainers.image.source': 'https://github.com/acme/payments', 'org.opencontainers.image.revision': '1a2b3c4d' };

const alertFor = (options: { repository?: string; tags?: string[]; findings?: Finding[]; minSeverity?: 'HIGH' | 'CRITICAL' } = {}): ScanAlert => {
  const subject = imageScanSubject({ ...(options.repository ? { repository: options.repository } : {}), ...(options.tags ? { tags: options.tags } : {}) });
  const findings = options.findings ?? normalizeScanFindings([loadScanFindings('enhanced.page1'), loadScanFindings('enhanced.page2')]);
  const result = buildAlert({ config: configWith({ minSeverity: options.minSeverity ?? 'CRITICAL' }), subject, findings, now: NOW });
  if (!result.alert) throw new Error(result.reason);
  return withSourceLabels(result.alert, LABELS);
};

const manyCriticals = (count: number): Finding[] =>
  Array.from({ length: count }, (_, index) => ({
    id: `CVE-2026-${String(10000 + index)}`,
    severity: 'CRITICAL' as const,
    package: `pkg${index}`,
    installedVersion: '1.0.0',
    fixedVersion: '1.0.1',
  }));

describe('renderAlertMessage', () => {
  it('says severity, image and what is wrong in the subject, counting a CVE in two packages once', () => {
    // Act
    const { subject } = renderAlertMessage(alertFor());

    // Assess
    expect(subject).toBe('[CRITICAL] prod/payments/api:1.4.2 — 2 critical vulnerabilities');
  });

  it('counts each alerting severity in the subject', () => {
    // Act
    const { subject } = renderAlertMessage(alertFor({ minSeverity: 'HIGH' }));

    // Assess
    expect(subject).toBe('[CRITICAL] prod/payments/api:1.4.2 — 2 critical, 1 high vulnerabilities');
  });

  it('names an untagged image by its short digest', () => {
    // Act
    const { subject } = renderAlertMessage(alertFor({ tags: [] }));

    // Assess
    expect(subject).toBe('[CRITICAL] prod/payments/api@sha256:4a5e5b8d3b1f — 2 critical vulnerabilities');
  });

  it('keeps the subject under the SNS limit for a very long repository name, keeping both ends', () => {
    // Prepare
    const repository = `team/${'very-long-segment/'.repeat(12)}service`;

    // Act
    const { subject } = renderAlertMessage(alertFor({ repository, tags: ['2026.05.04-build.1234'] }));

    // Assess
    expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_LENGTH);
    expect(subject).toMatch(/^\[CRITICAL\] team\/very-long.*….*service:2026\.05\.04-build\.1234 — 2 critical vulnerabilities$/);
  });

  it('lists findings with package, installed -> fixed version, fix and exploit availability and a link', () => {
    // Act
    const { body } = renderAlertMessage(alertFor({ minSeverity: 'HIGH' }));

    // Assess
    expect(body).toContain('  CRITICAL CVE-2024-5535  openssl 3.0.11-1~deb12u1 -> 0:3.0.14-1~deb12u1  [fix: YES, exploit: NO]');
    expect(body).toContain('  HIGH     CVE-2023-4911  libc6 2.36-9+deb12u1 (no fix released)  [fix: NO, exploit: YES]');
    expect(body).toContain('           https://security-tracker.debian.org/tracker/CVE-2024-5535');
    expect(body).toContain('Below HIGH (not listed): 1 MEDIUM, 1 UNDEFINED');
    expect(body).toContain('Source:   https://github.com/acme/payments @ 1a2b3c4d');
    expect(body).toContain('Console:  https://eu-central-1.console.aws.amazon.com/ecr/repositories/private/111122223333/prod/payments/api/_/image/');
    expect(body).toContain('Team:     payments');
  });

  it('lists at most ten findings and counts the rest', () => {
    // Act
    const { body, subject } = renderAlertMessage(alertFor({ findings: manyCriticals(13) }));

    // Assess
    expect(body.match(/^ {2}CRITICAL /gm)).toHaveLength(10);
    expect(body).toContain('Findings (10 of 13, highest first)');
    expect(body).toContain('  ... and 3 more: see the console.');
    expect(subject).toContain('13 critical vulnerabilities');
  });

  it('suggests a suppression snippet that is valid Dockmaster configuration, expiring in 30 days', () => {
    // Prepare
    const { body } = renderAlertMessage(alertFor());
    const lines = body.split('\n');
    const start = lines.findIndex((line) => line.trim() === 'scanAlerts:');
    const end = lines.indexOf('', start);
    const snippet = lines.slice(start, end).join('\n');

    // Act
    const parsed = DockmasterConfigSchema.safeParse({ version: 1, registry: { accountId: '111122223333', region: 'eu-central-1' }, ...parse(snippet) });

    // Assess
    expect(parsed.success).toBe(true);
    expect(parsed.data?.scanAlerts?.suppressions).toEqual([
      {
        cve: 'CVE-2024-5535',
        repositories: ['prod/payments/api'],
        package: 'libssl3',
        reason: '<why it is not exploitable in this image>',
        expires: '2026-06-03',
      },
    ]);
  });

  it('builds its subject with the shared notification blocks, so a hostile tag cannot break the subject line', () => {
    // Prepare
    const tags = ['1.0\nBcc: someone@example.com'];

    // Act
    const { subject } = renderAlertMessage(alertFor({ tags }));

    // Assess
    expect(RenderedMessageSchema.shape.subject.safeParse(subject).success).toBe(true);
    expect(subject).toBe('[CRITICAL] prod/payments/api:1.0 Bcc: someone@example.com — 2 critical vulnerabilities');
  });
});

describe('renderResolvedMessage', () => {
  it('says what was resolved and what remains', () => {
    // Prepare
    const config = configWith();
    const findings = normalizeScanFindings(loadScanFindings('basic'));
    const first = buildAlert({ config, subject: imageScanSubject(), findings, now: NOW });
    const second = buildAlert({ config, subject: imageScanSubject(), findings: findings.filter((finding) => finding.package !== 'curl'), previous: first.state, now: NOW });
    if (!second.resolved) throw new Error('expected a resolution');

    // Act
    const { subject, body } = renderResolvedMessage(second.resolved);

    // Assess
    expect(subject).toBe('[RESOLVED] prod/payments/api:1.4.2 — 1 finding resolved');
    expect(body).toContain('A new scan of the image no longer reports them.');
    expect(body).toContain('  CVE-2023-38545 (curl)');
    expect(body).toContain('Still open on this image: 1.');
  });
});

describe('renderAlertMessage for a repeat alert', () => {
  it('leads the subject with what is new since the last alert', () => {
    // Prepare
    const config = configWith();
    const findings = normalizeScanFindings(loadScanFindings('basic'));
    const first = buildAlert({ config, subject: imageScanSubject(), findings: findings.filter((finding) => finding.package !== 'curl'), now: NOW });
    const second = buildAlert({ config, subject: imageScanSubject(), findings, previous: first.state, now: NOW });
    if (!second.alert) throw new Error(second.reason);

    // Act
    const { subject, body } = renderAlertMessage(second.alert);

    // Assess
    expect(subject).toBe('[CRITICAL] prod/payments/api:1.4.2 — 1 new critical vulnerability');
    expect(body).toMatch(/CVE-2023-38545 {2}curl .*\[NEW\]/);
    expect(body).not.toMatch(/CVE-2023-44487 .*\[NEW\]/);
  });
});

describe('renderAlertMessage with many suppressed findings', () => {
  it('lists at most 10 suppressed findings and counts the rest, so a widened suppression cannot grow the body', () => {
    // Prepare
    const suppressed = Array.from({ length: 100 }, (_, index) => ({ id: 'CVE-2023-44487', package: `pkg${index}`, severity: 'HIGH' as const, reason: 'r'.repeat(2400), expires: '2026-12-31' }));
    const alert: ScanAlert = { ...alertFor(), suppressed };

    // Act
    const { body } = renderAlertMessage(alert);

    // Assess
    const lines = body.split('\n').filter((line) => line.startsWith('  CVE-2023-44487 (pkg'));
    expect(lines).toHaveLength(10);
    expect(body).toContain("  ... and 90 more suppressed: see the configuration's scanAlerts.suppressions.");
    expect(body.length).toBeLessThan(40_000);
  });

  it('says "runs" for one task or pod and "run" for more', () => {
    // Prepare
    const one: ScanAlert = { ...alertFor(), scanning: 'enhanced', inUse: { count: 1 } };
    const two: ScanAlert = { ...alertFor(), scanning: 'enhanced', inUse: { count: 2 } };

    // Act
    const bodies = [renderAlertMessage(one).body, renderAlertMessage(two).body];

    // Assess
    expect(bodies[0]).toContain('yes: 1 Amazon ECS task or Amazon EKS pod runs it');
    expect(bodies[1]).toContain('yes: 2 Amazon ECS tasks or Amazon EKS pods run it');
  });
});
