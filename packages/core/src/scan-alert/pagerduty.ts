import type { Severity } from '../constants.js';
import { ecrRegistryHost } from '../image-reference/index.js';
import { PagerDutyLimit, type PagerDutyEventBody, type PagerDutySeverity } from '../notifications/pagerduty-events-v2.js';
import type { ScanAlert, ScanAlertResolved } from './alert.js';
import { renderAlertMessage } from './message.js';

/*
 * The PagerDuty Events API v2 body of a scan alert and of its resolution, without `routing_key`: the
 * EventBridge connection of the team's API destination adds that (docs/scan-alerts.md, "PagerDuty"). The
 * scan-alert worker puts it on the event as `detail.pagerduty`; `dockmaster render-alert --format pagerduty`
 * prints it. Field rules: notifications/pagerduty-events-v2.ts.
 */

/** ECR severity -> PagerDuty severity (PagerDuty has four: critical, error, warning, info). */
const PAGERDUTY_SEVERITY = {
  CRITICAL: 'critical',
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'info',
  INFORMATIONAL: 'info',
} as const satisfies Record<Severity, PagerDutySeverity>;

/** Finding ids listed in custom_details and links added; the console has them all. */
const MAX_DETAILED_FINDINGS = 20;
const MAX_FINDING_LINKS = 5;

/**
 * The PagerDuty alert of one image: `dockmaster/scan-alert/<digest>`, the key the alert state is stored under.
 * Not the alert's `dedupeKey`: that names the set of open findings and changes when a finding is added or
 * fixed, so a resolve sent with the current set's key would miss the incident a trigger opened with an earlier
 * set's key, and each new finding would open a second incident. One key per image makes PagerDuty merge every
 * repeat and new finding into the open alert and lets the resolution close it.
 */
const pagerDutyDedupKey = (digest: string): string => `dockmaster/scan-alert/${digest}`;

/** Cuts text to `max` characters (code points, so no surrogate pair is split), marking the cut with an ellipsis. */
const fitText = (text: string, max: number): string => {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
};

/** The subject line, then the alerting vulnerabilities by id: what on-call reads first, within PagerDuty's 1,024 characters. */
const alertSummary = (alert: ScanAlert): string => {
  const ids = [...new Set(alert.findings.map((finding) => finding.id))];
  return fitText(`${renderAlertMessage(alert).subject}: ${ids.join(', ')}`, PagerDutyLimit.summaryLength);
};

/** A `trigger` for a scan alert; a repeat for the same image adds to the open PagerDuty alert (same dedup_key). */
const pagerDutyTrigger = (alert: ScanAlert): PagerDutyEventBody => {
  const links = [
    { href: alert.consoleUrl, text: 'Image in the Amazon ECR console' },
    ...alert.findings
      .filter((finding) => finding.uri !== undefined)
      .slice(0, MAX_FINDING_LINKS)
      .map((finding) => ({ href: finding.uri as string, text: `${finding.id} (${finding.package})` })),
    ...(alert.source?.startsWith('https://') ? [{ href: alert.source, text: 'Source (org.opencontainers.image.source)' }] : []),
  ];
  return {
    event_action: 'trigger',
    dedup_key: pagerDutyDedupKey(alert.digest),
    payload: {
      summary: alertSummary(alert),
      source: `${ecrRegistryHost({ accountId: alert.account, region: alert.region })}/${alert.repository}@${alert.digest}`,
      severity: PAGERDUTY_SEVERITY[alert.severity],
      timestamp: alert.createdAt,
      component: alert.repository,
      ...(alert.team ? { group: alert.team } : {}),
      class: 'container image vulnerability',
      custom_details: {
        repository: alert.repository,
        digest: alert.digest,
        tags: alert.tags.slice(0, MAX_DETAILED_FINDINGS),
        minSeverity: alert.minSeverity,
        counts: alert.counts,
        findings: alert.findings.slice(0, MAX_DETAILED_FINDINGS).map((finding) => `${finding.severity} ${finding.id} ${finding.package} ${finding.installedVersion}`),
        ...(alert.findings.length > MAX_DETAILED_FINDINGS ? { moreFindings: alert.findings.length - MAX_DETAILED_FINDINGS } : {}),
        ...(alert.revision ? { revision: alert.revision } : {}),
        alertKey: alert.dedupeKey,
      },
    },
    links,
    client: 'Dockmaster',
    client_url: alert.consoleUrl,
  };
};

/**
 * A `resolve` when the image has no alerted finding left open, else null: a partial resolution leaves the
 * PagerDuty alert open (the e-mail and chat messages say which findings went away).
 */
const pagerDutyResolve = (resolved: ScanAlertResolved): PagerDutyEventBody | null =>
  resolved.allResolved ? { event_action: 'resolve', dedup_key: pagerDutyDedupKey(resolved.digest) } : null;

export { PAGERDUTY_SEVERITY, pagerDutyDedupKey, pagerDutyResolve, pagerDutyTrigger };
