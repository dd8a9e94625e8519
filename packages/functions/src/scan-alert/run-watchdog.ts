import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DockmasterConfig } from '@dockmaster/core/config';
import { ScanStatus } from '@dockmaster/core/events/vocabulary';
import { matchesAnyGlob } from '@dockmaster/core/glob';
import { owningTeam } from '@dockmaster/core/ownership';
import { detectSilentScanning } from '@dockmaster/core/scan-alert';
import type { RecordOutcome, WorkerContext } from '../runtime/sqs-batch-handler.js';
import type { ScanAlertDeps } from './deps.js';
import { scanningSilentEvent } from './events.js';
import type { PushedImage } from '../adapters/push-activity.js';

/** Repositories whose scanning the watchdog watches: those a route covers, and everything under a cache prefix. */
const isWatched = (config: DockmasterConfig, repository: string): boolean =>
  matchesAnyGlob(config.scanAlerts?.routes.flatMap((route) => route.repositories) ?? [], repository) ||
  config.pullThroughCache.some((cache) => repository.startsWith(`${cache.prefix}/`));

const later = (a: Date | undefined, b: Date): Date => (a && a > b ? a : b);

/** Scan statuses that mean ECR holds a result for the image (basic scanning: COMPLETE; enhanced: ACTIVE). */
const SCANNED_STATUSES: ReadonlySet<string> = new Set([ScanStatus.Complete, ScanStatus.Active]);

/**
 * Images whose scan ECR is asked about per repository and run. Each scanned one moves the repository's last
 * scan forward, so a later run continues where this one stopped; the cap bounds the calls on a busy registry.
 */
const MAX_SCAN_CHECKS_PER_REPOSITORY = 10;

/** When ECR scanned the image, if it did: its completion time, never before its push. */
const scannedAt = async (repository: string, image: PushedImage, deps: ScanAlertDeps): Promise<Date | undefined> => {
  const record = await deps.pushes.scanRecord(repository, image.digest);
  if (!record) return undefined;
  const completedAfterPush = record.completedAt !== undefined && record.completedAt >= image.pushedAt;
  if (!completedAfterPush && !SCANNED_STATUSES.has(record.status ?? '')) return undefined;
  return later(record.completedAt, image.pushedAt);
};

type SilentPeriod = {
  periodStart: Date;
  firstUnscanned: Date;
  lastScanAt: Date | undefined;
  sincePush: number;
  /** The period a Scanning Silent was already sent for, if any. */
  reportedFor: string | undefined;
};

/**
 * Whether the repository's scanning is silent, judged on ECR's own scan records as well as on the scan results
 * the worker received. Routing only forwards scans with counts at or above the threshold, so a clean scan never
 * reaches the worker: before the oldest unscanned-looking push is held against the scanner, ECR is asked whether
 * it scanned that image. If it did, that scan is recorded and the next push after it is judged the same way.
 */
const findSilentPeriod = async (
  repository: string,
  startedAt: Date,
  context: WorkerContext,
  deps: ScanAlertDeps,
  silentAfterHours: number,
): Promise<{ silent?: SilentPeriod; lastPushAt?: Date }> => {
  const record = await deps.store.getRepository(repository);
  let lastScanAt = record.lastScanAt;
  const pushes = await deps.pushes.pushSummary(repository, later(lastScanAt, startedAt));
  for (let checks = 0; ; checks += 1) {
    const periodStart = later(lastScanAt, startedAt);
    const oldest = pushes.pushesAfter.find((image) => image.pushedAt > periodStart);
    const check = detectSilentScanning({ lastPushAt: oldest?.pushedAt, lastScanAt, now: context.now, silentAfterHours });
    if (!check.silent || !oldest) return {};
    if (checks === MAX_SCAN_CHECKS_PER_REPOSITORY) {
      context.logger.info(`watchdog: ${repository} has more scanned images to confirm than one run checks; the next run continues`, { repository });
      return {};
    }
    const scanned = await scannedAt(repository, oldest, deps);
    if (!scanned) {
      return {
        silent: { periodStart, firstUnscanned: oldest.pushedAt, lastScanAt, sincePush: check.sincePush ?? 0, reportedFor: record.silentReportedFor },
        ...(pushes.lastPushAt ? { lastPushAt: pushes.lastPushAt } : {}),
      };
    }
    // A scan result that never reached the worker (a clean scan, below the threshold): scanning works.
    await deps.store.recordScan(repository, scanned);
    lastScanAt = later(lastScanAt, scanned);
  }
};

/**
 * Reports repositories where images were pushed but no scan result arrived for `silentAfterHours`: scan on push
 * switched off, Inspector coverage lost or a broken rule all look like "no findings" otherwise.
 *
 * A silent period starts at the repository's last scan result (or at the watchdog's first run: images pushed
 * before Dockmaster was watching are not held against the scanner) and is reported once; the next scan
 * result the worker records starts a new one. The push that counts is the oldest one after that start, so a
 * steady stream of new pushes cannot keep the silence from ever being noticed. A push ECR has a scan for is
 * never held against the scanner, even when that scan reached no worker (findSilentPeriod).
 */
const runWatchdog = async (context: WorkerContext, deps: ScanAlertDeps): Promise<RecordOutcome> => {
  const { config, logger, metrics, now } = context;
  // The watchdog is opt-in (docs/configuration.md: "absent: no watchdog"); the schema defaults silentAfterHours to 24.
  const watchdog = config.scanAlerts?.watchdog;
  if (!watchdog) {
    logger.info('skipped watchdog: the configuration has no scanAlerts.watchdog section');
    return { outcome: 'skipped', reason: 'the watchdog is off: no scanAlerts.watchdog section' };
  }
  const { silentAfterHours } = watchdog;
  const startedAt = await deps.store.startWatchdog(now);
  const repositories = (await deps.pushes.listRepositories()).filter((repository) => isWatched(config, repository));

  const reported: string[] = [];
  let silent = 0;
  for (const repository of repositories) {
    const found = await findSilentPeriod(repository, startedAt, context, deps, silentAfterHours);
    if (!found.silent) continue;
    silent += 1;
    const { periodStart, firstUnscanned, lastScanAt, sincePush, reportedFor } = found.silent;
    const period = periodStart.toISOString();
    if (reportedFor === period) continue;

    const detail = {
      team: owningTeam(config, repository),
      repository,
      lastPushAt: (found.lastPushAt ?? firstUnscanned).toISOString(),
      firstUnscannedPushAt: firstUnscanned.toISOString(),
      lastScanAt: lastScanAt?.toISOString() ?? null,
      silentAfterHours,
      silentForHours: sincePush,
    };
    // Sent, then marked: a failure in between repeats the report on the retry instead of losing it.
    await deps.bus.emitEvents([scanningSilentEvent(detail, { region: config.registry.region, account: config.registry.accountId })]);
    await deps.store.markSilentReported(repository, period);
    logger.warn(`scanning is silent for ${repository}: pushes since ${detail.firstUnscannedPushAt}, no scan result for ${detail.silentForHours} h`, detail);
    reported.push(repository);
  }

  metrics.addMetric('RepositoriesWatched', MetricUnit.Count, repositories.length);
  metrics.addMetric('RepositoriesScanningSilent', MetricUnit.Count, silent);
  logger.info('watchdog finished', { watched: repositories.length, silent, reported });
  return { outcome: 'watchdog', watched: repositories.length, silent, reported };
};

export { isWatched, runWatchdog };
