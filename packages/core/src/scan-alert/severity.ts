import { SEVERITIES, type Severity } from '../constants.js';

/** A finding's severity: ECR's five levels, or UNDEFINED (ECR's "no rating", Inspector's UNTRIAGED), which never alerts. */
type FindingSeverity = Severity | 'UNDEFINED';

/** Findings per severity; every key is present (AWS omits zero counts, Dockmaster never does). */
type SeverityCounts = Record<FindingSeverity, number>;

/** Position in SEVERITIES; UNDEFINED ranks below everything. */
const severityRank = (severity: FindingSeverity): number => (severity === 'UNDEFINED' ? -1 : SEVERITIES.indexOf(severity));

const isSeverity = (value: string): value is Severity => (SEVERITIES as readonly string[]).includes(value);

/** Maps AWS severity strings (any case) to a FindingSeverity; unknown ones (UNTRIAGED, ...) become UNDEFINED. */
const normalizeSeverity = (value: string | undefined): FindingSeverity => {
  const upper = (value ?? '').toUpperCase();
  return isSeverity(upper) ? upper : 'UNDEFINED';
};

/** True when the severity alerts under the threshold. UNDEFINED never alerts, whatever the threshold. */
const isAtOrAbove = (severity: FindingSeverity, minSeverity: Severity): severity is Severity =>
  severity !== 'UNDEFINED' && severityRank(severity) >= severityRank(minSeverity);

/** Highest first, the order people read counts in (JSON keeps insertion order). */
const emptyCounts = (): SeverityCounts => ({ CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFORMATIONAL: 0, UNDEFINED: 0 });

/**
 * Reads AWS's `finding-severity-counts` / `findingSeverityCounts`: absent keys are zero (AWS leaves out
 * severities without findings), extra keys such as Inspector's TOTAL are ignored.
 */
const countsFromAws = (counts: Readonly<Record<string, number>> | undefined): SeverityCounts => {
  const result = emptyCounts();
  for (const [key, value] of Object.entries(counts ?? {})) {
    if (key === 'UNDEFINED' || isSeverity(key)) result[key] += value;
  }
  return result;
};

const countBySeverity = (findings: readonly { severity: FindingSeverity }[]): SeverityCounts => {
  const result = emptyCounts();
  for (const finding of findings) result[finding.severity] += 1;
  return result;
};

export { countBySeverity, countsFromAws, emptyCounts, isAtOrAbove, normalizeSeverity, severityRank };
export type { FindingSeverity, SeverityCounts };
