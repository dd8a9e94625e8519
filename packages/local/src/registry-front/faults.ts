/** Failures the front can be told to inject, so clients' retry paths can be tested against it. */
interface RegistryFaults {
  /** Answer the next `count` registry requests with 429 TOOMANYREQUESTS and `Retry-After: retryAfterSeconds`. */
  next429?: { count: number; retryAfterSeconds: number };
}

type InjectedFault = { kind: 'throttle'; retryAfterSeconds: number } | undefined;

/** Hands out the injected failures one request at a time. */
class FaultInjector {
  private throttle: { remaining: number; retryAfterSeconds: number } | undefined;

  public constructor(faults: RegistryFaults = {}) {
    this.set(faults);
  }

  /** Replaces the pending faults (an empty object clears them). */
  public set(faults: RegistryFaults): void {
    this.throttle = faults.next429 === undefined ? undefined : { remaining: faults.next429.count, retryAfterSeconds: faults.next429.retryAfterSeconds };
  }

  /** The fault for the request now arriving, if any; consumes it. */
  public take(): InjectedFault {
    if (this.throttle === undefined || this.throttle.remaining <= 0) return undefined;
    this.throttle.remaining -= 1;
    return { kind: 'throttle', retryAfterSeconds: this.throttle.retryAfterSeconds };
  }
}

export { FaultInjector };
export type { InjectedFault, RegistryFaults };
