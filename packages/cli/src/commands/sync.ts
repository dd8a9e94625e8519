import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
// Only the sync barrel (it loads neither zod nor undici): see docs/sync.md, "Speed".
import { createSyncRegistry, DEFAULT_CONCURRENCY, emptySyncState, parseSyncState, syncRepositories } from '@dockmaster/registry/sync';
import type { SyncProgress, SyncReport, SyncState } from '@dockmaster/registry/sync';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { ExitCode } from '../constants.js';
import { UsageError } from '../errors.js';
import { readUserJson, type CliIo } from '../io.js';
import { formatBytes } from '../format.js';

const usage =
  'dockmaster sync --from <registry URL> --to <registry URL> --repository <name>... [--concurrency N] [--state <file>] [--json] [--from-creds user:pass] [--to-creds user:pass]';

/** Env alternatives to --from-creds/--to-creds, so secrets stay out of the process list and shell history. */
const CredentialsEnv = { From: 'DOCKMASTER_FROM_CREDS', To: 'DOCKMASTER_TO_CREDS' } as const;

const MAX_CONCURRENCY = 64;
/** Progress redraws at most this often; the engine reports every streamed chunk. */
const PROGRESS_INTERVAL_MS = 200;
/** Same grammar as the registry client's name check (OCI distribution spec), applied up front for exit code 2. */
const REPOSITORY_PATTERN = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;

/** Replaceable parts, for tests. */
interface SyncCommandDeps {
  fetch?: typeof fetch;
  env?: Record<string, string | undefined>;
  /** Whether stderr is a terminal (progress display); CliIo only knows about stdout. */
  stderrIsTty?: boolean;
}

type Credentials = { username: string; password: string };

const parseRegistryUrl = (option: string, value: string | undefined): string => {
  if (value === undefined) throw new UsageError(`${option} <registry URL> is required, e.g. ${option} http://127.0.0.1:5000\nusage: ${usage}`);
  const schemeHint = `write it with its scheme, e.g. https://${value} (or http://${value} for a local registry without TLS)`;
  // `localhost:5000` parses as a URL with the scheme "localhost:", so a missing "://" is checked first.
  if (!value.includes('://')) throw new UsageError(`${option} ${value}: not a registry URL; ${schemeHint}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${option} ${value}: not a URL; ${schemeHint}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${option} ${value}: only http and https registries are supported`);
  if (url.pathname !== '/' || url.search !== '') {
    throw new UsageError(`${option} ${value}: give the registry root only (${url.origin}); repositories go in --repository`);
  }
  return url.origin;
};

/** `user:pass` from the option, else from the environment. The value is never echoed: it holds a secret. */
const parseCredentials = (option: string, envName: string, fromOption: string | undefined, env: Record<string, string | undefined>): Credentials | undefined => {
  const value = fromOption ?? env[envName];
  if (value === undefined || value === '') return undefined;
  const separator = value.indexOf(':');
  if (separator <= 0) {
    const where = fromOption === undefined ? `the ${envName} environment variable` : option;
    throw new UsageError(`${where} must be user:password (the part before the first ":" is the user name)`);
  }
  return { username: value.slice(0, separator), password: value.slice(separator + 1) };
};

const parseConcurrency = (value: string | undefined): number => {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const concurrency = Number(value);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new UsageError(`--concurrency ${value}: expected a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  return concurrency;
};

const parseRepositories = (values: string[] | undefined): string[] => {
  const repositories = (values ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
  if (repositories.length === 0) throw new UsageError(`say which repositories to copy: --repository <name> (repeat it, or separate names with commas)\nusage: ${usage}`);
  const invalid = repositories.filter((repository) => !REPOSITORY_PATTERN.test(repository));
  if (invalid.length > 0) {
    throw new UsageError(`--repository ${invalid.join(', ')}: not a valid repository name; use lower-case letters, digits and . _ - separated by /, e.g. team/app`);
  }
  return repositories;
};

/** A missing state file is a first run; an unreadable or malformed one is a usage error naming the problem. */
const loadState = async (file: string): Promise<SyncState> => {
  if (!existsSync(file)) return emptySyncState();
  const json = readUserJson(file, 'sync state');
  try {
    return await parseSyncState(json);
  } catch (error) {
    throw new UsageError(`${file} is not a dockmaster sync state file:\n${(error as Error).message}\nFix it, or delete it to start over (the next sync then checks the target once per tag).`);
  }
};

/** Write-then-rename, so an interrupted run never leaves a half-written state behind. */
const saveState = async (file: string, state: SyncState): Promise<void> => {
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temporary, file);
};

const formatRate = (bytes: number, seconds: number): string => `${formatBytes(seconds > 0 ? bytes / seconds : 0)}/s`;

/** One progress line: images done/total, bytes uploaded and the rate so far. */
const formatProgress = (progress: SyncProgress): string => {
  const total = progress.imagesTotal === 0 ? '?' : String(progress.imagesTotal);
  const failed = progress.imagesFailed > 0 ? `, ${progress.imagesFailed} failed` : '';
  return `sync: ${progress.imagesDone}/${total} images${failed}  ${formatBytes(progress.bytesUploaded)} uploaded  ${formatRate(progress.bytesUploaded, progress.elapsedSeconds)}  ${progress.elapsedSeconds.toFixed(1)} s`;
};

/**
 * Redraws one progress line on stderr. CliIo.stderr always ends a line, so each redraw moves the cursor up
 * one line and clears it (ANSI CSI 1A, 2K) instead of using a bare carriage return.
 */
const createProgressDisplay = (io: CliIo): { update: (progress: SyncProgress) => void; finish: () => void } => {
  let drawn = false;
  let lastDrawMs = 0;
  let latest: SyncProgress | undefined;
  const draw = (): void => {
    if (latest === undefined) return;
    io.stderr(`${drawn ? '\u001b[1A\u001b[2K' : ''}${formatProgress(latest)}\n`);
    drawn = true;
    lastDrawMs = performance.now();
  };
  return {
    update: (progress) => {
      latest = progress;
      if (!drawn || progress.finished !== undefined || performance.now() - lastDrawMs >= PROGRESS_INTERVAL_MS) draw();
    },
    finish: draw,
  };
};

const printSummary = (io: CliIo, report: SyncReport, from: string, to: string): void => {
  io.stdout(`Synced ${from} -> ${to} in ${report.seconds.toFixed(2)} s`);
  io.stdout(`  images:    ${report.imagesCopied} copied, ${report.imagesSkipped} skipped, ${report.imagesFailed} failed`);
  io.stdout(`  blobs:     ${report.blobsUploaded} uploaded, ${report.blobsMounted} mounted, ${report.blobsSkipped} skipped`);
  io.stdout(`  bytes:     ${formatBytes(report.bytesUploaded)} uploaded (${formatRate(report.bytesUploaded, report.seconds)})`);
  io.stdout(`  manifests: ${report.manifestsPut} written`);
  for (const image of report.images) if (image.status === 'failed') io.stdout(`  failed ${image.repository}:${image.tag}: ${image.error}`);
  for (const failure of report.repositoryErrors) io.stdout(`  failed ${failure.repository} (listing tags): ${failure.error}`);
};

/**
 * `dockmaster sync`: copies every tag of the given repositories between two registries with digests preserved.
 * Exit 0 all copied or current, 1 some image or repository failed (the others were still copied), 2 usage error.
 */
const createSyncCommand = (deps: SyncCommandDeps = {}): Command => ({
  usage,
  run: async (args, io) => {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        from: { type: 'string' },
        to: { type: 'string' },
        repository: { type: 'string', multiple: true },
        concurrency: { type: 'string' },
        state: { type: 'string' },
        json: { type: 'boolean' },
        'from-creds': { type: 'string' },
        'to-creds': { type: 'string' },
      },
      usage,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument(s): ${positionals.join(' ')}\nusage: ${usage}`);
    const env = deps.env ?? process.env;
    const from = parseRegistryUrl('--from', values.from);
    const to = parseRegistryUrl('--to', values.to);
    if (from === to) throw new UsageError(`--from and --to are the same registry (${from}): a sync copies between two registries`);
    const repositories = parseRepositories(values.repository);
    const concurrency = parseConcurrency(values.concurrency);
    const fromCredentials = parseCredentials('--from-creds', CredentialsEnv.From, values['from-creds'], env);
    const toCredentials = parseCredentials('--to-creds', CredentialsEnv.To, values['to-creds'], env);
    const state = values.state === undefined ? undefined : await loadState(values.state);

    const client = (baseUrl: string, credentials: Credentials | undefined) =>
      createSyncRegistry({ baseUrl, concurrency, userAgent: 'dockmaster-sync', ...(credentials ? { credentials } : {}), ...(deps.fetch ? { fetch: deps.fetch } : {}) });
    // Progress goes to stderr and only to a terminal, so piped output and --json stay clean.
    const display = (deps.stderrIsTty ?? Boolean(process.stderr.isTTY)) ? createProgressDisplay(io) : undefined;
    const source = client(from, fromCredentials);
    const target = client(to, toCredentials);
    let report: SyncReport;
    try {
      report = await syncRepositories({
        source,
        target,
        repositories,
        concurrency,
        ...(state === undefined ? {} : { state }),
        ...(display === undefined ? {} : { onProgress: display.update }),
      });
    } finally {
      source.close();
      target.close();
    }
    display?.finish();

    let stateError: string | undefined;
    if (values.state !== undefined && report.stateChanged) {
      try {
        await saveState(values.state, report.state);
      } catch (error) {
        stateError = `could not write the state file ${values.state}: ${(error as Error).message}. The images were copied; the next run checks the target once per tag.`;
      }
    }

    const { state: _state, ...summary } = report;
    if (values.json) io.stdout(JSON.stringify({ from, to, ...summary }, null, 2));
    else printSummary(io, report, from, to);
    if (stateError !== undefined) io.stderr(`dockmaster sync: ${stateError}`);
    const failed = report.imagesFailed > 0 || report.repositoryErrors.length > 0 || stateError !== undefined;
    return failed ? ExitCode.Failed : ExitCode.Ok;
  },
});

const syncCommand: Command = createSyncCommand();

export { createSyncCommand, CredentialsEnv, formatProgress, syncCommand };
export type { SyncCommandDeps };
