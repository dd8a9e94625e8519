import type { AlertState } from '@dockmaster/core/scan-alert';
import type { DockmasterEvent } from './dockmaster-bus.js';

/**
 * What is stored for one image (repository + digest: the same digest in two repositories may belong to two
 * teams). `revision` guards concurrent writers; `outbox` holds events saved with the state but not yet
 * confirmed sent, so that a failed PutEvents is retried instead of being lost behind the new state.
 */
type ImageRecord = {
  state: AlertState | null;
  revision: number;
  outbox: DockmasterEvent[];
};

/** What the worker and the watchdog remember per repository. */
type RepositoryScanRecord = {
  /** Newest scan result (any of the three event types) for an image of the repository. */
  lastScanAt?: Date;
  /** The silent period (its start, ISO-8601) a Scanning Silent was already sent for. */
  silentReportedFor?: string;
};

/** Which image a tag pointed to at the last complete scan result the worker evaluated for it. */
type TagRecord = { digest: string; at: Date };

/** Another writer saved the image record first; the record is retried and then sees the newer state. */
class ConcurrentUpdateError extends Error {
  public constructor(repository: string, digest: string) {
    super(`the scan-alert state of ${repository}@${digest} changed while this event was evaluated; retrying`);
    this.name = 'ConcurrentUpdateError';
  }
}

/** The scan-alert worker's state; an interface so the worker can be tested against another store. */
type ScanAlertStore = {
  /** The image's record; a record that was never saved has revision 0, no state and an empty outbox. */
  getImage(repository: string, digest: string): Promise<ImageRecord>;
  /** Saves state and outbox if the record is still at `expectedRevision`; throws ConcurrentUpdateError otherwise. Returns the new revision. */
  putImage(repository: string, digest: string, record: { state: AlertState; outbox: DockmasterEvent[] }, expectedRevision: number): Promise<number>;
  /** Empties the outbox once its events are sent; a record that moved on meanwhile was flushed by its writer. */
  clearOutbox(repository: string, digest: string, revision: number): Promise<void>;
  /** Moves lastScanAt forward (never back: events arrive out of order). */
  recordScan(repository: string, at: Date): Promise<void>;
  getRepository(repository: string): Promise<RepositoryScanRecord>;
  /** Records the watchdog's first run unless one is recorded; returns the first run's time. Pushes before it are not held against the scanner. */
  startWatchdog(at: Date): Promise<Date>;
  markSilentReported(repository: string, period: string): Promise<void>;
  /** The image the tag pointed to at the newest scan result recorded for it, if any. */
  getTag(repository: string, tag: string): Promise<TagRecord | undefined>;
  /** Moves the tag to `digest` unless a newer scan result (a later `at`) already moved it; returns whether it moved. */
  putTag(repository: string, tag: string, digest: string, at: Date): Promise<boolean>;
};

export { ConcurrentUpdateError };
export type { ImageRecord, RepositoryScanRecord, ScanAlertStore, TagRecord };
