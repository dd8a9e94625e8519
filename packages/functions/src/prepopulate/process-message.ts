import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { findCacheRule } from '@dockmaster/core/cache-repository';
import { isAutomationPaused, type DockmasterConfig } from '@dockmaster/core/config';
import { AutomationId } from '@dockmaster/core/constants';
import { listWarmTargets, type WarmTarget } from '@dockmaster/core/prepopulate';
import type { RegistryClient } from '@dockmaster/registry';
import type { EcrRepositories } from '../adapters/ecr-repositories.js';
import type { WarmStateStore } from '../adapters/state-store.js';
import type { DockmasterBus } from '../dockmaster-bus.js';
import type { RecordOutcome, WorkerContext } from '../sqs-batch-handler.js';
import { type Limiter, mapWithConcurrency } from './concurrency.js';
import { imagePrepopulatedEvent, imagePrepopulationFailedEvent } from './events.js';
import { freshConfigFromEnvironment } from './fresh-config.js';
import type { PrepopulateMessage, WarmRequest } from './messages.js';
import { resolveTarget } from './resolve-target.js';
import { type WarmFailure, WarmFailureReason, warmFailure } from './warm-failure.js';
import { warmImage } from './warm-image.js';
import type { WarmQueue } from './warm-queue.js';

/** What the prepopulate worker works with besides its context. */
type PrepopulateDeps = {
  /** A client for the cache's registry endpoint (ECR's, logged in) of the configured registry. */
  cacheRegistry: (registry: DockmasterConfig['registry']) => Promise<RegistryClient>;
  /** DescribeImages, to confirm the cache holds what was pulled. */
  imagesIn: (region: string) => Pick<EcrRepositories, 'describeImageByTag'>;
  stateStore: WarmStateStore;
  warmQueue: WarmQueue;
  bus: DockmasterBus;
  /** One limiter per upstream, shared by every warm of this worker instance. */
  blobLimiterFor: (upstream: string) => Limiter;
  /**
   * Reads the configuration past its cache, for a `Parameter Store Change`. Default: the parameter named by
   * DOCKMASTER_CONFIG_PARAMETER; without it, the configuration the worker was given is used as it is.
   */
  loadFreshConfig?: () => Promise<DockmasterConfig>;
};

/** Allow-list entries whose tags are listed at once while planning. */
const PLAN_CONCURRENCY = 4;

type RunCause = { id: string; trigger: 'config-change' | 'schedule' | 'request'; prefix?: string };

/** Plans a run: resolves every allow-list entry's tags and fans out one `warm` message per image and tag. */
const planRun = async (cause: RunCause, context: WorkerContext, deps: PrepopulateDeps): Promise<RecordOutcome> => {
  const { config, logger, metrics } = context;
  const targets = listWarmTargets(config).filter((target) => cause.prefix === undefined || target.prefix === cause.prefix);
  if (targets.length === 0) {
    logger.info(`nothing to prepopulate${cause.prefix === undefined ? '' : ` under ${cause.prefix}/`}: the allow-list is empty`, { ...cause });
    return { outcome: 'nothing-to-do' };
  }
  const client = await deps.cacheRegistry(config.registry);
  const resolved = await mapWithConcurrency(targets, PLAN_CONCURRENCY, (target) => resolveTarget(client, target));
  // The id names run, repository and tag: a redelivered warm is deduplicated, the next run's is not.
  const requests: WarmRequest[] = resolved.flatMap(({ target, tags }) =>
    tags.map(({ tag, pinnedDigest }) => ({
      kind: 'warm' as const,
      id: `${cause.id}:${target.repository}:${tag}`,
      repository: target.repository,
      tag,
      ...(target.platforms ? { platforms: target.platforms } : {}),
      ...(target.owner ? { owner: target.owner } : {}),
      ...(pinnedDigest ? { pinnedDigest } : {}),
    })),
  );
  const failures = resolved.flatMap(({ target, failures: entries }) =>
    entries.map(({ tag, failure }) => imagePrepopulationFailedEvent(target, tag, failure, target.owner)),
  );
  await deps.warmQueue.send(requests);
  if (failures.length > 0) await deps.bus.emitEvents(failures);
  metrics.addMetric('WarmMessagesSent', MetricUnit.Count, requests.length);
  metrics.addMetric('ImagePrepopulationFailures', MetricUnit.Count, failures.length);
  logger.info(`prepopulate run planned: ${requests.length} image tag(s) sent to be warmed, ${failures.length} allow-list problem(s) reported`, {
    ...cause,
    images: targets.length,
    warm: requests.map((request) => `${request.repository}:${request.tag}`),
  });
  return { outcome: 'fanned-out', messages: requests.length, failures: failures.length };
};

/** The allow-list entry of the repository, or an ad-hoc one for a by-hand warm of an image not on the list. */
const targetFor = (config: DockmasterConfig, request: WarmRequest): WarmTarget | undefined => {
  const listed = listWarmTargets(config).find((target) => target.repository === request.repository);
  if (listed) return listed;
  const rule = findCacheRule(config, request.repository);
  if (!rule) return undefined;
  return { prefix: rule.prefix, upstream: rule.upstream, image: request.repository.slice(rule.prefix.length + 1), repository: request.repository, selector: [request.tag] };
};

/** Warms one image and tag, confirms ECR holds it, remembers its digest and reports the outcome. */
const warmOne = async (request: WarmRequest, context: WorkerContext, deps: PrepopulateDeps): Promise<RecordOutcome> => {
  const { config, logger, metrics, now } = context;
  const { repository, tag } = request;
  const target = targetFor(config, request);
  if (!target) {
    logger.info(`ignored ${repository}:${tag}: the repository is under no pull-through cache prefix of the configuration`, { repository, tag });
    return { outcome: 'not-cached' };
  }
  const owner = request.owner ?? target.owner;
  const platforms = request.platforms ?? target.platforms;
  const client = await deps.cacheRegistry(config.registry);
  const last = await deps.stateStore.getLastWarmed(repository, tag);
  const result = await warmImage({
    client,
    target,
    tag,
    ...(platforms ? { platforms } : {}),
    ...(request.pinnedDigest ? { pinnedDigest: request.pinnedDigest } : {}),
    ...(last ? { lastWarmedDigest: last.digest } : {}),
    blobLimiter: deps.blobLimiterFor(target.upstream),
  });

  if (result.status === 'unchanged') {
    logger.info(`${repository}:${tag} is unchanged upstream since its last warm (${last?.warmedAt}); nothing pulled`, { repository, tag, digest: result.digest });
    metrics.addMetric('TagsUnchanged', MetricUnit.Count, 1);
    return { outcome: 'unchanged', digest: result.digest };
  }

  const reportFailure = async (failure: WarmFailure, digest: string | undefined): Promise<RecordOutcome> => {
    logger.warn(`could not warm ${repository}:${tag} (${failure.reason}): ${failure.message}`, { repository, tag, reason: failure.reason, team: owner });
    await deps.bus.emitEvents([imagePrepopulationFailedEvent(target, tag, failure, owner, digest)]);
    metrics.addMetric('ImagePrepopulationFailures', MetricUnit.Count, 1);
    return { outcome: 'failed', reason: failure.reason };
  };
  if (result.status === 'failed') return reportFailure(result.failure, result.digest);
  const cached = await deps.imagesIn(config.registry.region).describeImageByTag(repository, tag);
  if (cached?.digest !== result.digest) {
    const listed = cached ? `digest ${cached.digest}` : 'no such image';
    return reportFailure(
      warmFailure(
        WarmFailureReason.Other,
        `${repository}:${tag} was pulled (${result.digest}) but ECR lists ${listed} in the cache. ` +
          `Check that the pull-through cache rule for prefix ${target.prefix} exists and points at ${target.upstream}.`,
      ),
      result.digest,
    );
  }

  logger.info(`warmed ${repository}:${tag} (${result.reason}): ${result.blobs} blob(s), ${result.bytes} bytes`, {
    repository,
    tag,
    digest: result.digest,
    platforms: result.platforms,
  });
  // Reported before the state is stored: if storing fails, the retry warms (cheaply) and reports again.
  await deps.bus.emitEvents([imagePrepopulatedEvent(target, tag, result, owner)]);
  await deps.stateStore.putLastWarmed(repository, tag, { digest: result.digest, warmedAt: now.toISOString() });
  metrics.addMetric('ImagesPrepopulated', MetricUnit.Count, 1);
  metrics.addMetric('BytesPrepopulated', MetricUnit.Bytes, result.bytes);
  return { outcome: 'warmed', digest: result.digest, bytes: result.bytes };
};

/**
 * The configuration just changed: the batch handler's copy may be up to a minute old, so the run is planned
 * with a fresh read (which also refreshes the copy the fanned-out warms are processed with).
 */
const planAfterConfigChange = async (eventId: string, context: WorkerContext, deps: PrepopulateDeps): Promise<RecordOutcome> => {
  const load = deps.loadFreshConfig ?? freshConfigFromEnvironment();
  const config = load === undefined ? context.config : await load();
  // The change may be the one that pauses this automation.
  if (isAutomationPaused(config, AutomationId.Prepopulate)) {
    context.logger.info(`automation "${AutomationId.Prepopulate}" is paused in the changed configuration (automations.prepopulate.paused); no run planned`);
    return { outcome: 'paused' };
  }
  return planRun({ id: eventId, trigger: 'config-change' }, { ...context, config }, deps);
};

/** One message of the prepopulate queue. */
const processPrepopulateMessage = async (message: PrepopulateMessage, context: WorkerContext, deps: PrepopulateDeps): Promise<RecordOutcome> => {
  if ('kind' in message) {
    if (message.kind === 'warm') return warmOne(message, context, deps);
    return planRun({ id: message.id, trigger: 'request', ...(message.prefix ? { prefix: message.prefix } : {}) }, context, deps);
  }
  if (message['detail-type'] === 'Parameter Store Change') return planAfterConfigChange(message.id, context, deps);
  return planRun({ id: message.id, trigger: 'schedule', ...(message.detail.prefix ? { prefix: message.detail.prefix } : {}) }, context, deps);
};

export { planRun, processPrepopulateMessage, warmOne };
export type { PrepopulateDeps, RunCause };
