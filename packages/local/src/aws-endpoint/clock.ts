/** Time source for the local services, injectable so tests drive visibility timeouts and expiry without sleeping. */
interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `callback` once `delayMs` have passed on this clock; returns a cancel function. */
  setTimer(delayMs: number, callback: () => void): () => void;
}

const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (delayMs, callback) => {
    const timer = setTimeout(callback, delayMs);
    // A parked long poll must not keep a stopping process alive.
    timer.unref();
    return () => clearTimeout(timer);
  },
};

interface PendingTimer {
  dueAt: number;
  sequence: number;
  callback: () => void;
}

/** A clock that only moves when told to: `advance(ms)` fires the timers that became due, in order. */
class ManualClock implements Clock {
  private current: number;
  private timers: PendingTimer[] = [];
  private sequence = 0;

  public constructor(startMs: number = Date.UTC(2026, 0, 1)) {
    this.current = startMs;
  }

  public now(): number {
    return this.current;
  }

  public setTimer(delayMs: number, callback: () => void): () => void {
    const timer: PendingTimer = { dueAt: this.current + Math.max(0, delayMs), sequence: this.sequence++, callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((candidate) => candidate !== timer);
    };
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way at its due time. */
  public advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.timers
        .filter((timer) => timer.dueAt <= target)
        .sort((a, b) => a.dueAt - b.dueAt || a.sequence - b.sequence)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.current = Math.max(this.current, due.dueAt);
      due.callback();
    }
    this.current = target;
  }

  /** Number of timers not fired or cancelled yet (lets tests wait until a long poll is parked). */
  public get pendingTimers(): number {
    return this.timers.length;
  }
}

export { ManualClock, systemClock };
export type { Clock };
