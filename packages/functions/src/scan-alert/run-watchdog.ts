import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DockmasterConfig } from '@dockmaster/core/config';
import { matchesAnyGlob } from '@dockmaster/core/glob';
import { detectSilentScanning, routeTeam } from '@dockmaster/core/scan-alert';
import type { RecordOutcome, WorkerContext } from '../sqs-batch-handler.js';
import type { ScanAlertDeps } from './deps.js';
import { scanningSilentEvent } from './events.js';

/** Repositories whose scanning the watchdog watches: those a route covers, and everything under a cache prefix. */
const isWatched = (config: DockmasterConfig, repository: string): boolean =>
  matchesAnyGlob(config.scanAlerts?.routes.flatMap((route) => route.repositories) ?? [], repository) ||
  config.pullThroughCache.some((cache) => repository.startsWith(`${cache.prefix}/`));

const later = (a: Date | undefined, b: Date): Date => (a && a > b ? a : b);

/**
 * Reports repositories where images were pushed but no scan result arrived for `silentAfterHours`: scan on push
 * switched off, Inspector coverage lost or a broken rule all look like "no findings" otherwise.
 *
 * A silent period starts at the repository's last scan result (or at the watchdog's first run: images pushed
 * before Dockmaster was watching are not held against the scanner) and is reported once; the next scan
 * result the worker records starts a new one. The push that counts is the oldest one after that start, so a
 * steady stream of new pushes cannot keep the silence from ever being noticed.
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
    const record = await deps.store.getRepository(repository);
    const periodStart = later(record.lastScanAt, startedAt);
    const pushes = await deps.pushes.pushSummary(repository, periodStart);
    const check = detectSilentScanning({ lastPushAt: pushes.firstPushAfter, lastScanAt: record.lastScanAt, now, silentAfterHours });
    if (!check.silent || !pushes.firstPushAfter) continue;
    silent += 1;
    const period = periodStart.toISOString();
    if (record.silentReportedFor === period) continue;

    const detail = {
      team: routeTeam(config, repository),
      repository,
      lastPushAt: (pushes.lastPushAt ?? pushes.firstPushAfter).toISOString(),
      firstUnscannedPushAt: pushes.firstPushAfter.toISOString(),
      lastScanAt: record.lastScanAt?.toISOString() ?? null,
      silentAfterHours,
      silentForHours: check.sincePush ?? 0,
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
