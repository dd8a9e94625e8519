import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ScanEvent } from '@dockmaster/core/events/scan';
import { DynamoDbLimit, EMITTED_EVENT_BYTES, utf8Bytes } from '@dockmaster/core/limits';
import {
  buildAlert,
  REVISION_LABEL,
  SCAN_STATUSES_WITH_FINDINGS,
  scanAlertRouting,
  SOURCE_LABEL,
  supersededResolution,
  toScanSubject,
  withSourceLabels,
  type AlertState,
  type Finding,
  type InUse,
  type ScanSubject,
} from '@dockmaster/core/scan-alert';
import { ImageGoneError } from '../adapters/ecr-image-errors.js';
import type { DockmasterEvent } from '../adapters/dockmaster-bus.js';
import type { RecordOutcome, WorkerContext } from '../runtime/sqs-batch-handler.js';
import type { ScanAlertDeps } from './deps.js';
import { scanAlertEvent, scanAlertResolvedEvent } from './events.js';

/** The image item's attributes besides state and outbox (id, repository, digest, revision, names), with room to spare. */
const ITEM_OVERHEAD_BYTES = 4096;

/**
 * Bytes each of `count` events may take in the outbox: the events are saved in one DynamoDB item with the state
 * (DynamoDbLimit.ITEM_BYTES), so what the state takes (its finding keys grow with the findings) is left out of
 * their share, and never more than EMITTED_EVENT_BYTES. The events are cut to fit (events.ts), never dropped.
 */
const outboxEventBytes = (state: AlertState, count: number): number =>
  Math.min(EMITTED_EVENT_BYTES, Math.floor((DynamoDbLimit.ITEM_BYTES - utf8Bytes(JSON.stringify(state)) - ITEM_OVERHEAD_BYTES) / Math.max(1, count)));

const skipped = (context: WorkerContext, reason: string, details: Record<string, unknown>): RecordOutcome => {
  context.logger.info(`skipped: ${reason}`, details);
  return { outcome: 'skipped', reason };
};

/** When the scan result was produced: the event's time, unless it is unreadable or in the future (AWS samples carry impossible dates). */
const scanTimeOf = (event: ScanEvent, now: Date): Date => {
  const time = Date.parse(event.time);
  return Number.isNaN(time) || time > now.getTime() ? now : new Date(time);
};

/** Source and revision labels: from the first platform image that has them (platforms of one build share them). */
const sourceLabels = async (subject: ScanSubject, deps: ScanAlertDeps, context: WorkerContext): Promise<Record<string, string> | undefined> => {
  try {
    const platforms = await deps.images.readImageLabels(subject.repository, subject.digest);
    const labelled = platforms.find(({ labels }) => labels[SOURCE_LABEL] !== undefined || labels[REVISION_LABEL] !== undefined);
    return (labelled ?? platforms[0])?.labels;
  } catch (error) {
    // Labels only enrich the alert; failing to read them must not cost the alert itself.
    context.logger.warn('could not read the image labels; the alert goes out without source and revision', {
      repository: subject.repository,
      digest: subject.digest,
      error: (error as Error).message,
    });
    return undefined;
  }
};

/** Whether the stored state must change: only the open set matters; timestamps alone are not worth a write. */
const stateChanged = (previous: AlertState | null, next: AlertState): boolean =>
  previous === null
    ? next.findingKeys.length > 0
    : previous.dedupeKey !== next.dedupeKey ||
      previous.findingKeys.join('\n') !== next.findingKeys.join('\n') ||
      previous.lastAlertedAt !== next.lastAlertedAt ||
      // Whether Inspector still scans the image decides between fixed and expired later.
      (previous.inactive === undefined) !== (next.inactive === undefined);

/**
 * A complete scan of an image resolves, as fixed, what an older image under the same tag was alerted for and the
 * newer one no longer has. The older image's resolution is saved with its state (the outbox) before the tag moves,
 * so a retry after a failure resolves it again rather than losing it; once saved, a retry finds nothing left.
 * A scan result older than the one the tag last moved with changes nothing (events arrive out of order).
 */
const resolveSupersededImages = async (event: ScanEvent, subject: ScanSubject, findings: readonly Finding[], context: WorkerContext, deps: ScanAlertDeps): Promise<number> => {
  const { config, logger, now } = context;
  const { repository, digest } = subject;
  const at = scanTimeOf(event, now);
  const done = new Set<string>([digest]);
  let resolvedCount = 0;
  for (const tag of subject.tags) {
    const previous = await deps.store.getTag(repository, tag);
    if (previous && previous.at <= at && !done.has(previous.digest)) {
      done.add(previous.digest);
      const record = await deps.store.getImage(repository, previous.digest);
      if (record.outbox.length > 0) {
        await deps.bus.emitEvents(record.outbox);
        await deps.store.clearOutbox(repository, previous.digest, record.revision);
      }
      const older = record.state && record.state.findingKeys.length > 0 ? supersededResolution({ config, older: record.state, newer: subject, newerFindings: findings, tag, now }) : undefined;
      if (older?.resolved) {
        const events = [scanAlertResolvedEvent(older.resolved, event.id, outboxEventBytes(older.state, 1))];
        const revision = await deps.store.putImage(repository, previous.digest, { state: older.state, outbox: events }, record.revision);
        await deps.bus.emitEvents(events);
        await deps.store.clearOutbox(repository, previous.digest, revision);
        resolvedCount += 1;
        logger.info('scan alert resolved: a newer image with the same tag no longer has the findings', {
          repository,
          digest: previous.digest,
          newerDigest: digest,
          tag,
          resolved: older.resolved.resolvedFindings.length,
          allResolved: older.resolved.allResolved,
          resolution: older.resolved.resolution,
        });
      }
    }
    await deps.store.putTag(repository, tag, digest, at);
  }
  return resolvedCount;
};

/**
 * Evaluates one scan result (ECR Image Scan, Inspector2 Scan or Inspector2 Finding) and tells the owning team
 * what is new or resolved. The findings of a scan are read with DescribeImageScanFindings (the event only counts
 * them); an Inspector2 Finding carries its one finding. The stored AlertState makes a second event with the same
 * open set send nothing; the state is saved together with the events it produced (an outbox), before they are
 * sent, so a failed PutEvents is retried rather than lost behind the new state.
 */
const evaluateScanEvent = async (event: ScanEvent, context: WorkerContext, deps: ScanAlertDeps): Promise<RecordOutcome> => {
  const { config, logger, metrics, now } = context;
  const subject = toScanSubject(event);
  const { repository, digest } = subject;
  // Every scan result counts for the watchdog, whether or not it alerts; a coverage change is not a scan result.
  if (subject.kind !== 'inspector-coverage') await deps.store.recordScan(repository, scanTimeOf(event, now));

  const routing = scanAlertRouting(config, repository);
  if (!routing.on) return skipped(context, routing.reason, { repository });
  const { team } = routing;
  // Resolved before calling ECR: the worker may read findings only of repositories a route covers (its IAM policy).
  if (team === null) return skipped(context, `no scanAlerts.routes entry (or pull-through cache owner) covers ${repository}`, { repository, digest });

  let findings: Finding[] = [];
  let inUse: InUse | undefined;
  if (subject.kind !== 'inspector-finding' && SCAN_STATUSES_WITH_FINDINGS.includes(subject.scanStatus ?? '')) {
    try {
      const read = await deps.findings.readFindings(repository, digest, subject.account);
      findings = read.findings;
      inUse = read.inUse;
      logger.debug('read scan findings', { repository, digest, findings: findings.length, pages: read.pages, scanStatus: read.scanStatus });
    } catch (error) {
      if (error instanceof ImageGoneError) return skipped(context, 'the scanned image no longer exists', { repository, digest });
      throw error;
    }
  }

  const record = await deps.store.getImage(repository, digest);
  let revision = record.revision;
  if (record.outbox.length > 0) {
    // A previous evaluation saved these but could not confirm sending them.
    logger.warn('sending scan-alert events left unsent by an earlier attempt', { repository, digest, events: record.outbox.map((pending) => pending.detailType) });
    await deps.bus.emitEvents(record.outbox);
    await deps.store.clearOutbox(repository, digest, revision);
  }

  const built = buildAlert({ config, subject, findings, inUse, previous: record.state, now });
  // Labels are read only for an alert that goes out: it saves ECR calls on every scan that does not alert.
  const labels = built.alert ? await sourceLabels(subject, deps, context) : undefined;
  const result = built.alert && labels ? { ...built, alert: withSourceLabels(built.alert, labels) } : built;

  const maxBytes = outboxEventBytes(result.state, (result.resolved ? 1 : 0) + (result.alert ? 1 : 0));
  const events: DockmasterEvent[] = [
    ...(result.resolved ? [scanAlertResolvedEvent(result.resolved, event.id, maxBytes)] : []),
    ...(result.alert ? [scanAlertEvent(result.alert, event.id, maxBytes)] : []),
  ];
  if (events.length > 0 || stateChanged(record.state, result.state)) {
    revision = await deps.store.putImage(repository, digest, { state: result.state, outbox: events }, revision);
  }
  if (events.length > 0) {
    await deps.bus.emitEvents(events);
    await deps.store.clearOutbox(repository, digest, revision);
  }

  // Only a complete scan (all findings read from ECR) can say that the newer image no longer has a vulnerability.
  const completeScan = subject.kind !== 'inspector-finding' && subject.kind !== 'inspector-coverage' && SCAN_STATUSES_WITH_FINDINGS.includes(subject.scanStatus ?? '');
  const superseded = completeScan ? await resolveSupersededImages(event, subject, findings, context, deps) : 0;

  metrics.addMetric('ScanAlertsSent', MetricUnit.Count, result.alert ? 1 : 0);
  metrics.addMetric('ScanAlertsResolved', MetricUnit.Count, (result.resolved ? 1 : 0) + superseded);
  const details = { repository, digest, team, kind: subject.kind, findings: findings.length, dedupeKey: result.state.dedupeKey };
  if (result.alert) {
    logger.info('scan alert sent', { ...details, severity: result.alert.severity, newFindings: result.alert.newFindings.length, notes: result.alert.notes });
  }
  if (result.resolved) {
    const { resolvedFindings, allResolved, resolution } = result.resolved;
    logger.info('scan alert resolved', { ...details, resolved: resolvedFindings.length, allResolved, resolution });
  }
  if (!result.alert) logger.info(`no scan alert: ${result.reason ?? 'nothing new'}`, details);

  const outcome = result.alert && result.resolved ? 'alerted-and-resolved' : result.alert ? 'alerted' : result.resolved ? 'resolved' : 'no-alert';
  return { outcome, team, dedupeKey: result.state.dedupeKey, ...(result.alert ? {} : { reason: result.reason ?? 'nothing new' }) };
};

export { evaluateScanEvent };
