import { describe, expect, it } from 'vitest';
import { FaultInjector, faultResponse } from './faults.js';

describe('registry front faults', () => {
  it('hands out each injected fault `count` times, first injection first, then nothing', () => {
    // Prepare
    const faults = new FaultInjector();
    faults.inject({ kind: 'TooManyRequests', count: 2, retryAfterSeconds: 3 });
    faults.inject({ kind: 'ServiceUnavailable', count: 1 });

    // Act
    const taken = [faults.take(), faults.take(), faults.take(), faults.take()];

    // Assess
    expect(taken).toEqual([
      { kind: 'throttle', retryAfterSeconds: 3 },
      { kind: 'throttle', retryAfterSeconds: 3 },
      { kind: 'server-error', status: 503, retryAfterSeconds: undefined },
      undefined,
    ]);
  });

  it('answers 429 with Retry-After (1 s unless given) and 5xx in the distribution error format', () => {
    // Prepare
    const faults = new FaultInjector();
    faults.inject({ kind: 'TooManyRequests', count: 1 });
    faults.inject({ kind: 'InternalServerError', count: 1, retryAfterSeconds: 2 });

    // Act
    const [throttled, failed] = [faults.take(), faults.take()].map((fault) => (fault === undefined ? undefined : faultResponse(fault)));

    // Assess
    expect(throttled).toMatchObject({ status: 429, code: 'TOOMANYREQUESTS', headers: { 'Retry-After': '1' } });
    expect(failed).toMatchObject({ status: 500, code: 'UNKNOWN', headers: { 'Retry-After': '2' } });
  });

  it('keeps the older next429 form, replacing whatever was pending', () => {
    // Prepare
    const faults = new FaultInjector();
    faults.inject({ kind: 'InternalServerError', count: 5 });

    // Act
    faults.set({ next429: { count: 1, retryAfterSeconds: 4 } });

    // Assess
    expect(faults.pending()).toMatchObject([{ kind: 'TooManyRequests', remaining: 1, retryAfterSeconds: 4 }]);
  });

  it('refuses faults without a bound and clears what is pending', () => {
    // Prepare
    const faults = new FaultInjector();
    faults.inject({ kind: 'ServiceUnavailable', count: 2 });

    // Act
    const unbounded = () => faults.inject({ kind: 'TooManyRequests', count: 0 });
    const tooLong = () => faults.inject({ kind: 'TooManyRequests', count: 1, retryAfterSeconds: 3_600 });
    const cleared = faults.clear();

    // Assess
    expect(unbounded).toThrow();
    expect(tooLong).toThrow();
    expect(cleared).toBe(1);
    expect(faults.take()).toBeUndefined();
  });
});
