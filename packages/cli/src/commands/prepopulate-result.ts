import type { WarmTarget } from '@dockmaster/core/prepopulate';
import type { WarmFailure, WarmImageResult } from '@dockmaster/functions/prepopulate';

/**
 * One image and tag: what was (or, with --dry-run, would be) warmed through the cache, or copied from the
 * upstream for a copy-mode entry, or why not.
 */
type PrepopulateResult = {
  repository: string;
  tag: string;
  status: 'warmed' | 'would-warm' | 'copied' | 'would-copy' | 'failed';
  digest?: string;
  bytes?: number;
  blobs?: number;
  platforms?: string[];
  reason?: WarmFailure['reason'];
  message?: string;
  owner?: string;
};

const failedResult = (target: WarmTarget, tag: string, failure: WarmFailure, digest?: string): PrepopulateResult => ({
  repository: target.repository,
  tag,
  status: 'failed',
  ...(digest === undefined ? {} : { digest }),
  reason: failure.reason,
  message: failure.message,
  ...(target.owner === undefined ? {} : { owner: target.owner }),
});

/**
 * What warming or copying one tag did, as a result row. The command keeps no state, so an image the worker
 * would call unchanged was still found in place: it counts as warmed or copied, without bytes.
 */
const outcomeResult = (target: WarmTarget, tag: string, result: WarmImageResult, status: 'warmed' | 'copied'): PrepopulateResult => {
  if (result.status === 'failed') return failedResult(target, tag, result.failure, result.digest);
  if (result.status === 'unchanged') return { repository: target.repository, tag, status, digest: result.digest };
  return { repository: target.repository, tag, status, digest: result.digest, bytes: result.bytes, blobs: result.blobs, platforms: result.platforms };
};

export { failedResult, outcomeResult };
export type { PrepopulateResult };
