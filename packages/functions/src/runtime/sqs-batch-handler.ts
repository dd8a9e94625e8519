import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DockmasterConfig } from '@dockmaster/core/config';
import type { AutomationId } from '@dockmaster/core/constants';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import type { DeadLetterQueue } from '../adapters/dead-letter.js';
import { EnvVar } from '../constants.js';
import { batchDeadline } from './batch-deadline.js';
import { classifyFailure, type FailureClassification, FailureKind } from './errors.js';
import type { BatchContext } from './middlewares/batch-context.js';
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
  /** How long a finished record suppresses duplicates; covers EventBridge and SQS redelivery windows. */
  idempotencyTtlSeconds?: number;
  logger: Logger;
  metrics: Metrics;
  clock: () => Date;
  /** Called once, on the first batch: where idempotency records are kept. */
  persistenceStore: () => BasePersistenceLayer;
  /** Called once, on the first permanent failure: where permanent failures go; undefined when none is configured. */
  deadLetterQueue: () => DeadLetterQueue | undefined;
  /** Time kept back from the Lambda timeout to answer (./batch-deadline.ts). */
  deadlineReserveMs?: number;
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
 * The batch step of an SQS-triggered worker: per-record zod parsing, partial batch responses, per-record
 * idempotency, per-record logs and metrics, and the dead-letter settlement of permanent failures. A failed
 * record is classified: transient failures are retried by SQS (batchItemFailures); permanent ones
 * (AccessDenied, a UserFacingError, an event that does not parse) go straight to the worker's DLQ with the
 * reason as message attributes, or, without a configured DLQ, are reported failed like transient ones.
 * The cross-cutting steps run before it as middy middlewares (./middlewares/): configLoader hands over the
 * batch's configuration, pauseSwitch what to do while the automation is paused; handlers/ composes them.
 */
const sqsBatchHandler = <Schema extends z.ZodType>(options: SqsBatchHandlerOptions<Schema>) => {
  const { automation, schema, idempotencyKey, processRecord, idempotencyTtlSeconds = ONE_DAY_SECONDS, logger, metrics, clock } = options;
  const idempotencyConfig = new IdempotencyConfig({ eventKeyJmesPath: idempotencyKey, expiresAfterSeconds: idempotencyTtlSeconds });

  // Built on the first invocation, so that importing a handler module needs no environment (tests, tooling).
  let processIdempotently: typeof processRecord | undefined;
  const getProcessIdempotently = () =>
    (processIdempotently ??= makeIdempotent(processRecord, {
      persistenceStore: options.persistenceStore(),
      config: idempotencyConfig,
      // A fixed prefix keeps keys valid across deployments (the default is the Lambda function name).
      keyPrefix: automation,
    }));
  let deadLetterQueue: { value: DeadLetterQueue | undefined } | undefined;
  const getDeadLetterQueue = () => (deadLetterQueue ??= { value: options.deadLetterQueue() }).value;

  const settlePermanentFailure: SettlePermanentFailure = async (record, failure) => {
    const details = { messageId: record.messageId, errorCode: failure.code, reason: failure.reason };
    const deadLetterQueue = getDeadLetterQueue();
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

  return async (event: SQSEvent, context: BatchContext): Promise<SQSBatchResponse> => {
    const { dockmasterConfig: config, whilePaused } = context;
    if (config === undefined) throw new Error('internal: the batch handler runs after configLoader, which found no configuration');
    const processOne = getProcessIdempotently();
    idempotencyConfig.registerLambdaContext(context);
    const deadline = batchDeadline(context, options.deadlineReserveMs);

    const recordHandler = async (record: { messageId: string; body: z.output<Schema> }): Promise<RecordOutcome> => {
      const parsed = record.body as { id?: string; 'detail-type'?: string };
      logger.appendKeys({ eventId: parsed.id, messageId: record.messageId });
      try {
        return await deadline.run(async () => {
          if (whilePaused) return whilePaused(record.messageId, record.body);
          return processOne(record.body, { automation, config, now: clock(), logger, metrics });
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
};

export { sqsBatchHandler };
export type { RecordOutcome, SqsBatchHandlerOptions, WorkerContext };
