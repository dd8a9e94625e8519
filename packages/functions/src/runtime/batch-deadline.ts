import type { Context } from 'aws-lambda';

/**
 * Time kept back from the Lambda timeout to answer: the partial batch response, the metrics flush and the
 * logs. A record still running then is reported failed instead of letting Lambda time the invocation out,
 * which would fail the whole batch (every record back after the visibility timeout, one receive burnt each).
 */
const DEADLINE_RESERVE_MS = 5_000;

/** A record not started, or given up, because the invocation is about to time out: SQS retries it. */
class OutOfTimeError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'OutOfTimeError';
  }
}

type BatchDeadline = {
  /**
   * Runs `work` unless the invocation's time is (nearly) up, and gives up on it when it is: throws
   * OutOfTimeError (a transient failure: SQS retries the record). Work given up on is left running, its
   * result ignored; an idempotent retry (Powertools bounds an in-progress record by the remaining time)
   * redoes it.
   */
  run<T>(work: () => Promise<T>): Promise<T>;
};

/**
 * The invocation's deadline from Lambda's context, `reserveMs` before the timeout. Hand-written: Powertools'
 * batch processor has no deadline of its own (it would run every record until Lambda kills the invocation).
 */
const batchDeadline = (context: Pick<Context, 'getRemainingTimeInMillis'>, reserveMs: number = DEADLINE_RESERVE_MS): BatchDeadline => ({
  run: async (work) => {
    const available = context.getRemainingTimeInMillis() - reserveMs;
    if (available <= 0) {
      throw new OutOfTimeError(`not started: ${context.getRemainingTimeInMillis()} ms left before the Lambda timeout; SQS retries it after the visibility timeout`);
    }
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new OutOfTimeError(`given up ${reserveMs} ms before the Lambda timeout; SQS retries it after the visibility timeout`)),
        available,
      );
    });
    const running = work();
    // A record given up on may still fail later; that must not become an unhandled rejection (it ends the process).
    running.catch(() => undefined);
    try {
      return await Promise.race([running, deadline]);
    } finally {
      clearTimeout(timer);
    }
  },
});

export { batchDeadline, DEADLINE_RESERVE_MS, OutOfTimeError };
export type { BatchDeadline };
