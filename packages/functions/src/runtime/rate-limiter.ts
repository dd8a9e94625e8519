import { setTimeout as delay } from 'node:timers/promises';

/*
 * A client-side request pace: at most `perSecond` starts a second, a second's worth at once. Hand-written
 * (about 25 lines) because the SDK's adaptive retry mode only slows down after ECR has throttled, and then to
 * well below the rate ECR grants (it cuts its rate by 30 % per throttle and regrows slowly), which made a
 * sweep of 10,000 repositories take half again as long as ECR's rate allows (docs/operations.md).
 */

/** Waits until the pace allows one more request, then runs it. */
type Pace = <T>(task: () => Promise<T>) => Promise<T>;

const createPace = (perSecond: number, now: () => number = () => performance.now()): Pace => {
  if (!(perSecond > 0)) throw new Error(`a pace needs a positive rate, got ${perSecond}`);
  let tokens = perSecond;
  let updatedAt = now();
  // Callers are served in arrival order: each waits for the slot the previous one left.
  let queue: Promise<void> = Promise.resolve();
  const takeToken = async (): Promise<void> => {
    for (;;) {
      const current = now();
      tokens = Math.min(perSecond, tokens + ((current - updatedAt) / 1000) * perSecond);
      updatedAt = current;
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await delay(Math.ceil(((1 - tokens) / perSecond) * 1000));
    }
  };
  return async (task) => {
    const turn = queue.then(takeToken);
    queue = turn;
    await turn;
    return task();
  };
};

export { createPace };
export type { Pace };
