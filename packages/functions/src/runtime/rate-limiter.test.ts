import { describe, expect, it } from 'vitest';
import { createPace } from './rate-limiter.js';

describe('createPace', () => {
  it('starts a second’s worth at once, then one per 1/rate, in arrival order', async () => {
    // Prepare: 50 a second, 60 requests at once; a clock the test reads from performance.now.
    const pace = createPace(50);
    const started: number[] = [];
    const t0 = performance.now();

    // Act
    await Promise.all(Array.from({ length: 60 }, (_, index) => pace(async () => started.push(index))));
    const elapsedMs = performance.now() - t0;

    // Assess: order kept; the ten beyond the first second's worth needed about 10/50 s (never less).
    expect(started).toEqual(Array.from({ length: 60 }, (_, index) => index));
    expect(elapsedMs).toBeGreaterThanOrEqual(190);
  });

  it('refuses a rate that is not positive', () => {
    // Assess
    expect(() => createPace(0)).toThrow(/positive rate/);
  });
});
