import { ECRClient } from '@aws-sdk/client-ecr';
import { requireCacheRule } from '@dockmaster/core/cache-repository';
import type { DockmasterConfig, PullThroughCacheConfig } from '@dockmaster/core/config';
import { upstreamRepositoryFor, type WarmTarget } from '@dockmaster/core/prepopulate';
import { createEcrRepositoryCreator, type SecretReader } from '@dockmaster/functions/adapters';
import {
  BLOB_CONCURRENCY_PER_UPSTREAM,
  type CacheRegistry,
  classifyWarmFailure,
  copyImage,
  createCacheRegistry,
  createUpstreamEndpoint,
  ensureCopyRepository,
  FailureRun,
  type RegistryEndpointProvider,
  resolveCopyTarget,
  type ResolvedTarget,
  UpstreamCredentialsError,
  upstreamCredentialsFailure,
  type WarmFailure,
} from '@dockmaster/functions/prepopulate';
import { type RegistryClient, RegistryError } from '@dockmaster/registry';
import { failedResult, outcomeResult, type PrepopulateResult } from './prepopulate-result.js';

/*
 * `dockmaster prepopulate` for copy-mode entries: the same copy the prepopulate worker makes (the sync engine,
 * whole images, digests kept), from the upstream into the registry the command was pointed at. Without the
 * worker's state store every resolved tag is copied; the engine skips one the registry already holds.
 */

type CopyToolsOptions = {
  /** The registry the copies go into: the endpoint the command's cache client uses (an ECR login, or --registry). */
  endpoint: RegistryEndpointProvider;
  /** With --ecr: its Region creates missing repositories (CreateRepository). Otherwise the registry must create them on push. */
  ecrRegion?: string;
  readSecret: SecretReader;
  /** DOCKMASTER_UPSTREAM_ENDPOINTS: upstream hosts reached elsewhere than https://<host> (the local stack's stand-ins). */
  upstreamEndpoints?: string;
  fetch?: typeof fetch;
  /** Says what happened besides the results (a repository created). */
  note: (message: string) => void;
  /** --dry-run: failure messages say the tags were checked, not copied. */
  dryRun: boolean;
};

type CopyTools = {
  /** The entry's tags, listed at the upstream. */
  resolve(target: WarmTarget): Promise<ResolvedTarget>;
  /** --dry-run: one HEAD per tag at the upstream, nothing copied. */
  preview(target: WarmTarget, tag: string): Promise<PrepopulateResult>;
  copy(target: WarmTarget, tag: string, pinnedDigest: string | undefined): Promise<PrepopulateResult>;
};

const USER_AGENT = 'dockmaster-cli';

const createCopyTools = (config: DockmasterConfig, options: CopyToolsOptions): CopyTools => {
  const transport = { transport: 'node-http' as const, userAgent: USER_AGENT, ...(options.fetch ? { fetch: options.fetch } : {}) };
  const registry = createCacheRegistry({ endpoint: options.endpoint, ...transport });
  const upstreams = new Map<string, CacheRegistry>();
  const entryOf = (target: WarmTarget): PullThroughCacheConfig => requireCacheRule(config, target.repository);
  const upstreamFor = (target: WarmTarget): (() => Promise<RegistryClient>) => {
    const entry = entryOf(target);
    let client = upstreams.get(entry.prefix);
    if (client === undefined) {
      const endpoint = createUpstreamEndpoint({
        upstream: entry.upstream,
        ...(entry.credentialArn === undefined ? {} : { credentialArn: entry.credentialArn }),
        readSecret: options.readSecret,
        ...(options.upstreamEndpoints === undefined ? {} : { endpointOverrides: options.upstreamEndpoints }),
      });
      client = createCacheRegistry({ endpoint, ...transport });
      upstreams.set(entry.prefix, client);
    }
    return client;
  };
  const repositories = options.ecrRegion === undefined ? undefined : createEcrRepositoryCreator({ client: new ECRClient({ region: options.ecrRegion }) });
  const ensureRepository = async (target: WarmTarget): Promise<WarmFailure | undefined> =>
    repositories === undefined ? undefined : ensureCopyRepository({ repositories, entry: entryOf(target), repository: target.repository, logger: { info: options.note } });

  const run = options.dryRun ? FailureRun.DryRun : FailureRun.Command;
  return {
    resolve: (target) => resolveCopyTarget(upstreamFor(target), target, run),
    preview: async (target, tag) => {
      try {
        const head = await (await upstreamFor(target)()).headManifest(upstreamRepositoryFor(target).repository, tag);
        if (head === null) return failedResult(target, tag, { reason: 'missing-upstream', message: `${upstreamRepositoryFor(target).reference}:${tag} does not exist` });
        return { repository: target.repository, tag, status: 'would-copy', digest: head.digest };
      } catch (error) {
        if (error instanceof UpstreamCredentialsError) return failedResult(target, tag, upstreamCredentialsFailure(target, tag, error, run));
        if (error instanceof RegistryError) return failedResult(target, tag, classifyWarmFailure(error, { repository: target.repository, tag, upstream: target.upstream, mode: target.mode, run }));
        throw error;
      }
    },
    copy: async (target, tag, pinnedDigest) => {
      const result = await copyImage({
        upstream: upstreamFor(target),
        registry: await registry(),
        ensureRepository: () => ensureRepository(target),
        target,
        tag,
        ...(pinnedDigest === undefined ? {} : { pinnedDigest }),
        concurrency: BLOB_CONCURRENCY_PER_UPSTREAM,
        run,
      });
      return outcomeResult(target, tag, result, 'copied');
    },
  };
};

export { createCopyTools };
export type { CopyTools, CopyToolsOptions };
