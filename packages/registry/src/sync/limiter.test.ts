import { describe, expect, it } from 'vitest';
import { createLimiter } from './limiter.js';

describe('createLimiter', () => {
  it('never runs more than `concurrency` tasks at once and runs them all', async () => {
    // Prepare
    const limit = createLimiter(3);
    let active = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const task = (value: number) => async () => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise<void>((resolve) => gates.push(resolve));
      active -= 1;
      return value;
    };

    // Act
    const all = Promise.all([1, 2, 3, 4, 5, 6, 7].map((value) => limit(task(value))));
    const startedBeforeRelease = gates.length;
    while (gates.length > 0 || active > 0) {
      gates.shift()?.();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }

    // Assess
    expect(startedBeforeRelease).toBe(3);
    expect(peak).toBe(3);
    expect(await all).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('frees the slot of a task that failed', async () => {
    // Prepare
    const limit = createLimiter(1);

    // Act
    const failed = limit(async () => {
      throw new Error('boom');
    });
    const next = limit(async () => 'ran');

    // Assess
    await expect(failed).rejects.toThrow('boom');
    expect(await next).toBe('ran');
  });

  it('rejects a concurrency below 1', () => {
    // Prepare, Act, Assess
    expect(() => createLimiter(0)).toThrow('positive integer');
  });
});
