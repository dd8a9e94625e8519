import type { Logger } from '@aws-lambda-powertools/logger';
import type { DockmasterConfig } from '@dockmaster/core/config';
import { UserFacingError } from '@dockmaster/core/errors';
import type { MiddlewareObj, Request } from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { ConfigLoadOptions } from '../../adapters/config-source.js';
import { type BatchContext, validateOptions } from './batch-context.js';

type ConfigLoaderOptions = {
  /** The configuration; `fresh` reads it past the source's cache. */
  loadConfig: (options?: ConfigLoadOptions) => Promise<DockmasterConfig>;
  logger: Logger;
};

/**
 * Loads the configuration before the batch is processed and hands it on as `context.dockmasterConfig`. A
 * configuration that cannot be loaded fails the whole batch (SQS retries it, then moves it to the DLQ) with a
 * plain log line, since no record can be judged without it.
 */
const configLoader = (options: ConfigLoaderOptions): MiddlewareObj<SQSEvent, SQSBatchResponse, Error, BatchContext> => {
  validateOptions('configLoader', options, { loadConfig: 'function', logger: 'object' });
  const { loadConfig, logger } = options;

  /**
   * The configuration for this batch. A batch that carries a `Parameter Store Change` reads it fresh: the
   * cached copy (up to a minute old) may be the very value the change replaced, e.g. a broken one that was
   * just fixed. A cached copy that is invalid is read fresh once before the batch is given up on, so a fix
   * applies at once instead of after the cache expires plus the queue's visibility timeout.
   */
  const configForBatch = async (event: SQSEvent): Promise<DockmasterConfig> => {
    // Imported on the first batch, not at the worker's load: the configuration stack (schema, yaml, re2js,
    // semver, picomatch) is a large part of a cold start, and the first batch needs it anyway.
    const [{ isConfigChangeRecord }, { ConfigInvalidError }] = await Promise.all([import('../config-change.js'), import('@dockmaster/core/config')]);
    const changed = event.Records.some(isConfigChangeRecord);
    try {
      return await loadConfig({ fresh: changed });
    } catch (error) {
      if (changed || !(error instanceof ConfigInvalidError)) throw error;
      logger.warn('the cached configuration is invalid; reading it again past the cache, in case it was fixed since');
      return await loadConfig({ fresh: true });
    }
  };

  const configLoaderBefore = async (request: Request<SQSEvent, SQSBatchResponse, Error, BatchContext>): Promise<void> => {
    request.context.dockmasterConfig = undefined;
    try {
      request.context.dockmasterConfig = await configForBatch(request.event);
    } catch (error) {
      // The whole batch is retried (and ends in the DLQ) until the config is fixed; say so plainly.
      if (error instanceof UserFacingError) logger.error(`configuration unusable, no record processed: ${error.message}`, { code: error.code });
      else logger.error('loading the configuration failed, no record processed', error as Error);
      throw error;
    }
  };

  return { before: configLoaderBefore };
};

export { configLoader };
export type { ConfigLoaderOptions };
