import { createHash } from 'node:crypto';
import { compareText } from '../shared/compare-text.js';
import { findingKey, type FindingRef } from './finding.js';
import type { ScanSubject } from './subject.js';

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The identity of an alert: the digest and the set of open findings (id + package). Sorting and
 * de-duplicating first makes it independent of the order findings arrived in.
 */
const dedupeKeyFor = (digest: string, findingKeys: Iterable<string>): string =>
  sha256Hex([digest, ...[...new Set(findingKeys)].sort(compareText)].join('\n'));

/** Idempotency key for sending a Scan Alert: the same open set for the same digest is sent once. */
const alertIdempotencyKey = (alert: { dedupeKey: string }): string => `scan-alert:${alert.dedupeKey}`;

/** Idempotency key for sending a Scan Alert Resolved: the same findings resolved on the same digest are announced once. */
const resolvedIdempotencyKey = (resolved: { digest: string; resolvedFindings: readonly FindingRef[] }): string =>
  `scan-alert-resolved:${dedupeKeyFor(resolved.digest, resolved.resolvedFindings.map(findingKey))}`;

/**
 * Idempotency key for processing a scan event. Scans: the EventBridge event id, so a redelivery is
 * skipped but a later re-scan of the same image (a new event) is evaluated. Inspector findings: what the
 * event says, not when, because Inspector re-emits a finding with a new event id when only vendor
 * timestamps change (DataBiosphere/azul#5625); those copies share a key.
 */
const scanEventIdempotencyKey = (subject: ScanSubject, eventId: string): string => {
  if (subject.kind !== 'inspector-finding') return `scan-event:${subject.kind}:${eventId}`;
  const content = [
    subject.digest,
    subject.findingArn ?? '',
    subject.findingStatus ?? '',
    ...subject.eventFindings.map(
      (finding) => `${findingKey(finding)}|${finding.severity}|${finding.fixedVersion ?? ''}|${finding.fixAvailable ?? ''}|${finding.exploitAvailable ?? ''}`,
    ),
  ];
  return `scan-event:${subject.kind}:${sha256Hex(content.join('\n'))}`;
};

export { alertIdempotencyKey, dedupeKeyFor, resolvedIdempotencyKey, scanEventIdempotencyKey };
