import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { CacheFailureKind, describeCacheFailure, isUpstreamAuthenticationRefusal } from '@dockmaster/core/cache-health';
import { requireCacheRule } from '@dockmaster/core/cache-repository';
import { isAutomationPaused, type DockmasterConfig, type PullThroughCacheConfig } from '@dockmaster/core/config';
import { AutomationId, CacheMode, MessageKind } from '@dockmaster/core/constants';
import { AwsDetailType } from '@dockmaster/core/events/vocabulary';
import { listWarmTargets, warmOwner, warmTargetFor, type WarmTarget } from '@dockmaster/core/prepopulate';
import type { RegistryClient } from '@dockmaster/registry';
import { type AlertOnce, alertEveryTime } from '../adapters/alert-every-time.js';
import { alertCacheFailure } from '../cache-repository/report-sync-failure.js';
import type { RepositoryCreator } from '../adapters/ecr-repository-creator.js';
import type { EcrRepositories } from '../adapters/ecr-repositories.js';
import type { EcrStorageClasses } from '../adapters/ecr-storage-class.js';
import type { WarmStateStore } from '../adapters/state-store.js';
import type { DockmasterBus } from '../adapters/dockmaster-bus.js';
import type { RecordOutcome, WorkerContext } from '../runtime/sqs-batch-handler.js';
import { type Limiter, mapWithConcurrency } from '../runtime/concurrency.js';
import { BLOB_CONCURRENCY_PER_UPSTREAM } from './constants.js';
import { copyImage } from './copy-image.js';
import { ensureCopyRepository } from './ensure-copy-repository.js';
import { imagePrepopulatedEvent, imagePrepopulationFailedEvent } from './events.js';
import type { PrepopulateMessage, WarmRequest } from './messages.js';
import { resolveCopyTarget, resolveTarget, type ResolvedTarget } from './resolve-target.js';
import { restoreArchivedImage } from './restore-archived.js';
import { type WarmFailure, WarmFailureReason, warmFailure } from './warm-failure.js';
import { warmImage, type WarmImageResult } from './warm-image.js';
import type { WarmQueue } from '../adapters/warm-queue.js';

/** What the prepopulate worker works with besides its context. */
type PrepopulateDeps = {
  /** A client for the cache's registry endpoint (ECR's, logged in) of the configured registry. */
  cacheRegistry: (registry: DockmasterConfig['registry']) => Promise<RegistryClient>;
  /** A client for the same registry endpoint and login, for copy mode's pushes (node-http: blobs piped socket to socket). */
  copyRegistry: (registry: DockmasterConfig['registry']) => Promise<RegistryClient>;
  /**
   * A client for a copy-mode entry's upstream registry (`https://<host>`, or DOCKMASTER_UPSTREAM_ENDPOINTS'
   * override), logged in with the entry's secret. Throws UpstreamCredentialsError when the secret cannot be used.
   */
  upstreamRegistry: (entry: Pick<PullThroughCacheConfig, 'upstream' | 'credentialArn'>) => Promise<RegistryClient>;
  /** Creates a copy-mode repository that is missing (DescribeRepositories, CreateRepository). */
  repositoriesFor: (region: string) => RepositoryCreator;
  /** DescribeImages, to confirm the cache holds what was pulled. */
  imagesIn: (region: string) => Pick<EcrRepositories, 'describeImageByTag'>;
  /** DescribeImages (any storage class) and UpdateImageStorageClass: restoring an archived allow-listed image. */
  storageClassesIn: (region: string) => EcrStorageClasses;
  stateStore: WarmStateStore;
  warmQueue: WarmQueue;
  bus: DockmasterBus;
  /** One limiter per upstream, shared by every warm of this worker instance. */
  blobLimiterFor: (upstream: string) => Limiter;
  /** Cache health's once-per-kind-and-image records (state table); without it every such failure is reported. */
  alertOnce?: AlertOnce;
};

/** Allow-list entries whose tags are listed at once while planning. */
const PLAN_CONCURRENCY = 4;

type RunCause = { id: string; trigger: 'config-change' | 'schedule' | 'request'; prefix?: string };

/** The pullThroughCache entry of a target (prefixes are unique and never nested, so there is exactly one). */
const entryOf = (config: DockmasterConfig, target: WarmTarget): PullThroughCacheConfig => requireCacheRule(config, target.repository);

/**
 * The tags of one allow-list entry: listed through the cache (mode cache), or at the upstream itself (mode
 * copy, where nothing stands between the worker and the upstream).
 */
const resolveEntry = async (
  target: WarmTarget,
  config: DockmasterConfig,
  cacheClient: () => Promise<RegistryClient>,
  deps: PrepopulateDeps,
): Promise<ResolvedTarget> => {
  if (target.mode === CacheMode.Copy) return resolveCopyTarget(() => deps.upstreamRegistry(entryOf(config, target)), target);
  return resolveTarget(await cacheClient(), target);
};

/** Plans a run: resolves every allow-list entry's tags and fans out one `warm` message per image and tag. */
const planRun = async (cause: RunCause, context: WorkerContext, deps: PrepopulateDeps): Promise<RecordOutcome> => {
  const { config, logger, metrics } = context;
  const targets = listWarmTargets(config).filter((target) => cause.prefix === undefined || target.prefix === cause.prefix);
  if (targets.length === 0) {
    logger.info(`nothing to prepopulate${cause.prefix === undefined ? '' : ` under ${cause.prefix}/`}: the allow-list is empty`, { ...cause });
    return { outcome: 'nothing-to-do' };
  }
  // Logged in on first use only: a run of copy-mode entries alone never needs the cache.
  let cache: Promise<RegistryClient> | undefined;
  const cacheClient = (): Promise<RegistryClient> => (cache ??= deps.cacheRegistry(config.registry));
  const resolved = await mapWithConcurrency(targets, PLAN_CONCURRENCY, (target) => resolveEntry(target, config, cacheClient, deps));
  // The id names run, repository and tag: a redelivered warm is deduplicated, the next run's is not.
  const requests: WarmRequest[] = resolved.flatMap(({ target, tags }) => {
    const owner = warmOwner(config, target.repository);
    return tags.map(({ tag, pinnedDigest }) => ({
      kind: MessageKind.Warm,
      id: `${cause.id}:${target.repository}:${tag}`,
      repository: target.repository,
      tag,
      ...(target.platforms ? { platforms: target.platforms } : {}),
      ...(owner ? { owner } : {}),
      ...(pinnedDigest ? { pinnedDigest } : {}),
    }));
  });
  const failures = resolved.flatMap(({ target, failures: entries }) =>
    entries.map(({ tag, failure }) => imagePrepopulationFailedEvent(target, tag, failure, warmOwner(config, target.repository))),
  );
  await deps.warmQueue.send(requests);
  if (failures.length > 0) await deps.bus.emitEvents(failures);
  metrics.addMetric('WarmMessagesSent', MetricUnit.Count, requests.length);
  metrics.addMetric('ImagePrepopulationFailures', MetricUnit.Count, failures.length);
  logger.info(`prepopulate run planned: ${requests.length} image tag(s) sent to be warmed or copied, ${failures.length} allow-list problem(s) reported`, {
    ...cause,
    images: targets.length,
    warm: requests.map((request) => `${request.repository}:${request.tag}`),
  });
  return { outcome: 'fanned-out', messages: requests.length, failures: failures.length };
};

/** What warming one tag needs, whatever the mode. */
type WarmJob = {
  request: WarmRequest;
  target: WarmTarget;
  lastWarmedDigest: string | undefined;
  context: WorkerContext;
  deps: PrepopulateDeps;
};

/** Mode cache: pulls the tag through the cache, then confirms with DescribeImages that ECR holds what was pulled. */
const warmThroughCache = async ({ request, target, lastWarmedDigest, context, deps }: WarmJob): Promise<WarmImageResult> => {
  const { config } = context;
  const { repository, tag } = request;
  const platforms = request.platforms ?? target.platforms;
  const result = await warmImage({
    client: await deps.cacheRegistry(config.registry),
    target,
    tag,
    ...(platforms ? { platforms } : {}),
    ...(request.pinnedDigest ? { pinnedDigest: request.pinnedDigest } : {}),
    ...(lastWarmedDigest === undefined ? {} : { lastWarmedDigest }),
    blobLimiter: deps.blobLimiterFor(target.upstream),
  });
  if (result.status !== 'warmed') return result;
  const cached = await deps.imagesIn(config.registry.region).describeImageByTag(repository, tag);
  if (cached?.digest === result.digest) return result;
  const listed = cached ? `digest ${cached.digest}` : 'no such image';
  return {
    status: 'failed',
    digest: result.digest,
    failure: warmFailure(
      WarmFailureReason.Other,
      `${repository}:${tag} was pulled (${result.digest}) but ECR lists ${listed} in the cache. ` +
        `Check that the pull-through cache rule for prefix ${target.prefix} exists and points at ${target.upstream}.`,
    ),
  };
};

/**
 * Mode copy: copies the tag from the upstream into the registry with the sync engine (the whole image, digest
 * kept), creating the repository first when it is missing. The registry's own answers confirm the push.
 */
const copyFromUpstream = async ({ request, target, lastWarmedDigest, context, deps }: WarmJob): Promise<WarmImageResult> => {
  const { config, logger } = context;
  const entry = entryOf(config, target);
  const repositories = deps.repositoriesFor(config.registry.region);
  return copyImage({
    upstream: () => deps.upstreamRegistry(entry),
    registry: await deps.copyRegistry(config.registry),
    ensureRepository: () => ensureCopyRepository({ repositories, entry, repository: target.repository, logger }),
    target,
    tag: request.tag,
    ...(request.pinnedDigest ? { pinnedDigest: request.pinnedDigest } : {}),
    ...(lastWarmedDigest === undefined ? {} : { lastWarmedDigest }),
    concurrency: BLOB_CONCURRENCY_PER_UPSTREAM,
  });
};

/** An upstream authentication failure seen while warming, for the cache's owner (undefined: the repository is under no prefix). */
const reportUpstreamAuthenticationFailure = async (request: WarmRequest, failure: WarmFailure, context: WorkerContext, deps: PrepopulateDeps) => {
  const { config } = context;
  const detail = describeCacheFailure(
    {
      repository: request.repository,
      tag: request.tag,
      digest: null,
      failureCode: failure.code ?? null,
      failureReason: failure.registryMessage ?? null,
      kind: CacheFailureKind.UpstreamAuthentication,
      seenBy: 'prepopulate',
      region: config.registry.region,
      account: config.registry.accountId,
      eventId: request.id,
    },
    config,
  );
  if (detail === undefined) return undefined;
  // An allow-list owner named on the warm request wins, as for the prepopulation failure it replaces.
  const withOwner = request.owner === undefined ? detail : { ...detail, team: request.owner };
  return alertCacheFailure(withOwner, context, { bus: deps.bus, alertOnce: deps.alertOnce ?? alertEveryTime });
};

/** Warms (or, in copy mode, copies) one image and tag, remembers its digest and reports the outcome. */
const warmOne = async (request: WarmRequest, context: WorkerContext, deps: PrepopulateDeps): Promise<RecordOutcome> => {
  const { config, logger, metrics, now } = context;
  const { repository, tag } = request;
  const target = warmTargetFor(config, repository, tag);
  if (!target) {
    logger.info(`ignored ${repository}:${tag}: the repository is under no pull-through cache prefix of the configuration`, { repository, tag });
    return { outcome: 'not-cached' };
  }
  const owner = request.owner ?? warmOwner(config, repository);
  const copy = target.mode === CacheMode.Copy;
  const last = await deps.stateStore.getLastWarmed(repository, tag);
  const job: WarmJob = { request, target, lastWarmedDigest: last?.digest, context, deps };
  const result = copy ? await copyFromUpstream(job) : await warmThroughCache(job);

  if (result.status === 'unchanged') {
    logger.info(`${repository}:${tag} is unchanged upstream since its last ${copy ? 'copy' : 'warm'} (${last?.warmedAt}); nothing ${copy ? 'copied' : 'pulled'}`, {
      repository,
      tag,
      digest: result.digest,
    });
    metrics.addMetric('TagsUnchanged', MetricUnit.Count, 1);
    return { outcome: 'unchanged', digest: result.digest };
  }
  if (result.status === 'failed') {
    const { failure } = result;
    logger.warn(`could not ${copy ? 'copy' : 'warm'} ${repository}:${tag} (${failure.reason}): ${failure.message}`, { repository, tag, reason: failure.reason, team: owner });
    // Cache health: the cache's upstream refused ECR's login. Every run would see it again, so it is reported
    // as a Cache Sync Failed, once per image and week, instead of an Image Prepopulation Failed per run.
    if (!copy && failure.reason === WarmFailureReason.AccessDenied && isUpstreamAuthenticationRefusal(failure.registryMessage)) {
      const health = await reportUpstreamAuthenticationFailure(request, failure, context, deps);
      if (health !== undefined) {
        metrics.addMetric('ImagePrepopulationFailures', MetricUnit.Count, 1);
        return { outcome: 'failed', reason: failure.reason, syncFailure: health };
      }
    }
    await deps.bus.emitEvents([imagePrepopulationFailedEvent(target, tag, failure, owner, result.digest)]);
    metrics.addMetric('ImagePrepopulationFailures', MetricUnit.Count, 1);
    return { outcome: 'failed', reason: failure.reason };
  }

  logger.info(`${copy ? 'copied' : 'warmed'} ${repository}:${tag} (${result.reason}): ${result.blobs} blob(s), ${result.bytes} bytes`, {
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
 * The configuration just changed. The batch handler read it fresh for this batch (a batch that carries a
 * `Parameter Store Change` bypasses the cache, sqs-batch-handler.ts), so context.config is the new one, and the
 * read refreshed the cache the fanned-out warms are processed with.
 */
const planAfterConfigChange = (eventId: string, context: WorkerContext, deps: PrepopulateDeps): Promise<RecordOutcome> =>
  planRun({ id: eventId, trigger: 'config-change' }, context, deps);

/** One message of the prepopulate queue. */
const processPrepopulateMessage = async (message: PrepopulateMessage, context: WorkerContext, deps: PrepopulateDeps): Promise<RecordOutcome> => {
  if ('kind' in message) {
    if (message.kind === MessageKind.Warm) return warmOne(message, context, deps);
    return planRun({ id: message.id, trigger: 'request', ...(message.prefix ? { prefix: message.prefix } : {}) }, context, deps);
  }
  if (message['detail-type'] === AwsDetailType.ParameterStoreChange) return planAfterConfigChange(message.id, context, deps);
  if (message['detail-type'] === AwsDetailType.EcrImageAction) return restoreArchivedImage(message, context, deps);
  return planRun({ id: message.id, trigger: 'schedule', ...(message.detail.prefix ? { prefix: message.detail.prefix } : {}) }, context, deps);
};

export { planRun, processPrepopulateMessage, warmOne };
export type { PrepopulateDeps, RunCause };
