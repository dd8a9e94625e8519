/**
 * The queue behind every fault injector of the local stack (the AWS endpoint's and the registry front's):
 * each injection fails `count` requests and is then gone, first injection first, so no fault outlives a test.
 */

/** Faults stop by themselves: no injection fails more requests than this. */
const MAX_FAULT_COUNT = 10_000;

interface CountedFault {
  id: number;
  /** Requests this fault still fails. */
  remaining: number;
}

class CountedFaults<Fault extends CountedFault> {
  private faults: Fault[] = [];
  private nextId = 1;

  /** Queues the fault `make` builds around a fresh id; returns a copy of it as pending. */
  public add(make: (id: number) => Fault): Fault {
    const fault = make(this.nextId++);
    this.faults.push(fault);
    return { ...fault };
  }

  /** The first pending fault that `matches` the request, if any, with one of its count used up (gone at zero). */
  public take(matches: (fault: Fault) => boolean = () => true): Fault | undefined {
    const index = this.faults.findIndex(matches);
    const fault = this.faults[index];
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }

  public pending(): Fault[] {
    return this.faults.map((fault) => ({ ...fault }));
  }

  /** Removes every pending fault; returns how many there were. */
  public clear(): number {
    const count = this.faults.length;
    this.faults = [];
    return count;
  }
}

export { CountedFaults, MAX_FAULT_COUNT };
export type { CountedFault };
