import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { ConfigInvalidError, isAutomationPaused, type DockmasterConfig } from '@dockmaster/core/config';
import type { AutomationId } from '@dockmaster/core/constants';
import { UserFacingError } from '@dockmaster/core/errors';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { batchDeadline } from './batch-deadline.js';
import { isConfigChangeRecord } from './config-change.js';
import { configSourceFromEnvironment, type ConfigLoadOptions } from '../adapters/config-source.js';
import { EnvVar, METRIC_NAMESPACE, requireEnv } from '../constants.js';
import { deadLetterQueueFromEnvironment, type DeadLetterQueue } from '../adapters/dead-letter.js';
import { classifyFailure, type FailureClassification, FailureKind } from './errors.js';
import { createPausedRecordQueue, isKeptWhilePaused, PAUSED_RECORD_DELAY_SECONDS, type PausedRecordQueue } from '../adapters/paused-records.js';
import { parseSqsRecord, sqsRecordWithJsonBody } from './sqs-record-parser.js';

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
  /** The configuration; `fresh` reads it past the 60-second cache. Default: the store named by the environment. */
  loadConfig: (options?: ConfigLoadOptions) => Promise<DockmasterConfig>;
  persistenceStore: BasePersistenceLayer;
  clock: () => Date;
  logger: Logger;
  metrics: Metrics;
  /** Where permanent failures go; default: the automation's DLQ named by EnvVar.DeadLetterQueueUrl, if set. */
  deadLetterQueue: DeadLetterQueue | undefined;
  /** Where a paused automation keeps its records (./paused-records.ts); default: the queue each record came from. */
  pausedRecords: PausedRecordQueue;
  /** Time kept back from the Lambda timeout to answer (./batch-deadline.ts). */
  deadlineReserveMs: number;
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

type ProcessedRecord = Parameters<BatchProcessor['failureHandler']>[0];
type ProcessorConfig = ConstructorParameters<typeof BatchProcessor>[1];
/** Moves a permanently failed record to the DLQ; true when it did (the record then counts as handled). */
type SettlePermanentFailure = (record: SQSRecord, failure: FailureClassification) => Promise<boolean>;

/**
 * Powertools' BatchProcessor, except that a permanent failure (./errors.ts) is first offered to `settle`:
 * when that moved the record to the DLQ, the record counts as handled and SQS deletes it; otherwise it is a
 * batch item failure as usual. Hooking failureHandler also catches parse failures, which happen before the
 * record handler runs. failureHandler is synchronous, so it only notes the failure; processRecord settles it.
 */
class PermanentFailureProcessor extends BatchProcessor {
  private readonly permanent = new Map<ProcessedRecord, { error: Error; failure: FailureClassification }>();
  private readonly settle: SettlePermanentFailure;

  public constructor(config: ProcessorConfig, settle: SettlePermanentFailure) {
    super(EventType.SQS, config);
    this.settle = settle;
  }

  public override failureHandler(record: ProcessedRecord, error: Error): ReturnType<BatchProcessor['failureHandler']> {
    const failure = classifyFailure(error);
    if (failure.kind !== FailureKind.Permanent) return super.failureHandler(record, error);
    this.permanent.set(record, { error, failure });
    return ['fail', error.message, record];
  }

  public override async processRecord(record: Parameters<BatchProcessor['processRecord']>[0]): ReturnType<BatchProcessor['processRecord']> {
    const response = await super.processRecord(record);
    const pending = this.permanent.get(record as ProcessedRecord);
    if (pending === undefined) return response;
    this.permanent.delete(record as ProcessedRecord);
    const moved = await this.settle(record as SQSRecord, pending.failure);
    return moved ? this.successHandler(record as ProcessedRecord, { outcome: 'dead-lettered' }) : super.failureHandler(record as ProcessedRecord, pending.error);
  }
}

/**
 * Builds an SQS-triggered worker: per-record zod parsing, partial batch responses, per-record idempotency,
 * structured logs, metrics, and the per-automation pause switch of the config file. A failed record is
 * classified: transient failures are retried by SQS (batchItemFailures); permanent ones (AccessDenied, a
 * UserFacingError, an event that does not parse) go straight to the worker's DLQ with the reason as message
 * attributes, or, without a configured DLQ, are reported failed like transient ones.
 */
const createSqsBatchHandler = <Schema extends z.ZodType>(options: SqsBatchHandlerOptions<Schema>) => {
  const { automation, schema, idempotencyKey, processRecord, idempotencyTtlSeconds = ONE_DAY_SECONDS } = options;
  const logger = options.deps?.logger ?? new Logger({ serviceName: automation });
  const metrics = options.deps?.metrics ?? new Metrics({ namespace: METRIC_NAMESPACE, serviceName: automation });
  const clock = options.deps?.clock ?? (() => new Date());
  const idempotencyConfig = new IdempotencyConfig({ eventKeyJmesPath: idempotencyKey, expiresAfterSeconds: idempotencyTtlSeconds });

  // Built on the first invocation, so that importing a handler module needs no environment (tests, tooling).
  let runtime:
    | {
        loadConfig: SqsBatchHandlerDeps['loadConfig'];
        processIdempotently: typeof processRecord;
        deadLetterQueue: DeadLetterQueue | undefined;
        pausedRecords: PausedRecordQueue;
      }
    | undefined;
  const getRuntime = () => {
    runtime ??= {
      // This handler's own source (and cache), as every Lambda function has its own: never shared between workers.
      loadConfig: options.deps?.loadConfig ?? configSourceFromEnvironment({ onWarning: (message) => logger.warn(message) }).load,
      pausedRecords: options.deps?.pausedRecords ?? createPausedRecordQueue(),
      processIdempotently: makeIdempotent(processRecord, {
        persistenceStore: options.deps?.persistenceStore ?? new DynamoDBPersistenceLayer({ tableName: requireEnv(EnvVar.IdempotencyTable) }),
        config: idempotencyConfig,
        // A fixed prefix keeps keys valid across deployments (the default is the Lambda function name).
        keyPrefix: automation,
      }),
      deadLetterQueue: options.deps && 'deadLetterQueue' in options.deps ? options.deps.deadLetterQueue : deadLetterQueueFromEnvironment(automation),
    };
    return runtime;
  };

  const settlePermanentFailure: SettlePermanentFailure = async (record, failure) => {
    const details = { messageId: record.messageId, errorCode: failure.code, reason: failure.reason };
    const { deadLetterQueue } = getRuntime();
    if (deadLetterQueue === undefined) {
      logger.error(
        `record failed permanently (${failure.code}) but no dead-letter queue is configured (${EnvVar.DeadLetterQueueUrl}): it is reported ` +
          'failed, SQS retries it until maxReceiveCount and then moves it to the DLQ without a reason; the reason is only in this log',
        details,
      );
      return false;
    }
    try {
      await deadLetterQueue.send({ record, automation, errorCode: failure.code, reason: failure.reason, failedAt: clock() });
    } catch (error) {
      logger.error(`record failed permanently (${failure.code}) and sending it to the dead-letter queue failed; it is reported failed so SQS retries it`, {
        ...details,
        error: error as Error,
      });
      return false;
    }
    logger.warn(`moved the record to the dead-letter queue without retrying (retrying cannot fix ${failure.code}); fix the cause, then: dockmaster redrive --queue ${automation}`, {
      ...details,
      deadLetterQueue: deadLetterQueue.queueUrl,
    });
    metrics.addMetric('RecordsDeadLettered', MetricUnit.Count, 1);
    return true;
  };
  const processor = new PermanentFailureProcessor({ parser: parseSqsRecord, schema: sqsRecordWithJsonBody(schema), logger }, settlePermanentFailure);

  /**
   * The configuration for this batch. A batch that carries a `Parameter Store Change` reads it fresh: the
   * cached copy (up to a minute old) may be the very value the change replaced, e.g. a broken one that was
   * just fixed. A cached copy that is invalid is read fresh once before the batch is given up on, so a fix
   * applies at once instead of after the cache expires plus the queue's visibility timeout.
   */
  const configForBatch = async (event: SQSEvent, loadConfig: SqsBatchHandlerDeps['loadConfig']): Promise<DockmasterConfig> => {
    const changed = event.Records.some(isConfigChangeRecord);
    try {
      return await loadConfig({ fresh: changed });
    } catch (error) {
      if (changed || !(error instanceof ConfigInvalidError)) throw error;
      logger.warn('the cached configuration is invalid; reading it again past the cache, in case it was fixed since');
      return await loadConfig({ fresh: true });
    }
  };

  const batchHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const { loadConfig, processIdempotently, pausedRecords } = getRuntime();
    idempotencyConfig.registerLambdaContext(context);
    let config: DockmasterConfig;
    try {
      config = await configForBatch(event, loadConfig);
    } catch (error) {
      // The whole batch is retried (and ends in the DLQ) until the config is fixed; say so plainly.
      if (error instanceof UserFacingError) logger.error(`configuration unusable, no record processed: ${error.message}`, { code: error.code });
      else logger.error('loading the configuration failed, no record processed', error as Error);
      throw error;
    }
    const deadline = batchDeadline(context, options.deps?.deadlineReserveMs);
    const received = new Map(event.Records.map((record) => [record.messageId, record]));

    /** A paused automation keeps its events for later (./paused-records.ts) instead of dropping them. */
    const whilePaused = async (messageId: string, body: unknown): Promise<RecordOutcome> => {
      const detailType = (body as { 'detail-type'?: string })['detail-type'];
      if (!isKeptWhilePaused(body)) {
        logger.info(`automation "${automation}" is paused in the configuration (automations.${automation}.paused); periodic run skipped, the next one after the resume catches up`, { detailType });
        metrics.addMetric('RecordsSkippedPaused', MetricUnit.Count, 1);
        return { outcome: 'paused' };
      }
      const record = received.get(messageId);
      // Cannot happen (the processor hands over the event's own records); failing keeps the record in SQS.
      if (record === undefined) throw new Error(`internal: record ${messageId} is not in the batch`);
      await pausedRecords.keep(record);
      logger.info(
        `automation "${automation}" is paused in the configuration (automations.${automation}.paused); the event is kept in the queue ` +
          `and looked at again in ${PAUSED_RECORD_DELAY_SECONDS} s`,
        { detailType },
      );
      metrics.addMetric('RecordsKeptPaused', MetricUnit.Count, 1);
      return { outcome: 'paused-kept' };
    };

    const recordHandler = async (record: { messageId: string; body: z.output<Schema> }): Promise<RecordOutcome> => {
      const parsed = record.body as { id?: string; 'detail-type'?: string };
      logger.appendKeys({ eventId: parsed.id, messageId: record.messageId });
      try {
        return await deadline.run(async () => {
          if (isAutomationPaused(config, automation)) return whilePaused(record.messageId, record.body);
          return processIdempotently(record.body, { automation, config, now: clock(), logger, metrics });
        });
      } catch (error) {
        const failure = classifyFailure(error);
        if (failure.kind === FailureKind.Transient) {
          logger.error(`record failed (${failure.code}); SQS retries it after the visibility timeout, then moves it to the dead-letter queue`, error as Error);
        } else {
          logger.error(`record failed permanently (${failure.code}): retrying cannot help`, error as Error);
        }
        throw error;
      } finally {
        logger.removeKeys(['eventId', 'messageId']);
      }
    };

    // Sequential: a duplicate inside one batch then finds the first copy's completed idempotency record instead
    // of failing as "in progress", and the per-record log keys above stay correct. A batch whose every record
    // failed is still answered record by record (Powertools would throw FullBatchFailureError), so each record
    // keeps its own retry count and reason instead of one generic Lambda error for the whole batch.
    const response = await processPartialResponse(event, recordHandler, processor, {
      context,
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
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
