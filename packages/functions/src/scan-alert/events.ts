import { DockmasterEventType } from '@dockmaster/core/constants';
import { renderAlertMessage, renderResolvedMessage, type RenderedMessage, type ScanAlert, type ScanAlertResolved } from '@dockmaster/core/scan-alert';
import { ecrRepositoryArn } from '@dockmaster/core/topology';
import type { DockmasterEvent } from '../dockmaster-bus.js';

/** The `Scanning Silent` detail: pushes happened, but no scan result arrived for `silentAfterHours`. */
type ScanningSilentDetail = {
  team: string | null;
  repository: string;
  /** The newest push (ISO-8601). */
  lastPushAt: string;
  /** The oldest push still waiting for a scan result (ISO-8601): the silence started with it. */
  firstUnscannedPushAt: string;
  /** The last scan result of the repository (ISO-8601), null when none was ever recorded. */
  lastScanAt: string | null;
  silentAfterHours: number;
  /** Whole hours since firstUnscannedPushAt. */
  silentForHours: number;
  message: RenderedMessage;
};

type ImageLocation = { region: string; account: string; repository: string };

const repositoryArn = (image: ImageLocation): string => ecrRepositoryArn({ accountId: image.account, region: image.region }, image.repository);

/**
 * Findings listed per list in an event. PutEvents rejects entries over 256 KB, and a rejected alert would be
 * retried into the dead-letter queue; an old image with MEDIUM as threshold can have hundreds of findings.
 * The message lists at most 10 anyway, and the console has them all.
 */
const MAX_FINDINGS_IN_EVENT = 100;

/**
 * Detail = the alert as the core built it, plus `message` (subject and plain-text body) so a rule can hand it
 * straight to SNS e-mail through an input transformer, and the id of the scan event it came from, for tracing.
 * Lists longer than MAX_FINDINGS_IN_EVENT are cut, and `omitted` says how many entries each list lost.
 */
const scanAlertEvent = (alert: ScanAlert, sourceEventId: string): DockmasterEvent => {
  const omitted = {
    findings: Math.max(0, alert.findings.length - MAX_FINDINGS_IN_EVENT),
    newFindings: Math.max(0, alert.newFindings.length - MAX_FINDINGS_IN_EVENT),
    suppressed: Math.max(0, alert.suppressed.length - MAX_FINDINGS_IN_EVENT),
  };
  const cut = omitted.findings + omitted.newFindings + omitted.suppressed > 0;
  return {
    detailType: DockmasterEventType.ScanAlert,
    detail: {
      ...alert,
      findings: alert.findings.slice(0, MAX_FINDINGS_IN_EVENT),
      newFindings: alert.newFindings.slice(0, MAX_FINDINGS_IN_EVENT),
      suppressed: alert.suppressed.slice(0, MAX_FINDINGS_IN_EVENT),
      ...(cut ? { omitted } : {}),
      message: renderAlertMessage(alert),
      sourceEventId,
    },
    resources: [repositoryArn(alert)],
  };
};

const scanAlertResolvedEvent = (resolved: ScanAlertResolved, sourceEventId: string): DockmasterEvent => ({
  detailType: DockmasterEventType.ScanAlertResolved,
  detail: { ...resolved, message: renderResolvedMessage(resolved), sourceEventId },
  resources: [repositoryArn(resolved)],
});

const renderSilentMessage = (detail: Omit<ScanningSilentDetail, 'message'>): RenderedMessage => ({
  subject: `[SCANNING SILENT] ${detail.repository} — pushed ${detail.silentForHours} h ago, no scan result since`.slice(0, 99),
  body: [
    `Images were pushed to ${detail.repository}, but no scan result has arrived for ${detail.silentForHours} hours`,
    `(the watchdog reports after ${detail.silentAfterHours} hours). Until scanning works again, "no alert" does not mean "no findings".`,
    '',
    `Repository:             ${detail.repository}`,
    `Team:                   ${detail.team ?? '(no route matched: add one under scanAlerts.routes)'}`,
    `Oldest unscanned push:  ${detail.firstUnscannedPushAt}`,
    `Newest push:            ${detail.lastPushAt}`,
    `Last scan result:       ${detail.lastScanAt ?? '(none recorded since the watchdog started watching)'}`,
    '',
    'What to check:',
    `  1. Scan on push (basic scanning): aws ecr describe-repositories --repository-names ${detail.repository} --query 'repositories[0].imageScanningConfiguration'`,
    '  2. Enhanced scanning: is Amazon Inspector still enabled for ECR, and does the registry scanning configuration cover this repository',
    '     (aws ecr get-registry-scanning-configuration; aws inspector2 batch-get-account-status)?',
    `  3. Scan results of the newest image: aws ecr describe-image-scan-findings --repository-name ${detail.repository} --image-id imageDigest=<digest>`,
    '  4. The scan-alert rules and queue: a dead-letter queue with messages means results arrived but could not be processed.',
    '',
    'This is reported once per silent period; the next scan result for the repository ends it.',
  ].join('\n'),
});

const scanningSilentEvent = (detail: Omit<ScanningSilentDetail, 'message'>, location: { region: string; account: string }): DockmasterEvent => ({
  detailType: DockmasterEventType.ScanningSilent,
  detail: { ...detail, message: renderSilentMessage(detail) } satisfies ScanningSilentDetail,
  resources: [repositoryArn({ ...location, repository: detail.repository })],
});

export { MAX_FINDINGS_IN_EVENT, renderSilentMessage, scanAlertEvent, scanAlertResolvedEvent, scanningSilentEvent };
export type { ScanningSilentDetail };
