import type { AutomationId } from '../constants.js';
import { UserFacingError } from '../errors.js';

/** SQS queue names: 1-80 characters of [A-Za-z0-9_-] (standard queues). */
const SQS_QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;

type QueueNames = {
  /** The automation's queue: `<bus>-<automation>`. */
  queue: string;
  /** Its dead-letter queue: `<bus>-<automation>-dlq`. */
  deadLetter: string;
  /** The CloudWatch alarm on the dead-letter queue: `<bus>-<automation>-dlq-not-empty`. */
  deadLetterAlarm: string;
};

/**
 * The names of an automation's queues and DLQ alarm, derived from Dockmaster's bus name (`dockmaster-<stage>`
 * when deployed, `dockmaster` locally). Fixed names rather than generated ones, so that `dockmaster redrive
 * --stage <stage>` finds the queues of a deployment from the stage alone, as it finds the local stack's.
 */
const queueNames = (busName: string, automation: AutomationId): QueueNames => {
  const queue = `${busName}-${automation}`;
  const names = { queue, deadLetter: `${queue}-dlq`, deadLetterAlarm: `${queue}-dlq-not-empty` };
  if (!SQS_QUEUE_NAME.test(names.deadLetter)) {
    throw new UserFacingError(
      'QUEUE_NAME_INVALID',
      `The queue name "${names.deadLetter}" (from the bus name "${busName}") is not a valid SQS name (1-80 of A-Z a-z 0-9 _ -); use a shorter stage or app name.`,
    );
  }
  return names;
};

export { queueNames };
export type { QueueNames };
