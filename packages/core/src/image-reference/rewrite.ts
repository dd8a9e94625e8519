import * as z from 'zod';
import { pullThroughUpstream } from '../config/pull-through-upstreams.js';
import { cacheRepositoryFor } from '../prepopulate/upstream.js';
import { DEFAULT_TAG, ECR_REPOSITORY_NAME_MAX, RewriteOutcome } from './constants.js';
import { InvalidImageReferenceError } from './errors.js';
import { parseDistributionReference, type ParsedReference } from './parse.js';
import { ecrRegistryHost } from './registry-host.js';
import { copyRefusal, matchKey, rewriteTargets, upstreamToConfigure, type RewriteConfig } from './targets.js';

/** One line of `rewrite-image --json`: the contract pipelines read. */
const RewriteResultSchema = z.object({
  input: z.string(),
  output: z.string().nullable(),
  reason: z.string().optional(),
});
type RewriteResult = z.infer<typeof RewriteResultSchema> & { outcome: RewriteOutcome };

const describeRegistry = (registry: string): string => {
  const known = pullThroughUpstream(registry);
  return known ? `${registry} (${known.name})` : registry;
};

/** A registry on the puller's own loopback: `localhost`, `127.x.y.z`, `[::1]`, with any port. */
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;
/** HTTPS's default port: `host:443` is the same endpoint as `host` to a runtime, but another name to the reference grammar. */
const HTTPS_DEFAULT_PORT = /:443$/;

/** Why a registry has no prefix, and the entry to add under `pullThroughCache` (with `mode: copy` where ECR cannot cache it). */
const noPrefixReason = (registry: string): string => {
  if (LOOPBACK.test(registry)) {
    return `no cache prefix for registry ${registry}: it is the pulling machine's own loopback, which neither ECR nor the prepopulate worker can reach, so it cannot be cached; push the image to a repository in the account instead`;
  }
  // distribution/reference keeps the port in the domain, so `registry.k8s.io:443/pause` and `registry.k8s.io/pause`
  // are different names (and a prefix matches the name as written), though both pull from the same HTTPS endpoint.
  const host = registry.replace(HTTPS_DEFAULT_PORT, '');
  const portNote =
    host === registry ? '' : `; ${registry} is ${host} on HTTPS's default port: configure the upstream as ${host} and write the reference without ":443" (the reference grammar treats the two as different names, so a prefix for ${host} does not match ${registry})`;
  const upstream = upstreamToConfigure(host);
  const cacheable = pullThroughUpstream(upstream) !== undefined;
  const entry = `{ prefix: <name>, upstream: ${upstream}${cacheable ? '' : ', mode: copy'} }`;
  const why = cacheable ? '' : `; ECR's pull-through cache does not support ${host}, so the prefix copies its allow-listed images`;
  return `no cache prefix for registry ${describeRegistry(registry)}: add ${entry} to pullThroughCache${why}${portNote}`;
};

/** The parsed reference, or what is wrong with it. */
const parseOrProblem = (input: string): ParsedReference | string => {
  try {
    return parseDistributionReference(input);
  } catch (error) {
    if (error instanceof InvalidImageReferenceError) return error.problem;
    throw error;
  }
};

/**
 * The reference a cluster should pull instead of `input`: `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>/<path>`
 * with the tag, the digest or both kept (`latest` when neither is given). Unchanged when already in the account's
 * registry; null with a reason when it is invalid or no prefix caches its registry.
 */
const rewriteImageReference = (config: RewriteConfig, input: string): RewriteResult => {
  const parsed = parseOrProblem(input);
  if (typeof parsed === 'string') return { outcome: RewriteOutcome.Invalid, input, output: null, reason: parsed };
  if (parsed.registry.toLowerCase() === ecrRegistryHost(config.registry)) return { outcome: RewriteOutcome.Unchanged, input, output: input };

  const target = rewriteTargets(config).find((candidate) => candidate.registry === matchKey(parsed.registry));
  if (!target) return { outcome: RewriteOutcome.NoPrefix, input, output: null, reason: noPrefixReason(parsed.registry) };

  if (target.mode === 'copy') {
    const refusal = copyRefusal(target, parsed.path, parsed.tag, parsed.digest);
    if (refusal !== undefined) return { outcome: RewriteOutcome.NotCopied, input, output: null, reason: refusal };
  }
  const repository = cacheRepositoryFor(target, parsed.path);
  if (repository.length > ECR_REPOSITORY_NAME_MAX) {
    return {
      outcome: RewriteOutcome.TooLong,
      input,
      output: null,
      reason: `the cache repository ${repository} would be ${repository.length} characters long; ECR allows at most ${ECR_REPOSITORY_NAME_MAX}`,
    };
  }
  const tag = parsed.tag ?? (parsed.digest === undefined ? DEFAULT_TAG : undefined);
  const output = `${ecrRegistryHost(config.registry)}/${repository}${tag === undefined ? '' : `:${tag}`}${parsed.digest === undefined ? '' : `@${parsed.digest}`}`;
  return { outcome: RewriteOutcome.Rewritten, input, output };
};

export { rewriteImageReference, RewriteResultSchema };
export type { RewriteResult };
