import { ScanStatus } from '@dockmaster/core/events/vocabulary';

/**
 * A DescribeImageScanFindings response (the AWS JSON shape, as `aws ecr describe-image-scan-findings` prints
 * it) with two CRITICAL findings and one HIGH: what `dockmaster local scan --findings` takes.
 */
const CRITICAL_FINDINGS = {
  imageScanStatus: { status: ScanStatus.Complete, description: 'The scan was completed successfully.' },
  imageScanFindings: {
    findings: [
      {
        name: 'CVE-2024-45337',
        uri: 'https://nvd.nist.gov/vuln/detail/CVE-2024-45337',
        severity: 'CRITICAL',
        attributes: [
          { key: 'package_name', value: 'golang.org/x/crypto' },
          { key: 'package_version', value: '0.25.0' },
        ],
      },
      {
        name: 'CVE-2024-24790',
        uri: 'https://nvd.nist.gov/vuln/detail/CVE-2024-24790',
        severity: 'CRITICAL',
        attributes: [
          { key: 'package_name', value: 'stdlib' },
          { key: 'package_version', value: '1.22.1' },
        ],
      },
      {
        name: 'CVE-2023-45288',
        uri: 'https://nvd.nist.gov/vuln/detail/CVE-2023-45288',
        severity: 'HIGH',
        attributes: [
          { key: 'package_name', value: 'golang.org/x/net' },
          { key: 'package_version', value: '0.19.0' },
        ],
      },
    ],
    findingSeverityCounts: { CRITICAL: 2, HIGH: 1 },
  },
} as const;

export { CRITICAL_FINDINGS };
