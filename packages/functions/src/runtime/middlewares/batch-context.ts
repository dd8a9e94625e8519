import type { DockmasterConfig } from '@dockmaster/core/config';
import type { Context } from 'aws-lambda';
import type { RecordOutcome } from '../sqs-batch-handler.js';

/**
 * The Lambda context as the batch handler gets it: the middlewares before it add what they found out about
 * the batch (middy's way of passing values on, as its own ssm/secrets middlewares do). Each middleware sets its
 * field on every invocation, so a context object reused by a caller never carries the last batch's values.
 */
type BatchContext = Context & {
  /** The configuration for this batch (configLoader). */
  dockmasterConfig?: DockmasterConfig;
  /** Set while the automation is paused (pauseSwitch): what to do with a record instead of processing it. */
  whilePaused?: (messageId: string, body: unknown) => Promise<RecordOutcome>;
};

/** A middleware's options, checked when the worker is built so a wiring mistake fails at import, not per batch. */
const validateOptions = (middleware: string, options: Record<string, unknown>, expected: Record<string, 'function' | 'object' | 'string'>): void => {
  for (const [name, type] of Object.entries(expected)) {
    const value = options[name];
    if (typeof value !== type || value === null) throw new TypeError(`${middleware}: option "${name}" must be a ${type}, got ${value === null ? 'null' : typeof value}`);
  }
};

export { validateOptions };
export type { BatchContext };
