import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { DockmasterConfig } from '@dockmaster/core/config';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { z } from 'zod';
import type { ConfigLoadOptions } from '../../adapters/config-source.js';
import type { DeadLetterQueue } from '../../adapters/dead-letter.js';
import { createPausedRecordQueue, type PausedRecordQueue } from '../../adapters/paused-records.js';
import { METRIC_NAMESPACE } from '../../constants.js';
import { lazy } from '../../runtime/memoize.js';
import type { BatchContext } from '../../runtime/middlewares/batch-context.js';
import { configLoader } from '../../runtime/middlewares/config-loader.js';
import { pauseSwitch } from '../../runtime/middlewares/pause-switch.js';
import type { SqsBatchHandlerOptions } from '../../runtime/sqs-batch-handler.js';
import { configSourceFromEnvironment, deadLetterQueueFromEnvironment, idempotencyStoreFromEnvironment } from './environment.js';

/** Replaceable parts, for tests and the local stack; anything not given is built from the environment on first use. */
type SqsBatchHandlerDeps = {
  /** The configuration; `fresh` reads it past the 60-second cache. Default: the store named by the environment. */
  loadConfig: (options?: ConfigLoadOptions) => Promise<DockmasterConfig>;
  persistenceStore: BasePersistenceLayer;
  clock: () => Date;
  logger: Logger;
  metrics: Metrics;
  /** Where permanent failures go; default: the automation's DLQ named by EnvVar.DeadLetterQueueUrl, if set. */
  deadLetterQueue: DeadLetterQueue | undefined;
  /** Where a paused automation keeps its records (adapters/paused-records.ts); default: the queue each record came from. */
  pausedRecords: PausedRecordQueue;
  /** Time kept back from the Lambda timeout to answer (runtime/batch-deadline.ts). */
  deadlineReserveMs: number;
};

/** What an automation brings to the batch step: its event schema, what makes two deliveries the same, and its record handler. */
type SqsWorkerParts<Schema extends z.ZodType> = Pick<SqsBatchHandlerOptions<Schema>, 'schema' | 'idempotencyKey' | 'processRecord'>;

type SqsWorkerOptions<Schema extends z.ZodType> = Pick<SqsBatchHandlerOptions<Schema>, 'automation' | 'idempotencyTtlSeconds'> & {
  deps?: Partial<SqsBatchHandlerDeps>;
} & (
    | SqsWorkerParts<Schema>
    | {
        /**
         * The parts, imported on the first batch (the handlers' way): the event schemas (zod), the automation's
         * code and the configuration stack then cost nothing at cold start, only when the first batch needs them.
         */
        load: () => Promise<SqsWorkerParts<Schema>>;
      }
  );

/**
 * An SQS-triggered worker as Lambda runs it: Powertools' logger and metrics, then the configuration
 * (configLoader) and the pause switch (pauseSwitch) as middy middlewares, then the batch step
 * (runtime/sqs-batch-handler.ts). Whatever `deps` leaves out comes from the environment, read on first use.
 */
const createSqsBatchHandler = <Schema extends z.ZodType>(options: SqsWorkerOptions<Schema>) => {
  const { automation, deps = {} } = options;
  const logger = deps.logger ?? new Logger({ serviceName: automation });
  const metrics = deps.metrics ?? new Metrics({ namespace: METRIC_NAMESPACE, serviceName: automation });
  const clock = deps.clock ?? (() => new Date());
  // This handler's own source (and cache), as every Lambda function has its own: never shared between workers.
  const configSource = lazy(() => configSourceFromEnvironment({ onWarning: (message) => logger.warn(message) }));
  const loadConfig = deps.loadConfig ?? ((loadOptions?: ConfigLoadOptions) => configSource().load(loadOptions));
  const pausedQueue = lazy(() => deps.pausedRecords ?? createPausedRecordQueue());
  const loadParts = 'load' in options ? options.load : async (): Promise<SqsWorkerParts<Schema>> => options;

  /**
   * The batch step (runtime/sqs-batch-handler.ts) with the automation's parts, built on the first batch: a
   * dynamic import, which the CommonJS bundle keeps in the file but evaluates only then. A failed import is
   * tried again on the next batch.
   */
  let batchStepPromise: Promise<(event: SQSEvent, context: BatchContext) => Promise<SQSBatchResponse>> | undefined;
  const batchStep = () =>
    (batchStepPromise ??= Promise.all([import('../../runtime/sqs-batch-handler.js'), loadParts()]).then(([{ sqsBatchHandler }, parts]) =>
      sqsBatchHandler({
        automation,
        schema: parts.schema,
        idempotencyKey: parts.idempotencyKey,
        processRecord: parts.processRecord,
        ...(options.idempotencyTtlSeconds === undefined ? {} : { idempotencyTtlSeconds: options.idempotencyTtlSeconds }),
        logger,
        metrics,
        clock,
        persistenceStore: () => deps.persistenceStore ?? idempotencyStoreFromEnvironment(),
        deadLetterQueue: () => ('deadLetterQueue' in deps ? deps.deadLetterQueue : deadLetterQueueFromEnvironment(automation)),
        ...(deps.deadlineReserveMs === undefined ? {} : { deadlineReserveMs: deps.deadlineReserveMs }),
      }),
    )).catch((error: unknown) => {
      batchStepPromise = undefined;
      throw error;
    });

  return middy<SQSEvent, SQSBatchResponse, Error, BatchContext>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(configLoader({ loadConfig, logger }))
    .use(pauseSwitch({ automation, pausedRecords: { keep: (record) => pausedQueue().keep(record) }, logger, metrics }))
    .handler((event, context) => batchStep().then((step) => step(event, context)));
};

export { createSqsBatchHandler };
export type { SqsBatchHandlerDeps, SqsWorkerOptions, SqsWorkerParts };
