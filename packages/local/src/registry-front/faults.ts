import * as z from 'zod';
import { CountedFaults, MAX_FAULT_COUNT } from '../shared/counted-faults.js';
import { tooManyRequests } from './registry-errors.js';
import type { RegistryErrorBody } from './registry-errors.js';

/**
 * Failures the registry front can be told to answer with, so that clients' retry paths (Retry-After, 5xx
 * backoff) run against it. Each injection has a count and is gone once used up.
 */
const RegistryFaultKind = {
  /** 429 TOOMANYREQUESTS with `Retry-After`, as Docker Hub and ECR's registry rate-limit. */
  TooManyRequests: 'TooManyRequests',
  /** 503 UNAVAILABLE (with `Retry-After` when given). */
  ServiceUnavailable: 'ServiceUnavailable',
  /** 500 UNKNOWN. */
  InternalServerError: 'InternalServerError',
} as const;
type RegistryFaultKind = (typeof RegistryFaultKind)[keyof typeof RegistryFaultKind];
const REGISTRY_FAULT_KINDS = Object.values(RegistryFaultKind) as [RegistryFaultKind, ...RegistryFaultKind[]];

/** Longer waits are better reported than waited for; the registry client caps Retry-After at a minute too. */
const MAX_RETRY_AFTER_SECONDS = 60;

const RegistryFaultSpecSchema = z.strictObject({
  kind: z.enum(REGISTRY_FAULT_KINDS),
  /** How many registry requests fail, whatever they ask for. */
  count: z.number().int().min(1).max(MAX_FAULT_COUNT),
  /** Sent as `Retry-After`; default 1 for TooManyRequests, none otherwise. */
  retryAfterSeconds: z.number().int().min(0).max(MAX_RETRY_AFTER_SECONDS).optional(),
});
type RegistryFaultSpec = z.input<typeof RegistryFaultSpecSchema>;

/** The older shape of `injectFaults`, kept for callers that only throttle. */
interface RegistryFaults {
  /** Answer the next `count` registry requests with 429 TOOMANYREQUESTS and `Retry-After: retryAfterSeconds`. */
  next429?: { count: number; retryAfterSeconds: number };
}

interface PendingRegistryFault {
  id: number;
  kind: RegistryFaultKind;
  remaining: number;
  retryAfterSeconds: number | undefined;
}

type InjectedFault = { kind: 'throttle'; retryAfterSeconds: number } | { kind: 'server-error'; status: 500 | 503; retryAfterSeconds: number | undefined } | undefined;

const DEFAULT_THROTTLE_RETRY_AFTER_SECONDS = 1;

/** Hands out the injected failures one request at a time, first injection first. */
class FaultInjector {
  private readonly faults = new CountedFaults<PendingRegistryFault>();

  public constructor(faults: RegistryFaults = {}) {
    this.set(faults);
  }

  /** Replaces the pending faults (an empty object clears them). */
  public set(faults: RegistryFaults): void {
    this.clear();
    if (faults.next429 !== undefined) this.inject({ kind: RegistryFaultKind.TooManyRequests, ...faults.next429 });
  }

  /** Adds a fault (validated: a bad spec throws a zod error naming the field); returns it as pending. */
  public inject(spec: RegistryFaultSpec): PendingRegistryFault {
    const parsed = RegistryFaultSpecSchema.parse(spec);
    return this.faults.add((id) => ({
      id,
      kind: parsed.kind,
      remaining: parsed.count,
      retryAfterSeconds: parsed.retryAfterSeconds ?? (parsed.kind === RegistryFaultKind.TooManyRequests ? DEFAULT_THROTTLE_RETRY_AFTER_SECONDS : undefined),
    }));
  }

  /** The fault for the request now arriving, if any; consumes it. */
  public take(): InjectedFault {
    const fault = this.faults.take();
    if (fault === undefined) return undefined;
    switch (fault.kind) {
      case RegistryFaultKind.TooManyRequests:
        return { kind: 'throttle', retryAfterSeconds: fault.retryAfterSeconds ?? DEFAULT_THROTTLE_RETRY_AFTER_SECONDS };
      case RegistryFaultKind.ServiceUnavailable:
        return { kind: 'server-error', status: 503, retryAfterSeconds: fault.retryAfterSeconds };
      case RegistryFaultKind.InternalServerError:
        return { kind: 'server-error', status: 500, retryAfterSeconds: fault.retryAfterSeconds };
    }
  }

  public pending(): PendingRegistryFault[] {
    return this.faults.pending();
  }

  /** Removes every pending fault; returns how many there were. */
  public clear(): number {
    return this.faults.clear();
  }
}

/** The registry error a fault is answered with, in the distribution spec's error format. */
function faultResponse(fault: Exclude<InjectedFault, undefined>): RegistryErrorBody {
  if (fault.kind === 'throttle') return tooManyRequests(fault.retryAfterSeconds);
  const retryAfter = fault.retryAfterSeconds === undefined ? {} : { headers: { 'Retry-After': String(fault.retryAfterSeconds) } };
  return fault.status === 503
    ? { status: 503, code: 'UNAVAILABLE', message: 'Service Unavailable (injected by the local stack)', ...retryAfter }
    : { status: 500, code: 'UNKNOWN', message: 'Internal Server Error (injected by the local stack)', ...retryAfter };
}

export { FaultInjector, faultResponse, REGISTRY_FAULT_KINDS, RegistryFaultKind, RegistryFaultSpecSchema };
export type { InjectedFault, PendingRegistryFault, RegistryFaults, RegistryFaultSpec };
