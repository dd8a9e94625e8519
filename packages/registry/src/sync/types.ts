import type { RegistryClient } from '../client/index.js';
import type { SyncState } from './state.js';

/** The client methods a sync uses, so wrappers (counting, logging) can stand in for a RegistryClient. */
type SyncRegistry = Pick<RegistryClient, 'baseUrl' | 'listTags' | 'headManifest' | 'getManifest' | 'putManifest' | 'headBlob' | 'openBlobReadable' | 'uploadBlob' | 'mountBlob'>;

interface SyncOptions {
  source: SyncRegistry;
  target: SyncRegistry;
  /** Repositories to copy, every tag, under the same name in the target. */
  repositories: readonly string[];
  /** Images copied at once, and blob transfers at once. Default 8. */
  concurrency?: number;
  /** A previous run's state: tags whose source digest is unchanged are skipped with no target request. */
  state?: SyncState;
  /** Called after listing, after each image and as bytes stream; cheap to call often, so throttle any rendering. */
  onProgress?: (progress: SyncProgress) => void;
}

/** Why an image needed no copy. */
const SkipReason = {
  /** The state file says this digest already went to this target. */
  State: 'state',
  /** The target's tag already points at the source digest (one HEAD). */
  TargetCurrent: 'target-current',
} as const;
type SkipReason = (typeof SkipReason)[keyof typeof SkipReason];

type SyncImageResult =
  | { repository: string; tag: string; status: 'copied'; digest: string; mediaType: string }
  | { repository: string; tag: string; status: 'skipped'; digest: string; reason: SkipReason }
  | { repository: string; tag: string; status: 'failed'; digest?: string; error: string };

interface SyncRepositoryError {
  repository: string;
  error: string;
}

interface SyncProgress {
  /** Known once every repository's tags are listed; 0 before. */
  imagesTotal: number;
  imagesDone: number;
  imagesFailed: number;
  /** Blob bytes streamed to the target so far (uploads only: mounts and skips move no bytes). */
  bytesUploaded: number;
  elapsedSeconds: number;
  /** The image this update is about, when one just finished. */
  finished?: SyncImageResult;
}

interface SyncReport {
  images: SyncImageResult[];
  /** Repositories whose tags could not be listed (none of their images was tried). */
  repositoryErrors: SyncRepositoryError[];
  imagesCopied: number;
  imagesSkipped: number;
  imagesFailed: number;
  blobsUploaded: number;
  blobsMounted: number;
  /** Blobs the target repository already had (found by HEAD). */
  blobsSkipped: number;
  /** Bytes of completed blob uploads. */
  bytesUploaded: number;
  /** Manifests written (index children by digest, then tags). */
  manifestsPut: number;
  seconds: number;
  /** The state to keep for the next run (entries of copied and verified images, vanished tags pruned). */
  state: SyncState;
  /** False when the run changed nothing in the state, so there is no need to rewrite the file. */
  stateChanged: boolean;
}

export { SkipReason };
export type { SyncImageResult, SyncOptions, SyncProgress, SyncRegistry, SyncReport, SyncRepositoryError };
