import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { findManagedRule, managedPrefixes } from '@dockmaster/core/cache-repository';
import { partitionOf } from '@dockmaster/core/topology';
import { UserFacingError } from '@dockmaster/core/errors';
import type { EcrRepositories } from '../adapters/ecr-repositories.js';
import type { AlertOnce } from '../adapters/alert-once.js';
import type { RepositoryLock } from '../adapters/repository-lock.js';
import { unlockedRepositories } from '../adapters/unlocked-repositories.js';
import { EnvVar } from '../constants.js';
import type { DockmasterBus } from '../adapters/dockmaster-bus.js';
import { mapWithConcurrency } from '../runtime/concurrency.js';
import { createPace } from '../runtime/rate-limiter.js';
import type { RecordOutcome, WorkerContext } from '../runtime/sqs-batch-handler.js';
import { configureRepository, repositoryMatchesRule } from './configure-repository.js';
import { cacheRepositoryChangeEvent, type CacheRepositoryCause } from './events.js';
import { repositoryLeaseKey } from './repository-lease.js';

/** What the cache-repository worker works with besides its context. */
type CacheRepositoryDeps = {
  /** ECR in one Region: events name the Region of the repository they are about. */
  repositoriesIn: (region: string) => EcrRepositories;
  bus: DockmasterBus;
  /**
   * Serialises Dockmaster's own workers per repository (an event and the sweep, or two events about one
   * repository in parallel invocations); the handler passes the DynamoDB lease on the state table (DOCKMASTER_STATE_TABLE),
   * undefined when that is not set.
   */
  repositoryLock?: RepositoryLock;
  /**
   * Cache health's "once per failure kind and image" record in the state table; without it (no
   * DOCKMASTER_STATE_TABLE) every failed sync event is reported (redeliveries are still stopped by idempotency).
   */
  alertOnce?: AlertOnce;
};

/**
 * Repositories checked at once during a sweep. Each check reads its policy and its lifecycle policy at once,
 * so this also bounds the requests in flight per ECR action; the ECR client's adaptive retry mode paces the
 * sweep to ECR's request rate when it is throttled (see docs/operations.md, "Scale and cost").
 */
const SWEEP_CONCURRENCY = 16;

/**
 * The sweep's pace per read action (GetRepositoryPolicy, GetLifecyclePolicy), requests a second. ECR publishes
 * no rate for them; the local stack guesses 100/s (packages/local/src/aws-endpoint/throttle.ts, which checks
 * that this stays below it). 90 % of it leaves room for the event-driven workers reading at the same time;
 * where ECR grants less, the client's adaptive retry slows the sweep further.
 */
const SWEEP_READS_PER_SECOND = 90;

type RepositoryRequest = {
  repository: string;
  region: string;
  account: string;
  trigger: CacheRepositoryCause;
  eventId?: string;
};

let warnedWithoutLease = false;

/**
 * The lease guards against Dockmaster's own workers interleaving on one repository; without the state table
 * the worker still keeps other writers' statements (write-policy.ts) but may write the same policy twice.
 */
const leaseFor = (deps: CacheRepositoryDeps, context: WorkerContext): RepositoryLock => {
  const lock = deps.repositoryLock;
  if (lock) return lock;
  // Once per execution environment: a sweep would otherwise say it for every repository.
  if (warnedWithoutLease) return unlockedRepositories;
  warnedWithoutLease = true;
  context.logger.warn(`${EnvVar.StateTable} is not set: repositories are configured without the per-repository lease; set it to the state table in the worker's infra definition`);
  return unlockedRepositories;
};

/** Configures one repository (holding its lease) and announces what changed; 'not-cached' when it is under no prefix. */
const reconcileRepository = async (
  request: RepositoryRequest,
  context: WorkerContext,
  deps: CacheRepositoryDeps,
): Promise<'not-cached' | 'missing' | 'unchanged' | 'changed'> => {
  const { repository, region, account, trigger } = request;
  // A cache prefix, or a repositoryTemplates prefix: its template acts only at creation, so the drift repair is here.
  const rule = findManagedRule(context.config, repository);
  if (!rule) {
    const prefixes = managedPrefixes(context.config).map((prefix) => `${prefix}/`);
    context.logger.info(`ignored ${repository}: it is under no pull-through cache prefix nor repositoryTemplates prefix of the configuration (${prefixes.join(', ') || 'none'})`, {
      repository,
      trigger,
    });
    return 'not-cached';
  }
  const result = await leaseFor(deps, context).withLease(repositoryLeaseKey(region, repository), () =>
    configureRepository({
      repository,
      rule,
      ecr: deps.repositoriesIn(region),
      logger: context.logger,
      justCreated: trigger === 'create-repository',
      partition: partitionOf(region),
    }),
  );
  if (result.outcome === 'missing') {
    context.logger.info(`skipped ${repository}: the repository does not exist (any more) in ${region}`, { repository, region, trigger });
    return 'missing';
  }
  if (result.outcome === 'unchanged') {
    context.logger.info(`${repository} already matches the rule for prefix ${rule.prefix}; nothing written`, { repository, trigger });
    return 'unchanged';
  }
  await deps.bus.emitEvents([
    cacheRepositoryChangeEvent({
      repository,
      rule,
      region,
      account,
      trigger,
      firstTime: result.firstTime,
      changes: result.changes,
      ...(request.eventId === undefined ? {} : { eventId: request.eventId }),
    }),
  ]);
  return 'changed';
};

type SweepCounts = { checked: number; repaired: number; failed: number };

/**
 * The sweep: every repository under every cache and template prefix, configured like an event would. Events are best
 * effort, so this is what guarantees convergence. One failing repository is logged and counted, never
 * stops the others, and does not fail the message: the next sweep retries it, and a retry of the whole
 * sweep would redo all the others for nothing.
 */
const reconcileAll = async (context: WorkerContext, deps: CacheRepositoryDeps, cause: { eventId?: string }): Promise<RecordOutcome> => {
  const { config, logger, metrics } = context;
  const prefixes = managedPrefixes(config);
  const { region, accountId: account } = config.registry;
  const ecr = deps.repositoriesIn(region);
  const partition = partitionOf(region);
  const [policyPace, lifecyclePace] = [createPace(SWEEP_READS_PER_SECOND), createPace(SWEEP_READS_PER_SECOND)];
  const pacedReads = {
    getRepositoryPolicy: (repository: string) => policyPace(() => ecr.getRepositoryPolicy(repository)),
    getLifecyclePolicy: (repository: string) => lifecyclePace(() => ecr.getLifecyclePolicy(repository)),
  };
  const repositories = prefixes.length === 0 ? [] : await ecr.describeRepositoriesUnder(prefixes);
  const counts: SweepCounts = { checked: 0, repaired: 0, failed: 0 };
  const failures: { repository: string; code?: string; message: string }[] = [];

  await mapWithConcurrency(repositories, SWEEP_CONCURRENCY, async (description) => {
    const repository = description.name;
    try {
      // Most repositories are right: they cost two reads, no lease and no log line (the summary counts them).
      const rule = findManagedRule(config, repository);
      if (rule !== undefined && (await repositoryMatchesRule({ description, rule, ecr: pacedReads, partition }))) {
        counts.checked += 1;
        return;
      }
      const outcome = await reconcileRepository(
        { repository, region, account, trigger: 'reconcile', ...(cause.eventId === undefined ? {} : { eventId: cause.eventId }) },
        context,
        deps,
      );
      counts.checked += 1;
      if (outcome === 'changed') counts.repaired += 1;
    } catch (error) {
      counts.failed += 1;
      const code = error instanceof UserFacingError ? error.code : undefined;
      failures.push({ repository, ...(code === undefined ? {} : { code }), message: (error as Error).message });
      logger.error(`could not reconcile ${repository}; the sweep goes on with the other repositories`, error as Error);
    }
  });

  metrics.addMetric('RepositoriesChecked', MetricUnit.Count, counts.checked);
  metrics.addMetric('RepositoriesRepaired', MetricUnit.Count, counts.repaired);
  metrics.addMetric('RepositoriesFailed', MetricUnit.Count, counts.failed);
  const summary = `reconcile sweep over ${prefixes.map((prefix) => `${prefix}/`).join(', ') || 'no prefixes'}: ${repositories.length} repositories, ${counts.repaired} repaired, ${counts.failed} failed`;
  if (counts.failed > 0) logger.warn(summary, { ...counts, failures });
  else logger.info(summary, { ...counts });
  return { outcome: 'reconciled', ...counts };
};

export { reconcileAll, reconcileRepository, SWEEP_CONCURRENCY, SWEEP_READS_PER_SECOND };
export type { CacheRepositoryDeps, RepositoryRequest, SweepCounts };
