import { describe, expect, it } from 'vitest';
import { loadScanFindings } from './fixtures/load.js';
import { normalizeScanFindings } from './scan-findings.js';

const summary = (findings: ReturnType<typeof normalizeScanFindings>) => findings.map((finding) => `${finding.severity} ${finding.id} ${finding.package}`);

describe('normalizeScanFindings', () => {
  it('normalises basic findings: package and version from the attributes, sorted by severity then id', () => {
    // Prepare
    const response = loadScanFindings('basic');

    // Act
    const findings = normalizeScanFindings(response);

    // Assess
    expect(summary(findings)).toEqual([
      'CRITICAL CVE-2023-38545 curl',
      'CRITICAL CVE-2023-44487 nghttp2',
      'HIGH CVE-2019-5188 e2fsprogs',
      'MEDIUM CVE-2022-3219 gnupg2',
      'UNDEFINED CVE-2005-2541 tar',
    ]);
    expect(findings[0]).toEqual({
      id: 'CVE-2023-38545',
      severity: 'CRITICAL',
      package: 'curl',
      installedVersion: '7.88.1-10+deb12u3',
      uri: 'https://security-tracker.debian.org/tracker/CVE-2023-38545',
    });
    expect(findings[1]?.uri).toBeUndefined();
  });

  it('normalises enhanced findings over several pages: one per package, repeats once, CLOSED dropped, UNTRIAGED as UNDEFINED', () => {
    // Prepare
    const pages = [loadScanFindings('enhanced.page1'), loadScanFindings('enhanced.page2')];

    // Act
    const findings = normalizeScanFindings(pages);

    // Assess
    expect(summary(findings)).toEqual([
      'CRITICAL CVE-2024-5535 libssl3',
      'CRITICAL CVE-2024-5535 openssl',
      'CRITICAL GHSA-wf5p-g6vw-rhxx axios',
      'HIGH CVE-2023-4911 libc6',
      'MEDIUM CVE-2023-50495 ncurses-base',
      'UNDEFINED CVE-2024-99999 zlib1g',
    ]);
    expect(findings.find((finding) => finding.package === 'openssl')).toEqual({
      id: 'CVE-2024-5535',
      severity: 'CRITICAL',
      package: 'openssl',
      installedVersion: '3.0.11-1~deb12u1',
      fixedVersion: '0:3.0.14-1~deb12u1',
      fixAvailable: 'YES',
      exploitAvailable: 'NO',
      uri: 'https://security-tracker.debian.org/tracker/CVE-2024-5535',
    });
  });

  it('reads "NotAvailable" as no fixed version and keeps a non-zero epoch in the installed version', () => {
    // Prepare
    const pages = [loadScanFindings('enhanced.page1'), loadScanFindings('enhanced.page2')];

    // Act
    const findings = normalizeScanFindings(pages);

    // Assess
    const libc = findings.find((finding) => finding.package === 'libc6');
    expect(libc).toMatchObject({ installedVersion: '2.36-9+deb12u1', fixAvailable: 'NO', exploitAvailable: 'YES' });
    expect(libc?.fixedVersion).toBeUndefined();
    expect(findings.find((finding) => finding.package === 'zlib1g')?.installedVersion).toBe('1:1.2.13.dfsg-1');
  });

  it('reads basic and enhanced findings of the same response together', () => {
    // Prepare
    const basic = loadScanFindings('basic') as { imageScanFindings: object };
    const enhanced = loadScanFindings('enhanced.page1') as { imageScanFindings: object };
    const merged = { imageScanFindings: { ...basic.imageScanFindings, ...enhanced.imageScanFindings } };

    // Act
    const findings = normalizeScanFindings(merged);

    // Assess
    expect(findings).toHaveLength(5 + 3);
  });

  it('is independent of page and finding order', () => {
    // Prepare
    const page1 = loadScanFindings('enhanced.page1');
    const page2 = loadScanFindings('enhanced.page2') as { imageScanFindings: { enhancedFindings: unknown[] } };
    const reversed = { ...page2, imageScanFindings: { enhancedFindings: [...page2.imageScanFindings.enhancedFindings].reverse() } };

    // Act
    const forward = normalizeScanFindings([page1, page2]);
    const backward = normalizeScanFindings([reversed, page1]);

    // Assess
    expect(backward).toEqual(forward);
  });

  it('returns nothing for a failed scan without imageScanFindings', () => {
    // Act
    const findings = normalizeScanFindings({ imageScanStatus: { status: 'FAILED', description: 'UnsupportedImageError' } });

    // Assess
    expect(findings).toEqual([]);
  });

  it('throws naming the field when a page does not have the AWS shape', () => {
    // Prepare
    const response = { imageScanFindings: { findings: [{ severity: 'HIGH' }] } };

    // Act
    const act = () => normalizeScanFindings(response);

    // Assess
    expect(act).toThrow(/name/);
  });
});
