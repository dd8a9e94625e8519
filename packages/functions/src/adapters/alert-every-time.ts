/*
 * Apart from ./alert-once.ts (which re-exports both) because it needs no AWS SDK: the automations, loaded on the
 * worker's first batch, import it, and a lazily loaded module that imports an SDK package makes the worker's bundle
 * evaluate that whole package at load (docs/sync.md, "Measured").
 */

/**
 * "Tell the team once": a record per alert key in Dockmaster's state table, written only when none is live.
 * Powertools idempotency (keyed on the event id) stops a redelivered event; this stops the next event about the
 * same problem (ECR emits one per pull), which carries a new id.
 */
type AlertOnce = {
  /** True when this caller is the first within `ttlSeconds` to claim `key` (and should alert); false otherwise. */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
  /** Gives a claim back (the alert could not be sent), so that the retry claims and sends it. */
  release(key: string): Promise<void>;
};

/** Every claim succeeds: no state table (a worker without DOCKMASTER_STATE_TABLE), so the event id's idempotency is all. */
const alertEveryTime: AlertOnce = { claim: () => Promise.resolve(true), release: () => Promise.resolve() };

export { alertEveryTime };
export type { AlertOnce };
