/** Runs a task once a slot is free; at most `concurrency` tasks run at the same time. */
type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A counting semaphore in a dozen lines: the registry package has no runtime dependency besides zod, and
 * p-limit would be one more for this alone. Slots are handed over in FIFO order.
 */
function createLimiter(concurrency: number): Limiter {
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) running -= 1;
    else next(); // the slot passes straight to the next task, so `running` stays the same
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running < concurrency) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      release();
    }
  };
}

export { createLimiter };
export type { Limiter };
