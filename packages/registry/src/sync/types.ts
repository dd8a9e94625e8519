import type { RegistryClient } from '../client/index.js';
import type { SyncState } from './state.js';

/** The client methods a sync uses, so wrappers (counting, logging) can stand in for a RegistryClient. */
type SyncRegistry = Pick<RegistryClient, 'baseUrl' | 'listTags' | 'headManifest' | 'getManifest' | 'putManifest' | 'headBlob' | 'openBlobReadable' | 'uploadBlob' | 'mountBlob'>;

/**
 * A tag to copy. With `digest` the caller has already resolved the tag (a HEAD of its own): that digest is
 * copied and tagged, and the source is not asked again.
 */
type ChosenTag = string | { tag: string; digest: string };

/** One source repository copied into a target repository, which may have another name: every tag, or chosen ones. */
interface RepositoryCopy {
  /** Repository in the source registry, e.g. `dotnet/runtime`. */
  source: string;
  /** Repository in the target registry, e.g. `mcr/dotnet/runtime`; default the source name. */
  target?: string;
  /**
   * Tags to copy; default every tag the source lists. Chosen tags are not looked up in the tag list: a tag the
   * source lacks fails alone (MANIFEST_UNKNOWN), and the state of the repository's other tags is kept.
   */
  tags?: readonly ChosenTag[];
}

interface SyncOptions {
  source: SyncRegistry;
  target: SyncRegistry;
  /** What to copy: a name copies every tag under the same name in the target; a RepositoryCopy may rename and choose tags. */
  repositories: readonly (string | RepositoryCopy)[];
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

/** The source repository and tag; `targetRepository` only when the target repository has another name. */
interface SyncImageIdentity {
  repository: string;
  targetRepository?: string;
  tag: string;
}

type SyncImageResult =
  | (SyncImageIdentity & { status: 'copied'; digest: string; mediaType: string })
  | (SyncImageIdentity & { status: 'skipped'; digest: string; reason: SkipReason })
  /** `httpStatus` and `code` (the OCI error code) when a registry answered with an error. */
  | (SyncImageIdentity & { status: 'failed'; digest?: string; error: string; httpStatus?: number; code?: string });

interface SyncRepositoryError {
  repository: string;
  targetRepository?: string;
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
export type { ChosenTag, RepositoryCopy, SyncImageIdentity, SyncImageResult, SyncOptions, SyncProgress, SyncRegistry, SyncReport, SyncRepositoryError };
