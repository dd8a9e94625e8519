import * as z from 'zod';
import { findCacheRule } from '../cache-repository/find-cache-rule.js';
import type { DockmasterConfig } from '../config/index.js';
import type { PullThroughCacheActionEvent } from '../events/cache.js';
import { EcrActionResult, PullThroughCacheFailureCode } from '../events/vocabulary.js';
import { owningTeam } from '../ownership/index.js';
import { PULL_THROUGH_SECRET_PREFIX } from '../config/pull-through-upstreams.js';
import { collapseToOneLine } from '../shared/index.js';

/*
 * Cache health: a pull-through cache that cannot sync from its upstream (ECR's `ECR Pull Through Cache Action`
 * with a failed `sync-status`, or the prepopulate worker's warm refused for upstream credentials). The decision
 * here is pure: which kind of failure, whose, what to do, and the key that makes the team hear of it once.
 */

/** What went wrong between the cache and its upstream, in terms a team can act on. */
const CacheFailureKind = {
  /** ECR could not log in to the upstream: the `ecr-pullthroughcache/` secret is missing, unreadable or wrong. */
  UpstreamAuthentication: 'upstream-authentication',
  /** The upstream answered 429 (Docker Hub's anonymous pull limit, for one). */
  UpstreamRateLimited: 'upstream-rate-limited',
  /** The image (or tag) does not exist upstream. */
  ImageNotFoundUpstream: 'image-not-found-upstream',
  /** The upstream did not answer (down, DNS, 5xx). */
  UpstreamUnreachable: 'upstream-unreachable',
  Other: 'other',
} as const;
type CacheFailureKind = (typeof CacheFailureKind)[keyof typeof CacheFailureKind];

/**
 * How long one alert stands for a failure kind and image: a second failure within it is not reported again.
 * A week: ECR re-checks an upstream at least once every 24 hours and pulls retry it all the time, so without a
 * window the team hears of one broken secret on every pull; a failure still there after a week is reported anew.
 */
const CACHE_HEALTH_ALERT_TTL_SECONDS = 7 * 24 * 60 * 60;

/** Longest failure reason carried into the alert: the reason is upstream text, not ours. */
const MAX_REASON_LENGTH = 500;

/** Detail of the `Cache Sync Failed` event Dockmaster emits; routed to the owning team's alert topic. */
const CacheSyncFailedDetailSchema = z.object({
  kind: z.enum(Object.values(CacheFailureKind)),
  repository: z.string(),
  prefix: z.string(),
  upstream: z.string(),
  tag: z.string().nullable(),
  digest: z.string().nullable(),
  /** ECR's `failure-code` (or the registry error code seen while warming), as it came. */
  failureCode: z.string().nullable(),
  failureReason: z.string().nullable(),
  /** The entry's credentialArn, when it has one (an ARN, never the secret's value). */
  credentialArn: z.string().nullable(),
  team: z.string().nullable(),
  /** What to do, in the words an on-call engineer needs. */
  advice: z.string(),
  /** `ecr-event` (ECR's own sync) or `prepopulate` (the warm saw it). */
  seenBy: z.enum(['ecr-event', 'prepopulate']),
  region: z.string(),
  account: z.string(),
  eventId: z.string(),
});
type CacheSyncFailedDetail = z.output<typeof CacheSyncFailedDetailSchema>;

/*
 * Words of each kind in a failure code or reason. ECR-GUESS: ECR documents neither the codes nor the reasons;
 * the one reason on record is "The authentication to the upstream registry failed…" (aws/containers-roadmap#2354).
 * Checked in this order: an authentication failure that mentions a 404 is still an authentication failure.
 */
const KIND_WORDS: ReadonlyArray<{ kind: CacheFailureKind; words: RegExp }> = [
  { kind: CacheFailureKind.UpstreamAuthentication, words: /authenticat|unauthori[sz]ed|credential|secret|\b401\b|\b403\b|denied|forbidden/i },
  { kind: CacheFailureKind.UpstreamRateLimited, words: /rate.?limit|too.?many.?requests|toomanyrequests|throttl|\b429\b/i },
  { kind: CacheFailureKind.ImageNotFoundUpstream, words: /not.?found|manifest.?unknown|name.?unknown|does not exist|\b404\b/i },
  { kind: CacheFailureKind.UpstreamUnreachable, words: /unreachable|unavailable|timed? ?out|timeout|connection|refused|\b5\d\d\b/i },
];

/** The kind of a sync failure, from its code first (the codes the local ECR emits name their kind), then its reason. */
const classifySyncFailure = (failureCode: string | undefined, failureReason: string | undefined): CacheFailureKind => {
  for (const text of [failureCode, failureReason]) {
    if (text === undefined || text === '') continue;
    // Bounded: the text is ECR's (or an upstream's), the patterns have no nested repetition.
    const sample = text.slice(0, MAX_REASON_LENGTH);
    const match = KIND_WORDS.find(({ words }) => words.test(sample));
    if (match !== undefined) return match.kind;
  }
  return CacheFailureKind.Other;
};

/**
 * A pull through the cache refused because ECR could not log in to the upstream, as opposed to ECR refusing
 * the worker itself (its role, its token). ECR-GUESS: ECR answers with an error whose message names the
 * upstream's authentication ("The authentication to the upstream registry failed…", aws/containers-roadmap#2354);
 * the status code alone (401/403) cannot tell the two apart.
 */
const isUpstreamAuthenticationRefusal = (registryMessage: string | undefined): boolean => {
  if (registryMessage === undefined) return false;
  const sample = registryMessage.slice(0, MAX_REASON_LENGTH);
  return /upstream/i.test(sample) && /authenticat|credential|unauthori[sz]ed|secret/i.test(sample);
};

/** A sync-status other than SUCCESS. ECR-GUESS: only `SUCCESS` is documented; the failure value is not, so anything else counts. */
const isFailedSync = (event: Pick<PullThroughCacheActionEvent, 'detail'>): boolean => event.detail['sync-status'] !== EcrActionResult.Success;

type Rule = { prefix: string; upstream: string; credentialArn?: string | undefined };

/** What to do about each kind, for this rule. */
const adviceFor = (kind: CacheFailureKind, rule: Rule, image: { path: string; tag: string | null }): string => {
  const validate = `aws ecr validate-pull-through-cache-rule --ecr-repository-prefix ${rule.prefix}`;
  switch (kind) {
    case CacheFailureKind.UpstreamAuthentication:
      return rule.credentialArn === undefined
        ? `ECR could not authenticate to ${rule.upstream}, and the pullThroughCache entry ${rule.prefix} has no credentialArn. ` +
            `Create a Secrets Manager secret named ${PULL_THROUGH_SECRET_PREFIX}<name> with JSON {"username","accessToken"}, set it as credentialArn and deploy; then check with: ${validate}`
        : `ECR could not authenticate to ${rule.upstream} with the secret ${rule.credentialArn}. The secret is missing, ` +
            `not named ${PULL_THROUGH_SECRET_PREFIX}..., not readable by ECR, or its username/accessToken are wrong or expired. ` +
            `Fix it (aws secretsmanager put-secret-value --secret-id ${rule.credentialArn} --secret-string '{"username":"…","accessToken":"…"}'), then check with: ${validate}`;
    case CacheFailureKind.UpstreamRateLimited:
      return (
        `${rule.upstream} rate-limited ECR's pull. Pulls succeed again once the limit resets; ` +
        (rule.credentialArn === undefined
          ? `give the entry credentialArn (a ${PULL_THROUGH_SECRET_PREFIX}... secret) for an authenticated, higher limit.`
          : `the account behind ${rule.credentialArn} has hit its limit: a paid plan or fewer distinct pulls help.`)
      );
    case CacheFailureKind.ImageNotFoundUpstream:
      return (
        `${rule.upstream} has no ${image.path}${image.tag === null ? '' : `:${image.tag}`}. Fix the image reference that was pulled ` +
        `(Docker Hub official images need library/, other images must not have it) or remove it from the prepopulate allow-list.`
      );
    case CacheFailureKind.UpstreamUnreachable:
      return `ECR could not reach ${rule.upstream}. Images already cached are still served; new tags and updates wait until the upstream is back (check its status page).`;
    case CacheFailureKind.Other:
      return `The sync from ${rule.upstream} failed for a reason Dockmaster does not recognise; see the failure code and reason, and check the rule with: ${validate}`;
  }
};

/** The item id that stands for one alert: one per failure kind and image (tag, or digest without a tag), per Region. */
const cacheHealthAlertKey = (detail: Pick<CacheSyncFailedDetail, 'region' | 'repository' | 'tag' | 'digest' | 'kind'>): string =>
  `cache-health#${detail.region}#${detail.repository}${detail.tag === null ? `@${detail.digest ?? '?'}` : `:${detail.tag}`}#${detail.kind}`;

/** The team that hears of a cache repository's failures: its owner, else the prefix's allow-list defaultOwner. */
const cacheOwner = (config: Pick<DockmasterConfig, 'scanAlerts' | 'pullThroughCache'>, repository: string): string | null => {
  const owner = owningTeam(config, repository);
  if (owner !== null) return owner;
  return findCacheRule(config, repository)?.prepopulate?.defaultOwner ?? null;
};

type FailureInput = {
  repository: string;
  tag: string | null;
  digest: string | null;
  upstream?: string;
  failureCode: string | null;
  failureReason: string | null;
  kind?: CacheFailureKind;
  seenBy: CacheSyncFailedDetail['seenBy'];
  region: string;
  account: string;
  eventId: string;
};

/** The detail of a cache sync failure, or undefined when the repository is under no configured prefix. */
const describeCacheFailure = (input: FailureInput, config: Pick<DockmasterConfig, 'scanAlerts' | 'pullThroughCache'>): CacheSyncFailedDetail | undefined => {
  const rule = findCacheRule(config, input.repository);
  if (rule === undefined) return undefined;
  const kind = input.kind ?? classifySyncFailure(input.failureCode ?? undefined, input.failureReason ?? undefined);
  const reason = input.failureReason === null ? null : collapseToOneLine(input.failureReason).slice(0, MAX_REASON_LENGTH);
  const path = input.repository.slice(rule.prefix.length + 1);
  return {
    kind,
    repository: input.repository,
    prefix: rule.prefix,
    upstream: input.upstream ?? rule.upstream,
    tag: input.tag,
    digest: input.digest,
    failureCode: input.failureCode,
    failureReason: reason,
    credentialArn: rule.credentialArn ?? null,
    team: cacheOwner(config, input.repository),
    advice: adviceFor(kind, rule, { path, tag: input.tag }),
    seenBy: input.seenBy,
    region: input.region,
    account: input.account,
    eventId: input.eventId,
  };
};

/** A failed `ECR Pull Through Cache Action`, described; undefined for a successful sync or a repository under no prefix. */
const describeSyncFailure = (
  event: PullThroughCacheActionEvent,
  config: Pick<DockmasterConfig, 'scanAlerts' | 'pullThroughCache'>,
): CacheSyncFailedDetail | undefined => {
  if (!isFailedSync(event)) return undefined;
  const { detail } = event;
  return describeCacheFailure(
    {
      repository: detail['repository-name'],
      tag: detail['image-tag'] ?? null,
      digest: detail['image-digest'] ?? null,
      upstream: detail['upstream-registry-url'],
      failureCode: detail['failure-code'] ?? null,
      failureReason: detail['failure-reason'] ?? null,
      seenBy: 'ecr-event',
      region: event.region,
      account: event.account,
      eventId: event.id,
    },
    config,
  );
};

export {
  CACHE_HEALTH_ALERT_TTL_SECONDS,
  cacheHealthAlertKey,
  CacheFailureKind,
  cacheOwner,
  CacheSyncFailedDetailSchema,
  classifySyncFailure,
  describeCacheFailure,
  describeSyncFailure,
  isFailedSync,
  isUpstreamAuthenticationRefusal,
};
export type { CacheSyncFailedDetail, FailureInput };
