import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { isAutomationPaused, type DockmasterConfig } from '@dockmaster/core/config';
import type { AutomationId } from '@dockmaster/core/constants';
import { UserFacingError } from '@dockmaster/core/errors';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { z } from 'zod';
import { createConfigSource } from './config-source.js';
import { EnvVar, METRIC_NAMESPACE, requireEnv } from './constants.js';
import { parser } from '@aws-lambda-powertools/batch/parser';

/** What every record handler gets besides its event. */
type WorkerContext = {
  automation: AutomationId;
  config: DockmasterConfig;
  /** The clock reading for this record; domain rules (expiry dates) use it instead of `new Date()`. */
  now: Date;
  logger: Logger;
  metrics: Metrics;
};

/** Replaceable parts, for tests and the local stack; anything not given is built from the environment on first use. */
type SqsBatchHandlerDeps = {
  loadConfig: () => Promise<DockmasterConfig>;
  persistenceStore: BasePersistenceLayer;
  clock: () => Date;
  logger: Logger;
  metrics: Metrics;
};

/** The outcome of one record; stored by idempotency and replayed for a duplicate, so it must be plain JSON. */
type RecordOutcome = { outcome: string } & Record<string, unknown>;

type SqsBatchHandlerOptions<Schema extends z.ZodType> = {
  automation: AutomationId;
  /** zod schema of the EventBridge event in each SQS message body. */
  schema: Schema;
  /**
   * JMESPath over the parsed event naming what makes two deliveries "the same", e.g.
   * `[id, detail."repository-name"]`. Never the SQS messageId: EventBridge may deliver one event in two messages.
   */
  idempotencyKey: string;
  processRecord: (event: z.output<Schema>, context: WorkerContext) => Promise<RecordOutcome>;
  deps?: Partial<SqsBatchHandlerDeps>;
  /** How long a finished record suppresses duplicates; covers EventBridge and SQS redelivery windows. */
  idempotencyTtlSeconds?: number;
};

const ONE_DAY_SECONDS = 24 * 60 * 60;

/**
 * Builds an SQS-triggered worker: per-record zod parsing (a malformed record fails alone and goes to the DLQ
 * after its retries), partial batch responses, per-record idempotency, structured logs, metrics, and the
 * per-automation pause switch of the config file.
 */
const createSqsBatchHandler = <Schema extends z.ZodType>(options: SqsBatchHandlerOptions<Schema>) => {
  const { automation, schema, idempotencyKey, processRecord, idempotencyTtlSeconds = ONE_DAY_SECONDS } = options;
  const logger = options.deps?.logger ?? new Logger({ serviceName: automation });
  const metrics = options.deps?.metrics ?? new Metrics({ namespace: METRIC_NAMESPACE, serviceName: automation });
  const clock = options.deps?.clock ?? (() => new Date());
  const idempotencyConfig = new IdempotencyConfig({ eventKeyJmesPath: idempotencyKey, expiresAfterSeconds: idempotencyTtlSeconds });
  const processor = new BatchProcessor(EventType.SQS, { parser, innerSchema: schema, transformer: 'json', logger });

  // Built on the first invocation, so that importing a handler module needs no environment (tests, tooling).
  let runtime: { loadConfig: () => Promise<DockmasterConfig>; processIdempotently: typeof processRecord } | undefined;
  const getRuntime = () => {
    runtime ??= {
      loadConfig: options.deps?.loadConfig ?? createConfigSource({ parameterName: requireEnv(EnvVar.ConfigParameter) }).load,
      processIdempotently: makeIdempotent(processRecord, {
        persistenceStore: options.deps?.persistenceStore ?? new DynamoDBPersistenceLayer({ tableName: requireEnv(EnvVar.IdempotencyTable) }),
        config: idempotencyConfig,
        // A fixed prefix keeps keys valid across deployments (the default is the Lambda function name).
        keyPrefix: automation,
      }),
    };
    return runtime;
  };

  const batchHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const { loadConfig, processIdempotently } = getRuntime();
    idempotencyConfig.registerLambdaContext(context);
    let config: DockmasterConfig;
    try {
      config = await loadConfig();
    } catch (error) {
      // The whole batch is retried (and ends in the DLQ) until the config is fixed; say so plainly.
      if (error instanceof UserFacingError) logger.error(`configuration unusable, no record processed: ${error.message}`, { code: error.code });
      else logger.error('loading the configuration failed, no record processed', error as Error);
      throw error;
    }

    const recordHandler = async (record: { messageId: string; body: z.output<Schema> }): Promise<RecordOutcome> => {
      const parsed = record.body as { id?: string; 'detail-type'?: string };
      logger.appendKeys({ eventId: parsed.id, messageId: record.messageId });
      try {
        if (isAutomationPaused(config, automation)) {
          logger.info(`automation "${automation}" is paused in the configuration (automations.${automation}.paused); no action taken`, {
            detailType: parsed['detail-type'],
          });
          metrics.addMetric('RecordsSkippedPaused', MetricUnit.Count, 1);
          return { outcome: 'paused' };
        }
        return await processIdempotently(record.body, { automation, config, now: clock(), logger, metrics });
      } catch (error) {
        logger.error('record failed; it will be retried, then sent to the dead-letter queue', error as Error);
        throw error;
      } finally {
        logger.removeKeys(['eventId', 'messageId']);
      }
    };

    // Sequential: a duplicate inside one batch then finds the first copy's completed idempotency record instead
    // of failing as "in progress", and the per-record log keys above stay correct.
    const response = await processPartialResponse(event, recordHandler, processor, { context, processInParallel: false });
    metrics.addMetric('RecordsFailed', MetricUnit.Count, response.batchItemFailures.length);
    return response;
  };

  return middy<SQSEvent, SQSBatchResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(batchHandler);
};

export { createSqsBatchHandler };
export type { RecordOutcome, SqsBatchHandlerDeps, SqsBatchHandlerOptions, WorkerContext };
