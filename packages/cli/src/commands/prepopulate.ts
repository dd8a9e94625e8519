import { type DockmasterConfig, isAutomationPaused } from '@dockmaster/core/config';
import { AutomationId, CacheMode } from '@dockmaster/core/constants';
import { UserFacingError } from '@dockmaster/core/errors';
import { listWarmTargets, type WarmTarget } from '@dockmaster/core/prepopulate';
import { WORKER_ENVIRONMENT } from '@dockmaster/core/topology';
import { createSecretReader, type SecretReader } from '@dockmaster/functions/adapters';
import {
  BLOB_CONCURRENCY_PER_UPSTREAM,
  classifyWarmFailure,
  createCacheRegistry,
  createEcrRegistryEndpoint,
  createLimiter,
  FailureRun,
  type Limiter,
  type RegistryEndpointProvider,
  resolveTarget,
  staticRegistryEndpoint,
  warmImage,
} from '@dockmaster/functions/prepopulate';
import { type RegistryClient, RegistryError } from '@dockmaster/registry';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { loadConfigFile } from '../config-file.js';
import { ExitCode } from '../constants.js';
import { UsageError } from '../errors.js';
import type { CliIo } from '../io.js';
import { formatBytes } from '../format.js';
import { createCopyTools } from './prepopulate-copy.js';
import { failedResult as failed, outcomeResult, type PrepopulateResult } from './prepopulate-result.js';

const usage =
  'dockmaster prepopulate --config <file> (--registry <url> [--username <name> --password <password>] | --ecr [--registry <url>]) [--dry-run] [--json]';

/** The env alternative to --username/--password (`user:password`, as sync's DOCKMASTER_FROM_CREDS), so the password stays out of the process list and shell history. */
const REGISTRY_CREDENTIALS_ENV = 'DOCKMASTER_REGISTRY_CREDS';

/**
 * Replaceable parts, for tests: the fetch the registry clients use, how copy-mode secrets are read, and where
 * copy-mode upstreams are (default: DOCKMASTER_UPSTREAM_ENDPOINTS, else https://<host>).
 */
type PrepopulateCommandDeps = { fetch?: typeof fetch; readSecret?: SecretReader; upstreamEndpoints?: string; env?: Record<string, string | undefined> };

type Options = { registry?: string; username?: string; password?: string; ecr?: boolean };

/**
 * --username/--password, else `user:password` from DOCKMASTER_REGISTRY_CREDS (the options win, as in sync);
 * not with --ecr.
 * The value is never echoed: it holds a secret.
 */
const credentialsFrom = (options: Options, env: Record<string, string | undefined>): Options => {
  // --ecr logs in by itself: a variable left set in the shell for another registry is not a usage error there.
  if (options.ecr || options.username !== undefined || options.password !== undefined) return options;
  const value = env[REGISTRY_CREDENTIALS_ENV];
  if (value === undefined || value === '') return options;
  const separator = value.indexOf(':');
  if (separator <= 0) throw new UsageError(`the ${REGISTRY_CREDENTIALS_ENV} environment variable must be user:password (the part before the first ":" is the user name)`);
  return { ...options, username: value.slice(0, separator), password: value.slice(separator + 1) };
};

const parseRegistryUrl = (value: string): string => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--registry ${value}: not a URL; write it with its scheme, e.g. http://127.0.0.1:5000\nusage: ${usage}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--registry ${value}: only http and https registries are supported`);
  return url.origin;
};

/** Where to pull from, from the options: static credentials, none, or an ECR login. */
const endpointFor = (options: Options, config: DockmasterConfig): RegistryEndpointProvider => {
  if ((options.username === undefined) !== (options.password === undefined)) {
    throw new UsageError(`--username and --password go together\nusage: ${usage}`);
  }
  if (options.ecr && options.username !== undefined) throw new UsageError(`--ecr logs in by itself: drop --username/--password\nusage: ${usage}`);
  const registry = options.registry === undefined ? undefined : parseRegistryUrl(options.registry);
  if (options.ecr) {
    const region = config.registry.region;
    const login = createEcrRegistryEndpoint({ region });
    return async () => {
      try {
        const endpoint = await login();
        // --registry with --ecr: ECR's credentials for another address of the registry (a VPC endpoint, a local emulation).
        return registry === undefined ? endpoint : { ...endpoint, baseUrl: registry };
      } catch (error) {
        throw new UserFacingError(
          'ECR_LOGIN_FAILED',
          `could not log in to ECR in ${region} (GetAuthorizationToken): ${(error as Error).message}. Check your AWS credentials (AWS_PROFILE, AWS_REGION) and that they allow ecr:GetAuthorizationToken.`,
          { cause: error },
        );
      }
    };
  }
  if (registry === undefined) {
    throw new UsageError(`say where to pull from: --registry <url> (the local stack's or another registry), or --ecr for the account's ECR\nusage: ${usage}`);
  }
  return staticRegistryEndpoint({ baseUrl: registry, ...(options.username !== undefined && options.password !== undefined ? { credentials: { username: options.username, password: options.password } } : {}) });
};

/** Dry run: one HEAD per tag, so nothing is pulled into the cache. */
const previewTag = async (client: RegistryClient, target: WarmTarget, tag: string): Promise<PrepopulateResult> => {
  try {
    const head = await client.headManifest(target.repository, tag);
    if (head === null) {
      return failed(target, tag, { reason: 'missing-upstream', message: `${target.upstream}/${target.image}:${tag} was not found through the registry` });
    }
    return { repository: target.repository, tag, status: 'would-warm', digest: head.digest };
  } catch (error) {
    if (error instanceof RegistryError) return failed(target, tag, classifyWarmFailure(error, { repository: target.repository, tag, upstream: target.upstream, run: FailureRun.DryRun }));
    throw error;
  }
};

const warmTag = async (client: RegistryClient, target: WarmTarget, tag: string, pinnedDigest: string | undefined, limiter: Limiter): Promise<PrepopulateResult> => {
  const result = await warmImage({
    client,
    target,
    tag,
    ...(target.platforms ? { platforms: target.platforms } : {}),
    ...(pinnedDigest ? { pinnedDigest } : {}),
    blobLimiter: limiter,
    run: FailureRun.Command,
  });
  return outcomeResult(target, tag, result, 'warmed');
};

/** The line above the table: what was done (or would be) to the images, and how they reached the registry. */
const TABLE_HEADINGS = {
  warm: { done: 'Warmed through', dryRun: 'Would warm through' },
  copy: { done: 'Copied into', dryRun: 'Would copy into' },
  both: { done: 'Warmed or copied into', dryRun: 'Would warm or copy into' },
} as const;

const printTable = (io: CliIo, results: readonly PrepopulateResult[], registry: string, dryRun: boolean): void => {
  const rows = results.map((result) => [
    `${result.repository}:${result.tag}`,
    result.status === 'failed' ? `failed (${result.reason})` : result.status,
    result.digest ?? '-',
    formatBytes(result.bytes),
  ]);
  const header = ['IMAGE', 'STATUS', 'DIGEST', 'BYTES'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  const copies = results.some((result) => result.status === 'copied' || result.status === 'would-copy');
  const warms = results.some((result) => result.status === 'warmed' || result.status === 'would-warm');
  const kind = copies && warms ? 'both' : copies ? 'copy' : 'warm';
  io.stdout(`${TABLE_HEADINGS[kind][dryRun ? 'dryRun' : 'done']} ${registry}:`);
  io.stdout([line(header), ...rows.map(line)].join('\n'));
  for (const result of results) if (result.status === 'failed') io.stdout(`  ${result.repository}:${result.tag}: ${result.message}`);
};

/**
 * `dockmaster prepopulate`: warms the allow-listed images through a registry endpoint (the account's ECR,
 * or the local stack's cache) the way the prepopulate worker does, and copies those of copy-mode entries from
 * their upstream into it; or with --dry-run shows what it would warm or copy. Exit 0 all warmed or copied
 * (or possible), 1 some image failed, 2 usage error.
 */
const createPrepopulateCommand = (deps: PrepopulateCommandDeps = {}): Command => ({
  usage,
  run: async (args, io) => {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        config: { type: 'string' },
        registry: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        ecr: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      usage,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument(s): ${positionals.join(' ')}\nusage: ${usage}`);
    const config = loadConfigFile(values.config, usage);
    if (values.password !== undefined) {
      io.stderr(`warning: --password is visible to other users in the process list and stays in your shell history; set ${REGISTRY_CREDENTIALS_ENV}=user:password instead`);
    }
    const endpoint = endpointFor(credentialsFrom(values, deps.env ?? process.env), config);
    const dryRun = values['dry-run'] ?? false;
    if (isAutomationPaused(config, AutomationId.Prepopulate)) {
      io.stderr(`note: automations.${AutomationId.Prepopulate}.paused is true, so the worker is paused; this command runs anyway because you asked.`);
    }

    const client = await createCacheRegistry({ endpoint, ...(deps.fetch ? { fetch: deps.fetch } : {}), userAgent: 'dockmaster-cli' })();
    const limiters = new Map<string, Limiter>();
    const limiterFor = (upstream: string): Limiter => {
      let limiter = limiters.get(upstream);
      if (!limiter) limiters.set(upstream, (limiter = createLimiter(BLOB_CONCURRENCY_PER_UPSTREAM)));
      return limiter;
    };

    // The variable the local stack gives its workers: the CLI honours it too, to copy from the stand-in upstreams.
    const upstreamEndpoints = deps.upstreamEndpoints ?? process.env[WORKER_ENVIRONMENT.upstreamEndpoints];
    const copies = createCopyTools(config, {
      endpoint,
      ...(values.ecr ? { ecrRegion: config.registry.region } : {}),
      readSecret: deps.readSecret ?? createSecretReader(),
      ...(upstreamEndpoints === undefined ? {} : { upstreamEndpoints }),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      note: (message) => io.stderr(message),
      dryRun,
    });
    const copying = (target: WarmTarget): boolean => target.mode === CacheMode.Copy;

    const results: PrepopulateResult[] = [];
    const work: { target: WarmTarget; tag: string; pinnedDigest?: string }[] = [];
    for (const target of listWarmTargets(config)) {
      const resolved = copying(target) ? await copies.resolve(target) : await resolveTarget(client, target, target.repository, dryRun ? FailureRun.DryRun : FailureRun.Command);
      for (const { tag, failure } of resolved.failures) results.push(failed(target, tag, failure));
      for (const { tag, pinnedDigest } of resolved.tags) work.push({ target, tag, ...(pinnedDigest ? { pinnedDigest } : {}) });
    }
    // Progress goes to stderr and only to a terminal, so piped stdout (and --json) stays clean.
    const progress = (done: number, result: PrepopulateResult) => {
      if (io.isTty) io.stderr(`[${done}/${work.length}] ${result.repository}:${result.tag} ${result.status}${result.reason ? ` (${result.reason})` : ''}`);
    };
    for (const [index, { target, tag, pinnedDigest }] of work.entries()) {
      const result = copying(target)
        ? dryRun
          ? await copies.preview(target, tag)
          : await copies.copy(target, tag, pinnedDigest)
        : dryRun
          ? await previewTag(client, target, tag)
          : await warmTag(client, target, tag, pinnedDigest, limiterFor(target.upstream));
      results.push(result);
      progress(index + 1, result);
    }

    if (values.json) io.stdout(JSON.stringify({ registry: client.baseUrl, dryRun, results }, null, 2));
    else if (results.length === 0) io.stdout('nothing to prepopulate: no pullThroughCache rule has a prepopulate allow-list');
    else printTable(io, results, client.baseUrl, dryRun);
    return results.some((result) => result.status === 'failed') ? ExitCode.Failed : ExitCode.Ok;
  },
});

const prepopulateCommand: Command = createPrepopulateCommand();

export { createPrepopulateCommand, prepopulateCommand };
export type { PrepopulateCommandDeps, PrepopulateResult };
