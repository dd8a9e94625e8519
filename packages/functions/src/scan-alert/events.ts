import { DOCKMASTER_EVENT_SOURCE, DockmasterEventType } from '@dockmaster/core/constants';
import { EMITTED_EVENT_BYTES, utf8Bytes } from '@dockmaster/core/limits';
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

/** The lists an alert event may cut, least actionable first: a suppressed finding never pages anyone, a finding does. */
const CUTTABLE_LISTS = ['suppressed', 'expiredSuppressions', 'stillOpen', 'tags', 'notes', 'newFindings', 'findings'] as const;
type CuttableList = (typeof CUTTABLE_LISTS)[number];
/** Entries kept, tried in turn when the event is over budget; `findings` and `tags` keep at least one entry. */
const CUT_STEPS = [MAX_FINDINGS_IN_EVENT, 50, 20, 10, 5, 1, 0] as const;
const KEEP_AT_LEAST: Partial<Record<CuttableList, number>> = { findings: 1, tags: 1 };
const TRUNCATED_MARK = '\n… (cut to fit the event size limit: see the console)';

/** PutEvents entry size as EventBridge counts it: Source, DetailType, Detail and Resources in UTF-8, plus 14 for Time. */
const entryBytes = (event: DockmasterEvent): number =>
  [DOCKMASTER_EVENT_SOURCE, event.detailType, JSON.stringify(event.detail), ...(event.resources ?? [])].reduce((size, text) => size + utf8Bytes(text), 14);

/** The longest prefix of `text` within `bytes` UTF-8 bytes (code points kept whole). */
const cutToBytes = (text: string, bytes: number): string => {
  let size = 0;
  let end = 0;
  for (const char of text) {
    size += utf8Bytes(char);
    if (size > bytes) break;
    end += char.length;
  }
  return text.slice(0, end);
};

type Lists<L extends string> = { readonly [list in L]: readonly unknown[] };

/**
 * Builds an event of `item` within `maxBytes`: `lists` (cut order) keep at most MAX_FINDINGS_IN_EVENT entries, then
 * fewer (CUT_STEPS) while the event is too large; `omitted` says how many entries each list lost. Only if the lists
 * alone cannot make it fit is the message body shortened. The event is never dropped.
 */
const fitEvent = <L extends string>(
  item: Lists<L>,
  lists: readonly L[],
  maxBytes: number,
  build: (cut: Record<string, unknown>, body: string) => DockmasterEvent,
  body: string,
): DockmasterEvent => {
  const kept = Object.fromEntries(lists.map((list) => [list, MAX_FINDINGS_IN_EVENT])) as Record<L, number>;
  const make = (text: string): DockmasterEvent => {
    const omitted = Object.fromEntries(lists.map((list) => [list, Math.max(0, item[list].length - kept[list])]));
    const cut = Object.values(omitted).some((count) => count > 0);
    return build({ ...Object.fromEntries(lists.map((list) => [list, item[list].slice(0, kept[list])])), ...(cut ? { omitted } : {}) }, text);
  };
  let event = make(body);
  for (const list of lists) {
    for (const step of CUT_STEPS) {
      if (entryBytes(event) <= maxBytes) return event;
      if (step < (KEEP_AT_LEAST[list as CuttableList] ?? 0) || step >= kept[list]) continue;
      kept[list] = step;
      event = make(body);
    }
  }
  // JSON escaping can make a body character cost more than its UTF-8 size: measure again after each cut.
  let text = body;
  for (let excess = entryBytes(event) - maxBytes; excess > 0 && text.length > 0; excess = entryBytes(event) - maxBytes) {
    text = cutToBytes(text, Math.max(0, utf8Bytes(text) - excess - utf8Bytes(TRUNCATED_MARK) - 64));
    event = make(`${text}${TRUNCATED_MARK}`);
  }
  return event;
};

/**
 * Detail = the alert as the core built it, plus `message` (subject and plain-text body) so a rule can hand it
 * straight to SNS e-mail through an input transformer, and the id of the scan event it came from, for tracing.
 * Bounded by construction to `maxBytes` (EMITTED_EVENT_BYTES: the outbox saves it in a DynamoDB item beside the
 * state, and may send it with a resolve in one PutEvents call): see fitEvent; CUTTABLE_LISTS says what goes first.
 */
const scanAlertEvent = (alert: ScanAlert, sourceEventId: string, maxBytes: number = EMITTED_EVENT_BYTES): DockmasterEvent => {
  const message = renderAlertMessage(alert);
  // The PagerDuty Events API v2 body (routing_key aside) for the teams that page: their rule sends exactly this.
  const pagerduty = pagerDutyTrigger(alert);
  return fitEvent(
    alert,
    CUTTABLE_LISTS,
    maxBytes,
    (cut, body) => ({
      detailType: DockmasterEventType.ScanAlert,
      detail: { ...alert, ...cut, message: { ...message, body }, pagerduty, sourceEventId },
      resources: [repositoryArn(alert)],
    }),
    message.body,
  );
};

/** Bounded like scanAlertEvent: `resolvedFindings` and `tags` are cut (`omitted`) before the body is shortened. */
const scanAlertResolvedEvent = (resolved: ScanAlertResolved, sourceEventId: string, maxBytes: number = EMITTED_EVENT_BYTES): DockmasterEvent => {
  // A resolve only when nothing alerted is left open; a partial resolution carries none, and the PagerDuty rule skips it.
  const pagerduty = pagerDutyResolve(resolved);
  const message = renderResolvedMessage(resolved);
  return fitEvent(
    resolved,
    ['resolvedFindings', 'tags'] as const,
    maxBytes,
    (cut, body) => ({
      detailType: DockmasterEventType.ScanAlertResolved,
      detail: { ...resolved, ...cut, message: { ...message, body }, ...(pagerduty ? { pagerduty } : {}), sourceEventId },
      resources: [repositoryArn(resolved)],
    }),
    message.body,
  );
};

const scanningSilentEvent = (detail: ScanningSilence, location: { region: string; account: string }): DockmasterEvent => ({
  detailType: DockmasterEventType.ScanningSilent,
  detail: { ...detail, message: renderScanningSilentMessage(detail) } satisfies ScanningSilentDetail,
  resources: [repositoryArn({ ...location, repository: detail.repository })],
});

export { entryBytes, MAX_FINDINGS_IN_EVENT, scanAlertEvent, scanAlertResolvedEvent, scanningSilentEvent };
export type { ScanningSilentDetail };
