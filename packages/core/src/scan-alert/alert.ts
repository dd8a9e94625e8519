import type { DockmasterConfig, SuppressionConfig } from '../config/index.js';
import type { Severity } from '../constants.js';
import { dedupeKeyFor } from './dedupe.js';
import { InspectorFindingStatus } from '../events/vocabulary.js';
import { compareText } from '../shared/compare-text.js';
import { dedupeFindings, findingKey, findingRefFromKey, type ExploitAvailability, type Finding, type FindingRef, type FixAvailability } from './finding.js';
import { isNotInUse, NotInUseAction, type InUse } from './in-use.js';
import { consoleImageUrl, findingLink } from './links.js';
import { scanAlertRouting } from './routing.js';
import { countBySeverity, isAtOrAbove, severityRank, type SeverityCounts } from './severity.js';
import type { AlertState } from './state.js';
import { SCAN_STATUSES_WITH_FINDINGS, type ScanSubject } from './subject.js';
import { activeSuppressionFor, expiredSuppressionsFor } from './suppression.js';

/** OCI image labels shown in the alert when the image carries them. */
const SOURCE_LABEL = 'org.opencontainers.image.source';
const REVISION_LABEL = 'org.opencontainers.image.revision';

/** A finding that alerts: at or above the threshold and not suppressed. */
interface AlertFinding {
  id: string;
  severity: Severity;
  package: string;
  installedVersion: string;
  fixedVersion?: string;
  fixAvailable?: FixAvailability;
  exploitAvailable?: ExploitAvailability;
  /** The scanner's link, else the public advisory (NVD for CVEs). */
  uri?: string;
}

/** A finding at or above the threshold that a suppression in force hides. */
interface SuppressedFinding {
  id: string;
  package: string;
  severity: Severity;
  reason: string;
  /** Last day (UTC) the suppression applies, YYYY-MM-DD. */
  expires: string;
}

/** A suppression that would hide a finding of this alert but has expired. */
interface ExpiredSuppression {
  id: string;
  repositories: string[];
  package?: string;
  digest?: string;
  reason: string;
  /** The last day it applied, YYYY-MM-DD. */
  expired: string;
}

/** The in-use data as the alert carries it: only the fields Inspector sent, the time as ISO-8601. */
interface AlertInUse {
  /** Amazon ECS tasks and Amazon EKS pods running the image, as Inspector counted them. */
  count?: number;
  lastInUseAt?: string;
}

/** Which scanner produced the result: only enhanced scanning (Inspector) can say whether an image is in use. */
type Scanning = 'basic' | 'enhanced';

/** How findings went away: see ScanAlertResolved.resolution. */
type Resolution = 'fixed' | 'expired';

/** `low` when the route's `notInUse: low-urgency` applied to an image Inspector reports as not in use. */
type Urgency = 'high' | 'low';

/** The `Scan Alert` Dockmaster emits: everything on-call needs to act on one image. */
interface ScanAlert {
  team: string | null;
  repository: string;
  digest: string;
  tags: string[];
  region: string;
  account: string;
  /** The highest severity among `findings`. */
  severity: Severity;
  minSeverity: Severity;
  /** All findings of the image per severity, alerting or not. */
  counts: SeverityCounts;
  /** Alerting findings, severity descending then id. */
  findings: AlertFinding[];
  /** The part of `findings` not in the previous alert for this digest (all of them on a first alert). */
  newFindings: AlertFinding[];
  /** Findings alerted before and still open that this event carried no details for (Inspector sends one finding per event). */
  stillOpen: FindingRef[];
  /** Findings below `minSeverity` (or without a severity), summarised by count only. */
  belowThreshold: number;
  suppressed: SuppressedFinding[];
  expiredSuppressions: ExpiredSuppression[];
  notes: string[];
  source?: string;
  revision?: string;
  consoleUrl: string;
  dedupeKey: string;
  /** ISO-8601. */
  createdAt: string;
  scanning: Scanning;
  /** Present only when Inspector reported in-use data for the image; absent fields stay absent. */
  inUse?: AlertInUse;
  urgency: Urgency;
}

/** The `Scan Alert Resolved` Dockmaster emits when alerted findings are gone. */
interface ScanAlertResolved {
  team: string | null;
  repository: string;
  digest: string;
  tags: string[];
  region: string;
  account: string;
  /**
   * rescan: a later scan no longer reports them; finding-closed: Inspector closed the finding; image-inactive:
   * Inspector stopped scanning the image (Inspector2 Coverage INACTIVE) and closes its findings; superseded: a
   * newer image pushed under the same repository and tag no longer has the vulnerabilities.
   */
  cause: 'rescan' | 'finding-closed' | 'image-inactive' | 'superseded';
  /** superseded only: the newer image's digest and the tag they share. */
  supersededBy?: { digest: string; tag: string };
  /**
   * fixed: the findings went away while the image was still scanned; expired: Inspector stopped scanning the image
   * (its re-scan duration lapsed, or its coverage ended otherwise), so nothing says the findings are fixed.
   */
  resolution: Resolution;
  /** Inspector's reason when it stopped scanning the image (SCAN_ELIGIBILITY_EXPIRED, ...), when known. */
  inactiveReason?: string;
  resolvedFindings: FindingRef[];
  /** Findings of this digest still alerted and open. */
  remainingFindings: number;
  allResolved: boolean;
  /** The dedupeKey of the alert these findings were part of. */
  previousDedupeKey: string | null;
  consoleUrl: string;
  /** ISO-8601. */
  createdAt: string;
}

interface BuildAlertInput {
  config: Pick<DockmasterConfig, 'scanAlerts' | 'pullThroughCache'>;
  subject: ScanSubject;
  /**
   * The image's findings (normalizeScanFindings of DescribeImageScanFindings). Required for scans: the
   * counts in a scan event say how many, not which. For an Inspector2 Finding the event's own finding
   * is merged in, and findings not given are taken to be unchanged.
   */
  findings: readonly Finding[];
  /** The state stored after the last evaluation of this digest. */
  previous?: AlertState | null;
  now: Date;
  /**
   * Whether the image runs, as read with the findings (inUseFromScanFindings of DescribeImageScanFindings). An
   * Inspector2 Finding's own in-use data (subject.inUse) is newer and wins.
   */
  inUse?: InUse | undefined;
}

interface BuildAlertResult {
  alert: ScanAlert | null;
  /** Why there is no alert; set whenever `alert` is null. */
  reason?: string;
  resolved?: ScanAlertResolved | null;
  /** Store this for the digest, whatever the outcome. */
  state: AlertState;
}

const sortedKeys = (keys: Iterable<string>): string[] => [...new Set(keys)].sort(compareText);

const toAlertFinding = (finding: Finding & { severity: Severity }): AlertFinding => {
  const uri = findingLink(finding);
  return {
    id: finding.id,
    severity: finding.severity,
    package: finding.package,
    installedVersion: finding.installedVersion,
    ...(finding.fixedVersion ? { fixedVersion: finding.fixedVersion } : {}),
    ...(finding.fixAvailable ? { fixAvailable: finding.fixAvailable } : {}),
    ...(finding.exploitAvailable ? { exploitAvailable: finding.exploitAvailable } : {}),
    ...(uri ? { uri } : {}),
  };
};

const toAlertInUse = (inUse: InUse): AlertInUse => ({
  ...(inUse.count !== undefined ? { count: inUse.count } : {}),
  ...(inUse.lastInUseAt ? { lastInUseAt: inUse.lastInUseAt.toISOString() } : {}),
});

/** "not in use (Inspector counts 0 ECS tasks and EKS pods; last in use <time>)": why a route's notInUse applied. */
const notInUseFacts = (inUse: InUse): string =>
  `Inspector counts 0 Amazon ECS tasks and Amazon EKS pods running it; ${inUse.lastInUseAt ? `last in use ${inUse.lastInUseAt.toISOString()}` : 'no last-in-use time reported'}`;

const toExpired = (suppression: SuppressionConfig): ExpiredSuppression => ({
  id: suppression.cve,
  repositories: [...suppression.repositories],
  ...(suppression.package ? { package: suppression.package } : {}),
  ...(suppression.digest ? { digest: suppression.digest } : {}),
  reason: suppression.reason,
  expired: suppression.expires,
});

/** The image fields of a Scan Alert Resolved for the event's own image (coverage change, rescan, closed finding). */
const resolvedImage = (subject: ScanSubject, team: string | null): Pick<ScanAlertResolved, 'team' | 'repository' | 'digest' | 'tags' | 'region' | 'account'> => ({
  team,
  repository: subject.repository,
  digest: subject.digest,
  tags: [...subject.tags],
  region: subject.region,
  account: subject.account,
});

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

const listRefs = (refs: readonly FindingRef[], max = 5): string => {
  const shown = refs.slice(0, max).map((ref) => `${ref.id} (${ref.package})`);
  return refs.length > max ? `${shown.join(', ')} and ${refs.length - max} more` : shown.join(', ');
};

const summariseCounts = (counts: SeverityCounts, below: Severity): string =>
  Object.entries(counts)
    .filter(([severity, count]) => count > 0 && !isAtOrAbove(severity as keyof SeverityCounts, below))
    .sort(([a], [b]) => severityRank(b as keyof SeverityCounts) - severityRank(a as keyof SeverityCounts))
    .map(([severity, count]) => `${count} ${severity}`)
    .join(', ');

interface Classified {
  alertable: (Finding & { severity: Severity })[];
  suppressed: SuppressedFinding[];
  expired: ExpiredSuppression[];
  belowThreshold: number;
}

/** Splits findings into alerting, suppressed and below-threshold, collecting expired suppressions on the way. */
const classify = (
  findings: readonly Finding[],
  minSeverity: Severity,
  suppressions: readonly SuppressionConfig[],
  subject: ScanSubject,
  now: Date,
): Classified => {
  const result: Classified = { alertable: [], suppressed: [], expired: [], belowThreshold: 0 };
  const expired = new Set<SuppressionConfig>();
  for (const finding of findings) {
    const { severity } = finding;
    if (!isAtOrAbove(severity, minSeverity)) {
      result.belowThreshold += 1;
      continue;
    }
    const suppression = activeSuppressionFor(suppressions, finding, subject, now);
    if (suppression) {
      result.suppressed.push({ id: finding.id, package: finding.package, severity, reason: suppression.reason, expires: suppression.expires });
      continue;
    }
    result.alertable.push({ ...finding, severity });
    for (const lapsed of expiredSuppressionsFor(suppressions, finding, subject, now)) expired.add(lapsed);
  }
  result.expired = [...expired].map(toExpired);
  return result;
};

interface NoAlertFacts {
  subject: ScanSubject;
  image: string;
  minSeverity: Severity;
  classified: Classified;
  counts: SeverityCounts;
  closedKeys: ReadonlySet<string>;
  dismissedKeys: ReadonlySet<string>;
  openKeys: readonly string[];
  dedupeKey: string | null;
}

/** Says in one line why an evaluated scan result does not alert. */
const noAlertReason = (facts: NoAlertFacts): string => {
  const { subject, image, minSeverity, classified, counts } = facts;
  if (facts.closedKeys.size > 0) return `Inspector closed ${listRefs([...facts.closedKeys].map(findingRefFromKey))} on ${image}`;
  if (facts.dismissedKeys.size > 0) return `Inspector suppressed ${listRefs([...facts.dismissedKeys].map(findingRefFromKey))} on ${image}`;
  if (classified.alertable.length > 0) {
    return `already alerted: the same ${plural(facts.openKeys.length, 'finding')} at or above ${minSeverity} were alerted for ${image} (dedupeKey ${facts.dedupeKey ?? 'none'})`;
  }
  if (classified.suppressed.length > 0) {
    const count = classified.suppressed.length;
    const which = count === 1 ? `the only finding at or above ${minSeverity} on ${image} is` : `all ${count} findings at or above ${minSeverity} on ${image} are`;
    return `${which} suppressed: ${listRefs(classified.suppressed)}`;
  }
  if (subject.kind === 'inspector-finding' && subject.finding) {
    return `${subject.finding.id} (${subject.finding.package}) on ${image} is ${subject.finding.severity}, below the ${minSeverity} threshold`;
  }
  const below = summariseCounts(counts, minSeverity);
  return `no findings at or above ${minSeverity} on ${image}${below ? ` (below the threshold: ${below})` : ''}`;
};

/**
 * Inspector2 Coverage for the image. INACTIVE: Inspector stopped scanning it (for ECR, typically the re-scan
 * duration lapsed: SCAN_ELIGIBILITY_EXPIRED) and schedules its findings for closure, so every alerted finding is
 * resolved at once as expired, and the state remembers it (a CLOSED finding arriving later is expired, not fixed).
 * Any other status only clears that mark. Never an alert: a coverage change carries no findings.
 */
const coverageChange = (
  subject: ScanSubject,
  previous: AlertState | null,
  team: string | null,
  timestamp: string,
  unchangedState: AlertState,
): BuildAlertResult => {
  const image = `${subject.repository}@${subject.digest}`;
  const status = subject.coverage?.status ?? '(none)';
  const reason = subject.coverage?.reason;
  const because = `Inspector set its scan status to ${status}${reason ? ` (${reason})` : ''}`;
  if (status !== 'INACTIVE') {
    const { inactive: _cleared, ...state } = unchangedState;
    return { alert: null, reason: `${because} for ${image}; nothing to resolve`, resolved: null, state: previous ? { ...state, updatedAt: timestamp } : state };
  }
  const gone = previous?.findingKeys ?? [];
  const state: AlertState = {
    ...unchangedState,
    findingKeys: [],
    dedupeKey: null,
    updatedAt: timestamp,
    inactive: { since: timestamp, ...(reason ? { reason } : {}) },
  };
  const resolved: ScanAlertResolved | null =
    gone.length > 0
      ? {
          ...resolvedImage(subject, team),
          cause: 'image-inactive',
          resolution: 'expired',
          ...(reason ? { inactiveReason: reason } : {}),
          resolvedFindings: sortedKeys(gone).map(findingRefFromKey),
          remainingFindings: 0,
          allResolved: true,
          previousDedupeKey: previous?.dedupeKey ?? null,
          consoleUrl: consoleImageUrl(subject),
          createdAt: timestamp,
        }
      : null;
  const what = gone.length > 0 ? `${plural(gone.length, 'alerted finding')} resolved as expired` : 'nothing was alerted for it';
  return { alert: null, reason: `${because} for ${image}: it is no longer scanned; ${what}`, resolved, state };
};

interface SupersededInput {
  config: Pick<DockmasterConfig, 'scanAlerts' | 'pullThroughCache'>;
  /** The state of the older image that had the tag. */
  older: AlertState;
  /** The complete scan result of the newer image (a scan, not a single Inspector2 Finding). */
  newer: ScanSubject;
  newerFindings: readonly Finding[];
  tag: string;
  now: Date;
}

/**
 * The alerted findings of an older image whose vulnerability the newer image under the same repository and tag no
 * longer has (by id: the CVE moved to another package is not fixed) resolve as fixed; the rest stay open on the
 * older image. Pure; null resolution when nothing went away.
 */
const supersededResolution = (input: SupersededInput): { resolved: ScanAlertResolved | null; state: AlertState } => {
  const { older, newer, tag } = input;
  const timestamp = input.now.toISOString();
  const stillThere = new Set(input.newerFindings.map((finding) => finding.id));
  const gone = older.findingKeys.filter((key) => !stillThere.has(findingRefFromKey(key).id));
  if (gone.length === 0 || older.digest === newer.digest) return { resolved: null, state: older };
  const open = older.findingKeys.filter((key) => stillThere.has(findingRefFromKey(key).id));
  const routing = scanAlertRouting(input.config, older.repository);
  const state: AlertState = { ...older, findingKeys: open, dedupeKey: open.length > 0 ? dedupeKeyFor(older.digest, open) : null, updatedAt: timestamp };
  const olderImage = { ...newer, digest: older.digest };
  return {
    state,
    resolved: {
      team: routing.on ? routing.team : null,
      repository: older.repository,
      digest: older.digest,
      // The tag has moved on to the newer image; the older one is named by digest.
      tags: [],
      region: newer.region,
      account: newer.account,
      cause: 'superseded',
      resolution: 'fixed',
      supersededBy: { digest: newer.digest, tag },
      resolvedFindings: sortedKeys(gone).map(findingRefFromKey),
      remainingFindings: open.length,
      allResolved: open.length === 0,
      previousDedupeKey: older.dedupeKey,
      consoleUrl: consoleImageUrl(olderImage),
      createdAt: timestamp,
    },
  };
};

/**
 * Decides whether an image's scan result alerts, what the alert says, what was resolved since the
 * previous alert for this digest, and the state to store for next time. Pure: same input, same output.
 *
 * Scans (ECR Image Scan, Inspector2 Scan) are complete: a previously alerted finding missing from
 * `findings` is resolved. An Inspector2 Finding is one change: it opens its finding (ACTIVE), resolves it
 * (CLOSED) or drops it silently (SUPPRESSED in Inspector); other previously alerted findings stay open.
 */
const buildAlert = (input: BuildAlertInput): BuildAlertResult => {
  const { config, subject, now } = input;
  const previous = input.previous ?? null;
  if (previous && previous.digest !== subject.digest) {
    throw new Error(`buildAlert: the previous AlertState is for ${previous.digest}, not ${subject.digest}; look state up by digest`);
  }
  const timestamp = now.toISOString();
  const unchangedState: AlertState = previous ?? {
    version: 1,
    repository: subject.repository,
    digest: subject.digest,
    findingKeys: [],
    dedupeKey: null,
    updatedAt: timestamp,
  };
  const noAlert = (reason: string): BuildAlertResult => ({ alert: null, reason, resolved: null, state: unchangedState });

  const routing = scanAlertRouting(config, subject.repository);
  if (!routing.on) return noAlert(routing.reason);
  const { settings: scanAlerts, team, notInUse } = routing;
  const { minSeverity } = scanAlerts;
  const image = `${subject.repository}@${subject.digest}`;
  const isFindingEvent = subject.kind === 'inspector-finding';

  if (subject.kind === 'inspector-coverage') return coverageChange(subject, previous, team, timestamp, unchangedState);

  if (!isFindingEvent && !SCAN_STATUSES_WITH_FINDINGS.includes(subject.scanStatus ?? '')) {
    // A failed scan says nothing about the findings: resolving everything here would be a false all-clear.
    return noAlert(`the scan of ${image} ended with status ${subject.scanStatus ?? '(none)'}; there are no findings to evaluate`);
  }

  const eventKeys = new Set(subject.eventFindings.map(findingKey));
  const eventOpens = isFindingEvent && subject.findingStatus === InspectorFindingStatus.Active;
  const known = dedupeFindings([
    ...input.findings.filter((finding) => !eventKeys.has(findingKey(finding))),
    ...(eventOpens ? subject.eventFindings : []),
  ]);

  if (!isFindingEvent && known.length === 0) {
    const missing = Object.entries(subject.counts).filter(([severity, count]) => count > 0 && isAtOrAbove(severity as keyof SeverityCounts, minSeverity));
    if (missing.length > 0) {
      // Counts without details cannot be deduplicated or resolved per finding; the worker must fetch them.
      const what = missing.map(([severity, count]) => `${count} ${severity}`).join(', ');
      return noAlert(`the scan of ${image} counts ${what} but no finding details were given; read them with DescribeImageScanFindings and evaluate again`);
    }
  }

  const classified = classify(known, minSeverity, scanAlerts.suppressions, subject, now);
  const previousKeys = new Set(previous?.findingKeys ?? []);
  const presentKeys = new Set(known.map(findingKey));
  const closedKeys = isFindingEvent && subject.findingStatus === InspectorFindingStatus.Closed ? eventKeys : new Set<string>();
  const dismissedKeys = isFindingEvent && subject.findingStatus === InspectorFindingStatus.Suppressed ? eventKeys : new Set<string>();

  const goneKeys = isFindingEvent
    ? [...previousKeys].filter((key) => closedKeys.has(key))
    : [...previousKeys].filter((key) => !presentKeys.has(key));
  const stillOpenKeys = isFindingEvent
    ? [...previousKeys].filter((key) => !presentKeys.has(key) && !closedKeys.has(key) && !dismissedKeys.has(key))
    : [];
  const alertableKeys = classified.alertable.map(findingKey);
  const inUse = subject.inUse ?? input.inUse;
  const newKeys = new Set(alertableKeys.filter((key) => !previousKeys.has(key)));
  // notInUse: skip: the new findings are neither alerted nor stored as alerted, so a later result for the image
  // (Inspector updates the finding once the image runs) alerts them.
  const skipReason =
    newKeys.size > 0 && notInUse === NotInUseAction.Skip && inUse && isNotInUse(inUse)
      ? `skipped ${plural(newKeys.size, 'new finding')} on ${image}: the image is not in use (${notInUseFacts(inUse)}), and the route for ${subject.repository} sets notInUse: skip`
      : undefined;
  if (skipReason) newKeys.clear();
  const openKeys = sortedKeys([...alertableKeys.filter((key) => !skipReason || previousKeys.has(key)), ...stillOpenKeys]);
  const dedupeKey = openKeys.length > 0 ? dedupeKeyFor(subject.digest, openKeys) : null;

  const consoleUrl = consoleImageUrl(subject);
  const counts = known.length > 0 || isFindingEvent ? countBySeverity(known) : subject.counts;

  // A CLOSED finding on an image Inspector no longer scans expired; any other way out is a fix.
  const expired = isFindingEvent && subject.findingStatus === InspectorFindingStatus.Closed && previous?.inactive !== undefined;
  const resolved: ScanAlertResolved | null =
    goneKeys.length > 0
      ? {
          ...resolvedImage(subject, team),
          cause: isFindingEvent ? 'finding-closed' : 'rescan',
          resolution: expired ? 'expired' : 'fixed',
          ...(expired && previous?.inactive?.reason ? { inactiveReason: previous.inactive.reason } : {}),
          resolvedFindings: sortedKeys(goneKeys).map(findingRefFromKey),
          remainingFindings: openKeys.length,
          allResolved: openKeys.length === 0,
          previousDedupeKey: previous?.dedupeKey ?? null,
          consoleUrl,
          createdAt: timestamp,
        }
      : null;

  const willAlert = newKeys.size > 0;
  // A scan result or an ACTIVE finding shows Inspector scans the image again; a CLOSED or SUPPRESSED one does not.
  const stillInactive = previous?.inactive && isFindingEvent && subject.findingStatus !== InspectorFindingStatus.Active ? previous.inactive : undefined;
  const state: AlertState = {
    version: 1,
    repository: subject.repository,
    digest: subject.digest,
    findingKeys: openKeys,
    dedupeKey,
    ...(willAlert ? { lastAlertedAt: timestamp } : previous?.lastAlertedAt ? { lastAlertedAt: previous.lastAlertedAt } : {}),
    updatedAt: timestamp,
    ...(stillInactive ? { inactive: stillInactive } : {}),
  };

  if (!willAlert) {
    const reason = skipReason ?? noAlertReason({ subject, image, minSeverity, classified, counts, closedKeys, dismissedKeys, openKeys, dedupeKey });
    return { alert: null, reason, resolved, state };
  }

  const findings = classified.alertable.map(toAlertFinding);
  const [highest] = findings;
  const urgency: Urgency = notInUse === NotInUseAction.LowUrgency && inUse && isNotInUse(inUse) ? 'low' : 'high';
  const notes = [
    ...classified.expired.map(
      (lapsed) =>
        `suppression of ${lapsed.id}${lapsed.package ? ` in ${lapsed.package}` : ''} for ${lapsed.repositories.join(', ')} expired after ${lapsed.expired} (reason was: ${lapsed.reason}); it alerts again`,
    ),
    ...(previousKeys.size > 0 ? [`${plural(newKeys.size, 'new finding')} since the last alert for this image`] : []),
    ...(stillOpenKeys.length > 0 ? [`${plural(stillOpenKeys.length, 'earlier finding')} still open: ${listRefs(stillOpenKeys.map(findingRefFromKey))}`] : []),
    ...(urgency === 'low' && inUse ? [`low urgency: the image is not in use (${notInUseFacts(inUse)}), and the route for ${subject.repository} sets notInUse: low-urgency`] : []),
  ];
  const alert: ScanAlert = {
    team,
    repository: subject.repository,
    digest: subject.digest,
    tags: [...subject.tags],
    region: subject.region,
    account: subject.account,
    severity: highest?.severity ?? minSeverity,
    minSeverity,
    counts,
    findings,
    newFindings: findings.filter((finding) => newKeys.has(findingKey(finding))),
    stillOpen: stillOpenKeys.map(findingRefFromKey),
    belowThreshold: classified.belowThreshold,
    suppressed: classified.suppressed,
    expiredSuppressions: classified.expired,
    notes,
    consoleUrl,
    dedupeKey: dedupeKey ?? dedupeKeyFor(subject.digest, []),
    createdAt: timestamp,
    scanning: subject.kind === 'image-scan' ? 'basic' : 'enhanced',
    ...(inUse ? { inUse: toAlertInUse(inUse) } : {}),
    urgency,
  };
  return { alert, resolved, state };
};

/**
 * The alert with the image's source and revision (its OCI config labels) added. A separate pure step after
 * buildAlert: the worker reads labels (ECR calls) only for an alert that goes out.
 */
const withSourceLabels = (alert: ScanAlert, labels: Readonly<Record<string, string>>): ScanAlert => {
  const source = labels[SOURCE_LABEL];
  const revision = labels[REVISION_LABEL];
  return { ...alert, ...(source ? { source } : {}), ...(revision ? { revision } : {}) };
};

export { buildAlert, REVISION_LABEL, SOURCE_LABEL, supersededResolution, withSourceLabels };
export type {
  AlertFinding,
  AlertInUse,
  BuildAlertInput,
  BuildAlertResult,
  ExpiredSuppression,
  Resolution,
  ScanAlert,
  ScanAlertResolved,
  Scanning,
  SupersededInput,
  SuppressedFinding,
  Urgency,
};
