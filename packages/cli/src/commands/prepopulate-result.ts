import type { WarmTarget } from '@dockmaster/core/prepopulate';
import type { WarmFailure } from '@dockmaster/functions/prepopulate';

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

export { failedResult };
export type { PrepopulateResult };
