import type { RepositoryLock } from './repository-lock.js';

/*
 * Apart from ./repository-lock.ts (which re-exports it) because it needs no AWS SDK: the cache-repository
 * automation, loaded on the worker's first batch, imports it, and a lazily loaded module that imports an SDK
 * package makes the worker's bundle evaluate that whole package at load (docs/sync.md, "Measured").
 */

/** No mutual exclusion: for tools that run alone (the CLI) and for tests. */
const unlockedRepositories: RepositoryLock = { withLease: (_key, work) => work() };

export { unlockedRepositories };
