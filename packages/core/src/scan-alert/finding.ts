import type { PackageVulnerabilityDetails, VulnerablePackage } from '../events/scan.js';
import { compareText } from '../shared/compare-text.js';
import { severityRank, type FindingSeverity } from './severity.js';

type FixAvailability = 'YES' | 'NO' | 'PARTIAL';
type ExploitAvailability = 'YES' | 'NO';

/**
 * One vulnerability in one package of one image, whatever scanner found it. A CVE present in two
 * packages is two findings: they are fixed (and suppressed) separately.
 */
interface Finding {
  /** CVE-..., GHSA-..., ALAS-...: the vulnerability id. */
  id: string;
  severity: FindingSeverity;
  package: string;
  installedVersion: string;
  fixedVersion?: string;
  fixAvailable?: FixAvailability;
  exploitAvailable?: ExploitAvailability;
  /** The scanner's link for the finding, when it gave one. */
  uri?: string;
}

/** What identifies a finding for dedupe and state: the id and the package. */
type FindingRef = Pick<Finding, 'id' | 'package'>;

/** Shown when a scanner names no package (basic scanning can omit the attribute). */
const UNKNOWN_PACKAGE = 'unknown-package';

/** Stable identity of a finding: `<id>|<package>`. */
const findingKey = (finding: FindingRef): string => `${finding.id}|${finding.package}`;

/** Inverse of {@link findingKey}; ids never contain '|', packages might, so split on the first one. */
const findingRefFromKey = (key: string): FindingRef => {
  const separator = key.indexOf('|');
  return separator < 0 ? { id: key, package: '' } : { id: key.slice(0, separator), package: key.slice(separator + 1) };
};

/** Code-unit order: the same on every machine, unlike localeCompare, so dedupe keys and lists are stable. */

/** Severity descending, then id, then package: the order alerts list findings in. */
const compareFindings = (a: Pick<Finding, 'severity' | 'id' | 'package'>, b: Pick<Finding, 'severity' | 'id' | 'package'>): number =>
  severityRank(b.severity) - severityRank(a.severity) || compareText(a.id, b.id) || compareText(a.package, b.package);

/**
 * Drops repeated findings (overlapping pages, re-delivered events), keeping the first of each
 * id+package but the highest severity any copy reported, then sorts.
 */
const dedupeFindings = (findings: readonly Finding[]): Finding[] => {
  const byKey = new Map<string, Finding>();
  for (const finding of findings) {
    const key = findingKey(finding);
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, finding);
    else if (severityRank(finding.severity) > severityRank(seen.severity)) byKey.set(key, { ...seen, severity: finding.severity });
  }
  return [...byKey.values()].sort(compareFindings);
};

/** Inspector writes "NotAvailable" in fixedInVersion when there is no fix. */
const fixedVersionOf = (fixedInVersion: string | undefined): string | undefined =>
  fixedInVersion === undefined || fixedInVersion === '' || fixedInVersion === 'NotAvailable' ? undefined : fixedInVersion;

/** epoch:version-release, as the fixed version is written, so the two compare at a glance. */
const installedVersionOf = (vulnerablePackage: VulnerablePackage): string => {
  const epoch = vulnerablePackage.epoch ? `${vulnerablePackage.epoch}:` : '';
  const release = vulnerablePackage.release ? `-${vulnerablePackage.release}` : '';
  return `${epoch}${vulnerablePackage.version}${release}`;
};

/** One Finding per vulnerable package of an Inspector (enhanced) finding. */
const findingsFromPackageVulnerability = (
  details: PackageVulnerabilityDetails,
  meta: { severity: FindingSeverity; fixAvailable?: FixAvailability | undefined; exploitAvailable?: ExploitAvailability | undefined },
): Finding[] => {
  const common = {
    id: details.vulnerabilityId,
    severity: meta.severity,
    ...(meta.fixAvailable ? { fixAvailable: meta.fixAvailable } : {}),
    ...(meta.exploitAvailable ? { exploitAvailable: meta.exploitAvailable } : {}),
    ...(details.sourceUrl ? { uri: details.sourceUrl } : {}),
  };
  if (details.vulnerablePackages.length === 0) return [{ ...common, package: UNKNOWN_PACKAGE, installedVersion: 'unknown' }];
  return details.vulnerablePackages.map((vulnerablePackage) => {
    const fixedVersion = fixedVersionOf(vulnerablePackage.fixedInVersion);
    return {
      ...common,
      package: vulnerablePackage.name,
      installedVersion: installedVersionOf(vulnerablePackage),
      ...(fixedVersion ? { fixedVersion } : {}),
    };
  });
};

export { compareFindings, dedupeFindings, findingKey, findingRefFromKey, findingsFromPackageVulnerability, UNKNOWN_PACKAGE };
export type { ExploitAvailability, Finding, FindingRef, FixAvailability };
