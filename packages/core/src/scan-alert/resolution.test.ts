import { describe, expect, it } from 'vitest';
import { parseScanEvent } from '../events/scan.js';
import { buildAlert, supersededResolution } from './alert.js';
import { loadAwsEvent, loadScanFindings } from './fixtures/load.js';
import { configWith, DIGEST, imageScanSubject, inspectorFindingSubject, OTHER_DIGEST } from './fixtures/subjects.js';
import { renderResolvedMessage } from './message.js';
import { normalizeScanFindings } from './scan-findings.js';
import { toScanSubject, type ScanSubject } from './subject.js';

/*
 * Fixed vs expired: Inspector closes an image's findings when it stops scanning the image (its re-scan duration
 * lapsed), which says nothing about a fix. The coverage sample is constructed from the documented EC2 one
 * (test/fixtures/aws-events/SOURCES.md).
 */

const T0 = new Date('2026-05-04T10:00:00.000Z');
const T1 = new Date('2026-05-20T10:00:00.000Z');
const T2 = new Date('2026-05-20T10:05:00.000Z');

const coverageSubject = (statusCodeValue = 'INACTIVE', reason = 'SCAN_ELIGIBILITY_EXPIRED'): ScanSubject => {
  const sample = loadAwsEvent('inspector2-coverage-ecr-image-inactive.CONSTRUCTED');
  const parsed = parseScanEvent({
    ...sample,
    resources: [`arn:aws:ecr:eu-central-1:111122223333:repository/prod/payments/api/${DIGEST}`],
    detail: { ...(sample['detail'] as object), scanStatus: { reason, statusCodeValue } },
  });
  if (!parsed.ok) throw new Error(parsed.reason);
  return toScanSubject(parsed.event);
};

const alertedByFinding = () => buildAlert({ config: configWith(), subject: inspectorFindingSubject(), findings: [], now: T0 });

describe('the Inspector2 Coverage sample (constructed)', () => {
  it('names the image by its ARN, with the status and the reason', () => {
    // Act
    const subject = coverageSubject();

    // Assess
    expect(subject).toMatchObject({
      kind: 'inspector-coverage',
      repository: 'prod/payments/api',
      digest: DIGEST,
      region: 'eu-central-1',
      account: '111122223333',
      coverage: { status: 'INACTIVE', reason: 'SCAN_ELIGIBILITY_EXPIRED' },
    });
  });

  it('is rejected when it names no ECR image (the documented EC2 sample)', () => {
    // Prepare
    const sample = loadAwsEvent('inspector2-coverage-ecr-image-inactive.CONSTRUCTED');

    // Act
    const parsed = parseScanEvent({ ...sample, resources: ['i-087d63509b8c97098'] });

    // Assess
    expect(parsed).toEqual({ ok: false, reason: expect.stringContaining('resources: names no ECR image ARN') });
  });
});

describe('resolution: fixed or expired', () => {
  it('resolves every alerted finding as expired when Inspector stops scanning the image', () => {
    // Prepare
    const alerted = alertedByFinding();

    // Act
    const result = buildAlert({ config: configWith(), subject: coverageSubject(), findings: [], previous: alerted.state, now: T1 });

    // Assess
    expect(result.alert).toBeNull();
    expect(result.resolved).toMatchObject({
      cause: 'image-inactive',
      resolution: 'expired',
      inactiveReason: 'SCAN_ELIGIBILITY_EXPIRED',
      resolvedFindings: [
        { id: 'CVE-2024-6119', package: 'libssl3t64' },
        { id: 'CVE-2024-6119', package: 'openssl' },
      ],
      allResolved: true,
      previousDedupeKey: alerted.state.dedupeKey,
    });
    expect(result.state).toMatchObject({ findingKeys: [], dedupeKey: null, inactive: { since: T1.toISOString(), reason: 'SCAN_ELIGIBILITY_EXPIRED' } });
    expect(result.reason).toMatch(/^Inspector set its scan status to INACTIVE \(SCAN_ELIGIBILITY_EXPIRED\) for prod\/payments\/api@sha256:\S+: it is no longer scanned; 2 alerted findings resolved as expired$/);
  });

  it('says expired, not resolved, in the message', () => {
    // Prepare
    const alerted = alertedByFinding();
    const { resolved } = buildAlert({ config: configWith(), subject: coverageSubject(), findings: [], previous: alerted.state, now: T1 });

    // Act
    const message = renderResolvedMessage(resolved!);

    // Assess
    expect(message.subject).toMatch(/^\[EXPIRED\] prod\/payments\/api@sha256:4a5e5b8d3b1f — all alerted findings expired$/);
    expect(message.body).toContain('Inspector stopped scanning the image (SCAN_ELIGIBILITY_EXPIRED) and closes its findings.');
    expect(message.body).toContain('Resolution: expired, not fixed: the image is unchanged and no longer scanned');
    expect(message.body).toContain('Expired:\n  CVE-2024-6119 (libssl3t64)\n  CVE-2024-6119 (openssl)');
  });

  it('resolves a finding Inspector closes while it still scans the image as fixed', () => {
    // Prepare
    const alerted = alertedByFinding();

    // Act
    const result = buildAlert({ config: configWith(), subject: inspectorFindingSubject({ status: 'CLOSED' }), findings: [], previous: alerted.state, now: T1 });

    // Assess
    expect(result.resolved).toMatchObject({ cause: 'finding-closed', resolution: 'fixed' });
    expect(result.resolved).not.toHaveProperty('inactiveReason');
    expect(renderResolvedMessage(result.resolved!).body).toContain('Resolution: fixed: the findings went away while the image was still being scanned.');
  });

  it('resolves a finding closed after Inspector stopped scanning the image as expired', () => {
    // Prepare: the coverage event came first for this image, and the finding was alerted again meanwhile
    const alerted = alertedByFinding();
    const inactive = buildAlert({ config: configWith(), subject: coverageSubject(), findings: [], previous: alerted.state, now: T1 });
    const stillOpen = { ...inactive.state, findingKeys: alerted.state.findingKeys, dedupeKey: alerted.state.dedupeKey };

    // Act
    const result = buildAlert({ config: configWith(), subject: inspectorFindingSubject({ status: 'CLOSED' }), findings: [], previous: stillOpen, now: T2 });

    // Assess
    expect(result.resolved).toMatchObject({ cause: 'finding-closed', resolution: 'expired', inactiveReason: 'SCAN_ELIGIBILITY_EXPIRED' });
    expect(renderResolvedMessage(result.resolved!).subject).toMatch(/^\[EXPIRED\] /);
    expect(result.state.inactive).toEqual({ since: T1.toISOString(), reason: 'SCAN_ELIGIBILITY_EXPIRED' });
  });

  it('forgets the inactive mark once Inspector scans the image again (an ACTIVE finding)', () => {
    // Prepare
    const alerted = alertedByFinding();
    const inactive = buildAlert({ config: configWith(), subject: coverageSubject(), findings: [], previous: alerted.state, now: T1 });

    // Act
    const reopened = buildAlert({ config: configWith(), subject: inspectorFindingSubject({ status: 'ACTIVE' }), findings: [], previous: inactive.state, now: T2 });
    const closed = buildAlert({ config: configWith(), subject: inspectorFindingSubject({ status: 'CLOSED' }), findings: [], previous: reopened.state, now: T2 });

    // Assess
    expect(reopened.alert).not.toBeNull();
    expect(reopened.state).not.toHaveProperty('inactive');
    expect(closed.resolved).toMatchObject({ resolution: 'fixed' });
  });

  it('resolves findings a re-scan no longer reports as fixed', () => {
    // Prepare
    const findings = normalizeScanFindings(loadScanFindings('basic'));
    const alerted = buildAlert({ config: configWith(), subject: imageScanSubject(), findings, now: T0 });

    // Act
    const result = buildAlert({ config: configWith(), subject: imageScanSubject(), findings: findings.slice(1), previous: alerted.state, now: T1 });

    // Assess
    expect(result.resolved).toMatchObject({ cause: 'rescan', resolution: 'fixed' });
    expect(renderResolvedMessage(result.resolved!).subject).toMatch(/^\[RESOLVED\] /);
  });

  it('resolves nothing, and only clears the mark, for a coverage change to ACTIVE', () => {
    // Prepare
    const alerted = alertedByFinding();
    const inactive = buildAlert({ config: configWith(), subject: coverageSubject(), findings: [], previous: alerted.state, now: T1 });

    // Act
    const active = buildAlert({ config: configWith(), subject: coverageSubject('ACTIVE', 'SUCCESSFUL'), findings: [], previous: inactive.state, now: T2 });

    // Assess
    expect(active.resolved).toBeNull();
    expect(active.alert).toBeNull();
    expect(active.state).not.toHaveProperty('inactive');
  });

  it('has nothing to resolve when nothing was alerted for the image', () => {
    // Act
    const result = buildAlert({ config: configWith(), subject: coverageSubject(), findings: [], previous: null, now: T1 });

    // Assess
    expect(result.resolved).toBeNull();
    expect(result.reason).toMatch(/it is no longer scanned; nothing was alerted for it$/);
  });
});

describe('supersededResolution: a newer image under the same tag', () => {
  const basic = () => normalizeScanFindings(loadScanFindings('basic'));
  const olderState = () => buildAlert({ config: configWith(), subject: imageScanSubject(), findings: basic(), now: T0 }).state;

  it('resolves as fixed the vulnerabilities the newer image no longer has, and keeps the rest open', () => {
    // Prepare: the older image was alerted for CVE-2023-38545 (curl) and CVE-2023-44487 (nghttp2)
    const older = olderState();
    const newerFindings = basic().filter((finding) => finding.id !== 'CVE-2023-38545');

    // Act
    const { resolved, state } = supersededResolution({ config: configWith(), older, newer: imageScanSubject({ digest: OTHER_DIGEST }), newerFindings, tag: '1.4.2', now: T1 });

    // Assess
    expect(resolved).toMatchObject({
      team: 'payments',
      digest: DIGEST,
      tags: [],
      cause: 'superseded',
      resolution: 'fixed',
      supersededBy: { digest: OTHER_DIGEST, tag: '1.4.2' },
      resolvedFindings: [{ id: 'CVE-2023-38545', package: 'curl' }],
      remainingFindings: 1,
      allResolved: false,
      previousDedupeKey: older.dedupeKey,
    });
    expect(state.findingKeys).toEqual(['CVE-2023-44487|nghttp2']);
    expect(renderResolvedMessage(resolved!).body).toContain(`A newer image with the tag 1.4.2 (${OTHER_DIGEST.slice(0, 19)}) no longer has them.`);
  });

  it('does not call a vulnerability fixed that the newer image has in another package', () => {
    // Prepare
    const older = olderState();
    const newerFindings = basic().map((finding) => (finding.id === 'CVE-2023-38545' ? { ...finding, package: 'libcurl4' } : finding));

    // Act
    const { resolved, state } = supersededResolution({ config: configWith(), older, newer: imageScanSubject({ digest: OTHER_DIGEST }), newerFindings, tag: '1.4.2', now: T1 });

    // Assess
    expect(resolved).toBeNull();
    expect(state).toBe(older);
  });

  it('resolves nothing for the same image', () => {
    // Prepare
    const older = olderState();

    // Act
    const { resolved } = supersededResolution({ config: configWith(), older, newer: imageScanSubject(), newerFindings: [], tag: '1.4.2', now: T1 });

    // Assess
    expect(resolved).toBeNull();
  });
});
