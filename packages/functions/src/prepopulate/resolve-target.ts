import { parsePinnedTag } from '@dockmaster/core/config';
import { resolveTags, type ResolvedTag, upstreamRepositoryFor, type WarmTarget } from '@dockmaster/core/prepopulate';
import { type RegistryClient, RegistryError } from '@dockmaster/registry';
import { UpstreamCredentialsError } from '../adapters/upstream-endpoint.js';
import { classifyWarmFailure, type FailureRun, upstreamCredentialsFailure, type WarmFailure, WarmFailureReason, warmFailure } from './warm-failure.js';

/** The tags of one allow-list entry to warm, and the entries that cannot be (with why). */
type ResolvedTarget = {
  target: WarmTarget;
  tags: ResolvedTag[];
  /** One per exact tag the upstream lacks, or one for the whole entry when its tags could not be listed. */
  failures: { tag: string; failure: WarmFailure }[];
};

/** How a selector reads in a report, e.g. `semver >=0.7.0 <0.8.0`. */
const describeSelector = (selector: WarmTarget['selector']): string => {
  if (Array.isArray(selector)) return selector.join(', ');
  return 'semver' in selector ? `semver ${selector.semver}` : `regex ${selector.regex}`;
};

/**
 * Lists the image's tags and applies the entry's selector: through the cache's registry endpoint (`client`
 * is the cache, `repository` the cache repository), or in copy mode at the upstream itself (`client` is the
 * upstream, `repository` the image's path there). When the listing fails, an exact list is still warmed tag
 * by tag (each tag then reports its own outcome); a SemVer or regex selector cannot be, and becomes one
 * failure for the entry.
 */
const resolveTarget = async (client: RegistryClient, target: WarmTarget, repository: string = target.repository, run?: FailureRun): Promise<ResolvedTarget> => {
  let upstreamTags: string[];
  try {
    upstreamTags = await client.listTags(repository);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    if (Array.isArray(target.selector)) {
      return { target, tags: target.selector.map((entry) => resolvedExact(entry)), failures: [] };
    }
    const tag = describeSelector(target.selector);
    return { target, tags: [], failures: [{ tag, failure: classifyWarmFailure(error, { repository: target.repository, tag, upstream: target.upstream, mode: target.mode, ...(run === undefined ? {} : { run }) }) }] };
  }
  const resolved = resolveTags(target.selector, upstreamTags);
  const failures = resolved.missing.map((entry) => ({
    tag: entry,
    failure: warmFailure(
      WarmFailureReason.MissingUpstream,
      `${target.upstream}/${target.image} has no tag ${parsePinnedTag(entry).tag}. Fix or remove it in the prepopulate allow-list of the Dockmaster config.`,
    ),
  }));
  if (!Array.isArray(target.selector) && resolved.tags.length === 0) {
    const tag = describeSelector(target.selector);
    failures.push({
      tag,
      failure: warmFailure(
        WarmFailureReason.MissingUpstream,
        `No tag of ${target.upstream}/${target.image} matches ${tag} (${upstreamTags.length} tags listed). Fix the selector in the prepopulate allow-list.`,
      ),
    });
  }
  return { target, tags: resolved.tags, failures };
};

/**
 * resolveTarget for a copy-mode entry: the tags are listed at the upstream itself (nothing stands between).
 * Unusable upstream credentials are one access-denied failure for the entry, not one per tag.
 */
const resolveCopyTarget = async (upstream: () => Promise<RegistryClient>, target: WarmTarget, run?: FailureRun): Promise<ResolvedTarget> => {
  let client: RegistryClient;
  try {
    client = await upstream();
  } catch (error) {
    if (!(error instanceof UpstreamCredentialsError)) throw error;
    const tag = describeSelector(target.selector);
    return { target, tags: [], failures: [{ tag, failure: upstreamCredentialsFailure(target, tag, error, run) }] };
  }
  return resolveTarget(client, target, upstreamRepositoryFor(target).repository, run);
};

const resolvedExact = (entry: string): ResolvedTag => {
  const { tag, digest } = parsePinnedTag(entry);
  return digest === undefined ? { tag } : { tag, pinnedDigest: digest };
};

export { describeSelector, resolveCopyTarget, resolveTarget };
export type { ResolvedTarget };
