import { RegistryError, RegistryErrorCode } from '@dockmaster/registry';

/** Why an image could not be warmed, in terms a team can act on. */
const WarmFailureReason = {
  /** The tag (or the image, or a requested platform) does not exist upstream. */
  MissingUpstream: 'missing-upstream',
  /** The registry kept answering 429 after the client's retries (which honour Retry-After). */
  RateLimited: 'rate-limited',
  /** 401/403: the worker may not pull through the cache, or the upstream wants credentials. */
  AccessDenied: 'access-denied',
  Other: 'other',
} as const;
type WarmFailureReason = (typeof WarmFailureReason)[keyof typeof WarmFailureReason];

type WarmFailure = { reason: WarmFailureReason; message: string; status?: number; code?: string };

type FailureSubject = { repository: string; tag: string; upstream: string };

const MISSING_CODES: ReadonlySet<string> = new Set([RegistryErrorCode.ManifestUnknown, RegistryErrorCode.NameUnknown]);
const DENIED_CODES: ReadonlySet<string> = new Set([RegistryErrorCode.Unauthorized, RegistryErrorCode.Denied]);

const reasonOf = (error: RegistryError): WarmFailureReason => {
  if (MISSING_CODES.has(error.code)) return WarmFailureReason.MissingUpstream;
  if (error.status === 429 || error.code === RegistryErrorCode.TooManyRequests) return WarmFailureReason.RateLimited;
  if (error.status === 401 || error.status === 403 || DENIED_CODES.has(error.code)) return WarmFailureReason.AccessDenied;
  return WarmFailureReason.Other;
};

const advice = (reason: WarmFailureReason, { repository, tag, upstream }: FailureSubject): string => {
  switch (reason) {
    case WarmFailureReason.MissingUpstream:
      return `${upstream} has no ${repository.slice(repository.indexOf('/') + 1)}:${tag}. Fix or remove the tag in the prepopulate allow-list of the Dockmaster config.`;
    case WarmFailureReason.RateLimited:
      return `The registry still answered 429 Too Many Requests after retrying (Retry-After honoured). The next scheduled run tries again; for Docker Hub, give the cache rule credentials (credentialArn) to get a higher limit.`;
    case WarmFailureReason.AccessDenied:
      return `The pull was refused. The prepopulate worker's role needs ecr:BatchImportUpstreamImage and ecr:CreateRepository on ${repository}, and an upstream that needs credentials needs credentialArn on its cache rule.`;
    case WarmFailureReason.Other:
      return 'See the message; the next scheduled run tries again.';
  }
};

/** Classifies a registry failure and says what to do about it; any other error is not a warm failure (it is a bug or an outage). */
const classifyWarmFailure = (error: RegistryError, subject: FailureSubject): WarmFailure => {
  const reason = reasonOf(error);
  return {
    reason,
    message: `Warming ${subject.repository}:${subject.tag} failed: ${error.message}. ${advice(reason, subject)}`,
    ...(error.status === undefined ? {} : { status: error.status }),
    code: error.code,
  };
};

/** A failure found without a registry error (a pin that moved, a platform the index lacks, a cache that did not fill). */
const warmFailure = (reason: WarmFailureReason, message: string): WarmFailure => ({ reason, message });

export { classifyWarmFailure, WarmFailureReason, warmFailure };
export type { FailureSubject, WarmFailure };
