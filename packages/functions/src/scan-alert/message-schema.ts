import { randomUUID } from 'node:crypto';
import { MessageKind } from '@dockmaster/core/constants';
import { parseScanEvent, type ScanEvent } from '@dockmaster/core/events/scan';
import { isRecord } from '@dockmaster/core/shared';
import { AwsDetailType } from '@dockmaster/core/events/vocabulary';
import * as z from 'zod';

/** The body `{ "kind": "watchdog" }` (or a Scheduled Event whose detail says so) starts a watchdog run. */
const WATCHDOG_KIND = MessageKind.Watchdog;

/** One message of the scan-alert queue, classified. `id` and `detail-type` are what the batch handler logs. */
type ScanAlertMessage =
  | { kind: 'scan'; id: string; 'detail-type': string; event: ScanEvent; idempotencyKey: string }
  | { kind: 'watchdog'; id: string; 'detail-type': string; idempotencyKey: string };

/**
 * What makes two deliveries "the same". Scans: the EventBridge event id (EventBridge and SQS redeliver the
 * same id; a later re-scan is a new id and must be evaluated). Inspector findings: the event id plus the
 * finding and its status. Deliberately not the finding's content: Inspector re-emits an unchanged finding
 * under a new id (DataBiosphere/azul#5625), but those copies are already silenced by the stored AlertState,
 * whereas a content key would also swallow a finding that is closed and re-opened within the idempotency TTL.
 */
const scanRecordIdempotencyKey = (event: ScanEvent): string => {
  if (event['detail-type'] === AwsDetailType.Inspector2Finding) {
    return `scan-alert:finding:${event.id}:${event.detail.findingArn}:${event.detail.status}`;
  }
  if (event['detail-type'] === AwsDetailType.Inspector2Coverage) {
    return `scan-alert:coverage:${event.id}:${event.detail.scanStatus.statusCodeValue}`;
  }
  return `scan-alert:scan:${event.id}:${event.detail['image-digest']}`;
};

/**
 * The watchdog of a scheduled rule runs once per schedule tick (its event id); a hand-sent `{ "kind": "watchdog" }`
 * has no id, so every such message runs (the watchdog itself reports each silent period only once).
 */
const watchdogMessage = (id: string | undefined, detailType: string): ScanAlertMessage => {
  const runId = id ?? randomUUID();
  return { kind: WATCHDOG_KIND, id: runId, 'detail-type': detailType, idempotencyKey: `scan-alert:watchdog:${runId}` };
};

/**
 * Schema of the scan-alert queue's message bodies. Hand-classified rather than a z.union, so that a scan event
 * with a missing field fails with the scan schema's own one-line reason (naming the field), not a union summary.
 */
const ScanAlertMessageSchema = z.unknown().transform((input, ctx): ScanAlertMessage => {
  if (isRecord(input) && input['kind'] === WATCHDOG_KIND && input['detail-type'] === undefined) return watchdogMessage(undefined, WATCHDOG_KIND);
  if (isRecord(input) && input['detail-type'] === AwsDetailType.ScheduledEvent) {
    const detail = input['detail'];
    // The watchdog rule's input transformer sets detail.kind; an untransformed scheduled event has an empty detail.
    if (isRecord(detail) && (detail['kind'] === WATCHDOG_KIND || Object.keys(detail).length === 0)) {
      return watchdogMessage(typeof input['id'] === 'string' ? input['id'] : undefined, AwsDetailType.ScheduledEvent);
    }
    ctx.addIssue({ code: 'custom', message: `a Scheduled Event whose detail is not {"kind":"${WATCHDOG_KIND}"}: not for the scan-alert worker` });
    return z.NEVER;
  }
  const parsed = parseScanEvent(input);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.reason });
    return z.NEVER;
  }
  const { event } = parsed;
  return { kind: 'scan', id: event.id, 'detail-type': event['detail-type'], event, idempotencyKey: scanRecordIdempotencyKey(event) };
});

/** JMESPath over the parsed message for Powertools idempotency. */
const SCAN_ALERT_IDEMPOTENCY_KEY = 'idempotencyKey';

export { SCAN_ALERT_IDEMPOTENCY_KEY, ScanAlertMessageSchema, scanRecordIdempotencyKey, WATCHDOG_KIND };
export type { ScanAlertMessage };
