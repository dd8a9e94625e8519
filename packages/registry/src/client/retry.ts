import { setTimeout as delay } from 'node:timers/promises';

interface RetryOptions {
  /** Total tries per request, first one included. Default 4. */
  attempts?: number;
  /** First backoff delay before jitter. Default 200 ms. */
  baseDelayMs?: number;
  /** Backoff ceiling. Default 5 s. `Retry-After` may ask for longer, up to MAX_RETRY_AFTER_MS. */
  maxDelayMs?: number;
  /** Injected by tests to record delays instead of waiting. */
  sleep?: (ms: number) => Promise<void>;
}

interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

/** A registry asking for more than a minute is better reported than waited for inside one request. */
const MAX_RETRY_AFTER_MS = 60_000;

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

function retryPolicy(options: RetryOptions | undefined): RetryPolicy {
  return {
    attempts: Math.max(1, options?.attempts ?? 4),
    baseDelayMs: Math.max(0, options?.baseDelayMs ?? 200),
    maxDelayMs: Math.max(0, options?.maxDelayMs ?? 5_000),
    sleep: options?.sleep ?? (async (ms) => delay(ms)),
  };
}

function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/** `Retry-After` as delta-seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with "equal jitter": half fixed, half random, so clients that failed together spread out. */
function backoffDelay(policy: RetryPolicy, retryIndex: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The wait before retry number `retryIndex` (0-based): the server's Retry-After when given, else backoff. */
function retryDelay(policy: RetryPolicy, retryIndex: number, retryAfterHeader: string | null): number {
  const retryAfter = parseRetryAfter(retryAfterHeader);
  return retryAfter === undefined ? backoffDelay(policy, retryIndex) : Math.min(retryAfter, MAX_RETRY_AFTER_MS);
}

export { backoffDelay, isRetryableStatus, MAX_RETRY_AFTER_MS, parseRetryAfter, retryDelay, retryPolicy };
export type { RetryOptions, RetryPolicy };
