/*
 * A counting semaphore and a bounded map. Hand-written (about 30 lines) rather than p-limit: the workers
 * need nothing else from such a library, and one more runtime dependency in every Lambda bundle is not
 * worth it.
 */

/** Runs tasks with at most `max` of them in flight; the rest wait in arrival order. */
type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

const createLimiter = (max: number): Limiter => {
  if (!Number.isInteger(max) || max < 1) throw new Error(`concurrency must be a positive integer, got ${max}`);
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    // A finishing task hands its slot straight to the next waiter, so a newcomer can never slip in between.
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
};

/** Maps every item with at most `max` calls in flight; results keep the items' order. Rejects on the first failure. */
const mapWithConcurrency = async <T, R>(items: readonly T[], max: number, map: (item: T, index: number) => Promise<R>): Promise<R[]> => {
  const limit = createLimiter(max);
  return Promise.all(items.map((item, index) => limit(() => map(item, index))));
};

export { createLimiter, mapWithConcurrency };
export type { Limiter };
