import { describe, expect, it } from 'vitest';
import { backoffDelay, MAX_RETRY_AFTER_MS, parseRetryAfter, retryDelay, retryPolicy } from './retry.js';

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates relative to now', () => {
    // Prepare
    const now = Date.parse('2025-01-01T00:00:00Z');

    // Act
    const results = [
      parseRetryAfter('7', now),
      parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now),
      parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now),
      parseRetryAfter('soon', now),
      parseRetryAfter(null, now),
    ];

    // Assess
    expect(results).toEqual([7_000, 30_000, 0, undefined, undefined]);
  });
});

describe('retry delays', () => {
  it('doubles the backoff ceiling per retry up to maxDelayMs, with half of it random', () => {
    // Prepare
    const policy = retryPolicy({ baseDelayMs: 100, maxDelayMs: 500 });

    // Act
    const lowest = [0, 1, 2, 3, 4].map((retry) => backoffDelay(policy, retry, () => 0));
    const highest = [0, 1, 2, 3, 4].map((retry) => backoffDelay(policy, retry, () => 1));

    // Assess
    expect(lowest).toEqual([50, 100, 200, 250, 250]);
    expect(highest).toEqual([100, 200, 400, 500, 500]);
  });

  it('prefers Retry-After over backoff but caps absurd waits', () => {
    // Prepare
    const policy = retryPolicy({ baseDelayMs: 100, maxDelayMs: 500 });

    // Act
    const honoured = retryDelay(policy, 0, '2');
    const capped = retryDelay(policy, 0, '86400');

    // Assess
    expect(honoured).toBe(2_000);
    expect(capped).toBe(MAX_RETRY_AFTER_MS);
  });
});
