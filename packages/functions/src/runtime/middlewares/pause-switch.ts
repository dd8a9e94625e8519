import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AutomationId } from '@dockmaster/core/constants';
import type { MiddlewareObj, Request } from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { isKeptWhilePaused, PAUSED_RECORD_DELAY_SECONDS, type PausedRecordQueue } from '../../adapters/paused-records.js';
import type { RecordOutcome } from '../sqs-batch-handler.js';
import { type BatchContext, validateOptions } from './batch-context.js';

type PauseSwitchOptions = {
  automation: AutomationId;
  /** Where a paused automation keeps its records (adapters/paused-records.ts). */
  pausedRecords: PausedRecordQueue;
  logger: Logger;
  metrics: Metrics;
};

/**
 * The per-automation pause switch of the configuration (`automations.<id>.paused`). Runs after configLoader;
 * while the automation is paused it sets `context.whilePaused`, which the batch handler calls for each parsed
 * record instead of processing it: events are kept in the queue for later, periodic runs are skipped (the next
 * run after the resume catches up).
 */
const pauseSwitch = (options: PauseSwitchOptions): MiddlewareObj<SQSEvent, SQSBatchResponse, Error, BatchContext> => {
  validateOptions('pauseSwitch', options, { automation: 'string', pausedRecords: 'object', logger: 'object', metrics: 'object' });
  const { automation, pausedRecords, logger, metrics } = options;

  const pauseSwitchBefore = async (request: Request<SQSEvent, SQSBatchResponse, Error, BatchContext>): Promise<void> => {
    const config = request.context.dockmasterConfig;
    if (config === undefined) throw new Error('internal: pauseSwitch runs after configLoader, which found no configuration');
    request.context.whilePaused = undefined;
    // Loaded on the first batch with the rest of the configuration stack (./config-loader.ts), not at the worker's load.
    const { isAutomationPaused } = await import('@dockmaster/core/config');
    if (!isAutomationPaused(config, automation)) return;
    const received = new Map(request.event.Records.map((record) => [record.messageId, record]));

    /** A paused automation keeps its events for later (adapters/paused-records.ts) instead of dropping them. */
    request.context.whilePaused = async (messageId: string, body: unknown): Promise<RecordOutcome> => {
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
  };

  return { before: pauseSwitchBefore };
};

export { pauseSwitch };
export type { PauseSwitchOptions };
