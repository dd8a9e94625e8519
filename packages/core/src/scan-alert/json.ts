import type { Severity } from '../constants.js';
import type { BuildAlertResult } from './alert.js';
import type { SeverityCounts } from './severity.js';

/** The CLI's `--json` contract. Field names are the contract: add, never rename. */
interface AlertJsonFinding {
  id: string;
  severity: Severity;
  package: string;
  installedVersion: string;
  fixedVersion: string | null;
  uri: string | null;
}

interface AlertJsonSuppressed {
  id: string;
  reason: string;
  expires: string;
}

type AlertJson =
  | {
      alert: {
        team: string | null;
        repository: string;
        digest: string;
        tags: string[];
        severity: Severity;
        counts: SeverityCounts;
        findings: AlertJsonFinding[];
        suppressed: AlertJsonSuppressed[];
        dedupeKey: string;
        /** Only when the finding has in-use data (Inspector); absent fields stay absent, never guessed. */
        inUse?: { count?: number; lastInUseAt?: string };
      };
    }
  | { alert: null; reason: string };

/**
 * The `--json` document for a buildAlert result. Unknown values are null rather than left out, so
 * every key is always there for `jq`; except `inUse`, which is there only when the scanner reported it, so
 * that no consumer mistakes "basic scanning cannot tell" for a value. A suppression hiding one CVE in several packages is listed once.
 */
const toAlertJson = (result: BuildAlertResult): AlertJson => {
  const { alert } = result;
  if (!alert) return { alert: null, reason: result.reason ?? 'no alert' };
  const suppressed = new Map<string, AlertJsonSuppressed>();
  for (const entry of alert.suppressed) {
    suppressed.set(JSON.stringify([entry.id, entry.reason, entry.expires]), { id: entry.id, reason: entry.reason, expires: entry.expires });
  }
  return {
    alert: {
      team: alert.team,
      repository: alert.repository,
      digest: alert.digest,
      tags: [...alert.tags],
      severity: alert.severity,
      counts: { ...alert.counts },
      findings: alert.findings.map((finding) => ({
        id: finding.id,
        severity: finding.severity,
        package: finding.package,
        installedVersion: finding.installedVersion,
        fixedVersion: finding.fixedVersion ?? null,
        uri: finding.uri ?? null,
      })),
      suppressed: [...suppressed.values()],
      dedupeKey: alert.dedupeKey,
      ...(alert.inUse ? { inUse: { ...alert.inUse } } : {}),
    },
  };
};

export { toAlertJson };
export type { AlertJson, AlertJsonFinding, AlertJsonSuppressed };
