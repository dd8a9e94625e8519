import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { desiredTagMutability, sameTagMutability } from '@dockmaster/core/tag-policy';
import type { EcrTagMutability } from '../adapters/ecr-tag-mutability.js';
import { mapWithConcurrency } from '../runtime/concurrency.js';
import type { RecordOutcome, WorkerContext } from '../runtime/sqs-batch-handler.js';

/** Repositories checked at once during a sweep: a few, to stay clear of ECR's control-plane rate limits. */
const SWEEP_CONCURRENCY = 4;

type TagMutabilityOutcome = 'not-managed' | 'missing' | 'unchanged' | 'repaired';

/**
 * Brings one repository's tag mutability to what its tag policy compiles to (core/tag-policy/tag-immutability.ts),
 * judged on a DescribeRepositories read taken right before the write. PutImageTagMutability replaces the whole
 * setting; the value written is the policy's whatever another writer put there meanwhile, so the window left
 * (one call) cannot produce anything but the policy's setting or the other writer's. Nothing else is touched.
 */
const keepTagMutability = async (
  repository: string,
  context: WorkerContext,
  ecr: EcrTagMutability,
  trigger: 'push' | 'reconcile',
): Promise<TagMutabilityOutcome> => {
  const desired = desiredTagMutability(context.config, repository);
  if (desired === undefined) return 'not-managed';
  const current = await ecr.describeTagMutability(repository);
  if (current === undefined) return 'missing';
  if (sameTagMutability(current, desired.setting)) return 'unchanged';
  await ecr.putTagMutability(repository, desired.setting);
  context.logger.info(`tag mutability of ${repository}: tag policy "${desired.policy}" asks for ${desired.setting.imageTagMutability}; repaired`, {
    repository,
    policy: desired.policy,
    trigger,
    before: current,
    after: desired.setting,
  });
  context.metrics.addMetric('TagMutabilityRepaired', MetricUnit.Count, 1);
  return 'repaired';
};

/**
 * The sweep: every repository of the registry whose tag policy compiles into ECR. Events are best effort and
 * someone may change the setting by hand, so this is what guarantees convergence. One failing repository is
 * logged and counted, never stops the others, and does not fail the message (the next sweep retries it).
 */
const reconcileTagMutability = async (context: WorkerContext, ecr: EcrTagMutability): Promise<RecordOutcome> => {
  const { logger, metrics, config } = context;
  const repositories = (await ecr.listRepositories()).filter((repository) => desiredTagMutability(config, repository) !== undefined);
  const counts = { checked: 0, repaired: 0, failed: 0 };
  await mapWithConcurrency(repositories, SWEEP_CONCURRENCY, async (repository) => {
    try {
      const outcome = await keepTagMutability(repository, context, ecr, 'reconcile');
      counts.checked += 1;
      if (outcome === 'repaired') counts.repaired += 1;
    } catch (error) {
      counts.failed += 1;
      logger.error(`could not repair the tag mutability of ${repository}; the sweep goes on with the other repositories`, error as Error);
    }
  });
  metrics.addMetric('TagMutabilityChecked', MetricUnit.Count, counts.checked);
  metrics.addMetric('TagMutabilityFailed', MetricUnit.Count, counts.failed);
  const summary = `tag mutability sweep: ${repositories.length} repositories under a tag policy ECR enforces, ${counts.repaired} repaired, ${counts.failed} failed`;
  if (counts.failed > 0) logger.warn(summary, counts);
  else logger.info(summary, counts);
  return { outcome: 'reconciled', ...counts };
};

export { keepTagMutability, reconcileTagMutability, SWEEP_CONCURRENCY };
export type { TagMutabilityOutcome };
