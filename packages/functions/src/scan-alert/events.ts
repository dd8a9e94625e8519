import { DockmasterEventType } from '@dockmaster/core/constants';
import { renderScanningSilentMessage, type RenderedMessage, type ScanningSilence } from '@dockmaster/core/notifications';
import { pagerDutyResolve, pagerDutyTrigger, renderAlertMessage, renderResolvedMessage, type ScanAlert, type ScanAlertResolved } from '@dockmaster/core/scan-alert';
import { ecrRepositoryArn } from '@dockmaster/core/topology';
import type { DockmasterEvent } from '../adapters/dockmaster-bus.js';

/** The `Scanning Silent` detail: pushes happened, but no scan result arrived for `silentAfterHours`. */
type ScanningSilentDetail = ScanningSilence & { message: RenderedMessage };

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
      // The PagerDuty Events API v2 body (routing_key aside) for the teams that page: their rule sends exactly this.
      pagerduty: pagerDutyTrigger(alert),
      sourceEventId,
    },
    resources: [repositoryArn(alert)],
  };
};

const scanAlertResolvedEvent = (resolved: ScanAlertResolved, sourceEventId: string): DockmasterEvent => {
  // A resolve only when nothing alerted is left open; a partial resolution carries none, and the PagerDuty rule skips it.
  const pagerduty = pagerDutyResolve(resolved);
  return {
    detailType: DockmasterEventType.ScanAlertResolved,
    detail: { ...resolved, message: renderResolvedMessage(resolved), ...(pagerduty ? { pagerduty } : {}), sourceEventId },
    resources: [repositoryArn(resolved)],
  };
};

const scanningSilentEvent = (detail: ScanningSilence, location: { region: string; account: string }): DockmasterEvent => ({
  detailType: DockmasterEventType.ScanningSilent,
  detail: { ...detail, message: renderScanningSilentMessage(detail) } satisfies ScanningSilentDetail,
  resources: [repositoryArn({ ...location, repository: detail.repository })],
});

export { MAX_FINDINGS_IN_EVENT, scanAlertEvent, scanAlertResolvedEvent, scanningSilentEvent };
export type { ScanningSilentDetail };
