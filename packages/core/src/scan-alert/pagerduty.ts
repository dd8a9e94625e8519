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

/**
 * A low-urgency alert (the route's `notInUse: low-urgency` on an image not in use) is sent at most as `warning`:
 * PagerDuty's dynamic notifications page `critical` and `error` as high urgency and `warning` and `info` as low,
 * the only urgency an Events v2 body can carry.
 */
const LOW_URGENCY_SEVERITIES: readonly PagerDutySeverity[] = ['warning', 'info'];
const pagerDutySeverity = (alert: Pick<ScanAlert, 'severity' | 'urgency'>): PagerDutySeverity => {
  const mapped = PAGERDUTY_SEVERITY[alert.severity];
  return alert.urgency === 'low' && !LOW_URGENCY_SEVERITIES.includes(mapped) ? 'warning' : mapped;
};

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
      severity: pagerDutySeverity(alert),
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
        urgency: alert.urgency,
        scanning: alert.scanning,
        ...(alert.inUse ? { inUse: alert.inUse } : {}),
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
 * PagerDuty alert open (the e-mail and chat messages say which findings went away). An `expired` resolution
 * (Inspector stopped scanning the image: it is no longer pushed or in use) resolves too, since nothing is left
 * for on-call to act on while the image does not run; a resolve carries no payload, so the e-mail and chat
 * messages are where "expired, not fixed" is said, and the image alerts again if it runs and is scanned again.
 */
const pagerDutyResolve = (resolved: ScanAlertResolved): PagerDutyEventBody | null =>
  resolved.allResolved ? { event_action: 'resolve', dedup_key: pagerDutyDedupKey(resolved.digest) } : null;

export { PAGERDUTY_SEVERITY, pagerDutyDedupKey, pagerDutyResolve, pagerDutyTrigger };
