import { CacheMode } from '@dockmaster/core/constants';
import { RegistryErrorCode } from '@dockmaster/registry';

/** Why an image could not be warmed, in terms a team can act on. */
const WarmFailureReason = {
  /** The tag (or the image, or a requested platform) does not exist upstream. */
  MissingUpstream: 'missing-upstream',
  /** The registry kept answering 429 after the client's retries (which honour Retry-After). */
  RateLimited: 'rate-limited',
  /** 401/403: the worker may not pull through the cache (or push its copy), or the upstream wants credentials. */
  AccessDenied: 'access-denied',
  Other: 'other',
} as const;
type WarmFailureReason = (typeof WarmFailureReason)[keyof typeof WarmFailureReason];

type WarmFailure = {
  reason: WarmFailureReason;
  message: string;
  status?: number;
  code?: string;
  /** The registry's own words (ECR's error message), kept apart from the advice: cache health reads them. */
  registryMessage?: string;
};

/**
 * Who reports the failure, for the wording: the scheduled worker (the next run retries by itself), the
 * `dockmaster prepopulate` command (the user reruns it), or its --dry-run (which only checks, never warms).
 */
const FailureRun = { Scheduled: 'scheduled', Command: 'command', DryRun: 'dry-run' } as const;
type FailureRun = (typeof FailureRun)[keyof typeof FailureRun];

/**
 * What failed: `mode` copy when the image was being copied from the upstream rather than pulled through a cache;
 * `run` who reports it (the worker when absent).
 */
type FailureSubject = { repository: string; tag: string; upstream: string; mode?: CacheMode; run?: FailureRun };

/** What happens next, as the reader of the message can act on it. */
const RETRY: Record<FailureRun, string> = {
  [FailureRun.Scheduled]: 'The next scheduled run tries again',
  [FailureRun.Command]: 'Run dockmaster prepopulate again later',
  [FailureRun.DryRun]: 'Run dockmaster prepopulate --dry-run again later',
};

/** The first words of a message: a dry run only checks, whatever the mode. */
const actionOf = (mode: CacheMode | undefined, run: FailureRun | undefined): string =>
  run === FailureRun.DryRun ? 'Checking' : mode === CacheMode.Copy ? 'Copying' : 'Warming';

/**
 * A registry's refusal, as a RegistryError carries it or the sync engine reports it for an image (`status` is
 * the HTTP status, absent when no answer came).
 */
type RegistryFailure = { message: string; code: string; status?: number | undefined; errors?: readonly { message?: string | undefined }[] };

const MISSING_CODES: ReadonlySet<string> = new Set([RegistryErrorCode.ManifestUnknown, RegistryErrorCode.NameUnknown]);
const DENIED_CODES: ReadonlySet<string> = new Set([RegistryErrorCode.Unauthorized, RegistryErrorCode.Denied]);

const reasonOf = (error: RegistryFailure): WarmFailureReason => {
  if (MISSING_CODES.has(error.code)) return WarmFailureReason.MissingUpstream;
  if (error.status === 429 || error.code === RegistryErrorCode.TooManyRequests) return WarmFailureReason.RateLimited;
  if (error.status === 401 || error.status === 403 || DENIED_CODES.has(error.code)) return WarmFailureReason.AccessDenied;
  return WarmFailureReason.Other;
};

/** Push rights a copy needs on the target repository, for the access-denied advice. */
const COPY_PUSH_ACTIONS = 'ecr:InitiateLayerUpload, ecr:UploadLayerPart, ecr:CompleteLayerUpload, ecr:PutImage, ecr:BatchCheckLayerAvailability';

const advice = (reason: WarmFailureReason, { repository, tag, upstream, mode, run = FailureRun.Scheduled }: FailureSubject): string => {
  const copy = mode === CacheMode.Copy;
  const retry = RETRY[run];
  switch (reason) {
    case WarmFailureReason.MissingUpstream:
      return `${upstream} has no ${repository.slice(repository.indexOf('/') + 1)}:${tag}. Fix or remove the tag in the prepopulate allow-list of the Dockmaster config.`;
    case WarmFailureReason.RateLimited:
      return copy
        ? `The registry still answered 429 Too Many Requests after retrying (Retry-After honoured). ${retry}; credentials on the entry (credentialArn) usually get a higher limit.`
        : `The registry still answered 429 Too Many Requests after retrying (Retry-After honoured). ${retry}; for Docker Hub, give the cache rule credentials (credentialArn) to get a higher limit.`;
    case WarmFailureReason.AccessDenied:
      return copy
        ? `The copy was refused. If ${upstream} refused the pull, it wants credentials: give the entry credentialArn (a Secrets Manager secret with username and accessToken). If ECR refused the push, the prepopulate worker's role needs ${COPY_PUSH_ACTIONS} on ${repository}.`
        : `The pull was refused. The prepopulate worker's role needs ecr:BatchImportUpstreamImage and ecr:CreateRepository on ${repository}, and an upstream that needs credentials needs credentialArn on its cache rule.`;
    case WarmFailureReason.Other:
      return `See the message; ${retry.charAt(0).toLowerCase()}${retry.slice(1)}.`;
  }
};

/** Classifies a registry failure and says what to do about it; any other error is not a warm failure (it is a bug or an outage). */
const classifyWarmFailure = (error: RegistryFailure, subject: FailureSubject): WarmFailure => {
  const reason = reasonOf(error);
  // Registry and fetch messages often end in a period already ("...reachable."): one sentence end, not two.
  const said = error.message.replace(/[.\s]+$/, '');
  return {
    reason,
    message: `${actionOf(subject.mode, subject.run)} ${subject.repository}:${subject.tag} failed: ${said}. ${advice(reason, subject)}`,
    ...(error.status === undefined ? {} : { status: error.status }),
    code: error.code,
    registryMessage: error.errors?.[0]?.message ?? error.message,
  };
};

/** A failure found without a registry error (a pin that moved, a platform the index lacks, a cache that did not fill). */
const warmFailure = (reason: WarmFailureReason, message: string): WarmFailure => ({ reason, message });

/** A copy cannot start: the entry's upstream credentials are unusable (the error says why, never the secret). */
const upstreamCredentialsFailure = (subject: { repository: string; prefix: string }, tag: string, error: Error, run?: FailureRun): WarmFailure =>
  warmFailure(
    WarmFailureReason.AccessDenied,
    `${actionOf(CacheMode.Copy, run)} ${subject.repository}:${tag} failed: ${error.message.replace(/[.\s]+$/, '')}. Fix the secret named by credentialArn of the pullThroughCache entry ${subject.prefix}.`,
  );

/** Upstream re-pointed a pinned tag: nothing is warmed (or copied) until the pin is updated. */
const pinMovedFailure = (
  image: { upstream: string; image: string; mode?: CacheMode },
  tag: string,
  pins: { pinnedDigest: string | undefined; upstreamDigest: string },
): WarmFailure =>
  warmFailure(
    WarmFailureReason.Other,
    `${image.upstream}/${image.image}:${tag} now points at ${pins.upstreamDigest}, but the allow-list pins it to ${pins.pinnedDigest}; ` +
      `nothing was ${image.mode === CacheMode.Copy ? 'copied' : 'warmed'}. Update the pinned digest in the Dockmaster config if the new image is wanted.`,
  );

export { classifyWarmFailure, FailureRun, pinMovedFailure, upstreamCredentialsFailure, WarmFailureReason, warmFailure };
export type { FailureSubject, RegistryFailure, WarmFailure };
