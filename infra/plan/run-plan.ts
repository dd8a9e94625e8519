import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadDeployConfig } from '../load-config';
import { createMocks, type PlannedResource } from './mocks';

/*
 * `npm run infra:plan`: runs the real sst.config.ts (SST components and Pulumi resources) under Pulumi's
 * unit-test mocks, for the configuration named by DOCKMASTER_CONFIG, and prints the resources a deploy would
 * create as one JSON document on stdout: { "resources": [ { type, name, inputs } ] }. Everything else
 * (warnings, progress) goes to stderr. No AWS account, Pulumi engine or SST CLI is needed, only the SST
 * platform `npm run infra:check` installs under .sst/platform.
 *
 * What is not real, and why:
 * - The SST CLI's RPC server: `sst.aws.Function` asks it to build the handler (`Runtime.Build`, esbuild in the
 *   Go CLI) and for the bootstrap bucket (`Provider.Aws.Bootstrap`, read from the account). Exactly these two
 *   calls are answered here (stubRpc): the build returns a placeholder bundle for a handler file that must
 *   exist; the bootstrap names a placeholder asset bucket. Any other RPC fails.
 * - The AWS provider: resources and data sources are answered by ./mocks.ts.
 * - The deploy-target check (checkDeployTarget) runs, against the mocked caller identity of the config's account.
 */

interface PulumiRuntime {
  setMocks(mocks: unknown, project: string, stack: string, preview: boolean): Promise<void>;
  runInPulumiStack(init: () => Promise<unknown>): Promise<unknown>;
  waitForRPCs(): Promise<void>;
}

class PlanError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PLATFORM = join(ROOT, '.sst', 'platform');

const requirePlatform = (): void => {
  if (!existsSync(join(PLATFORM, 'config.d.ts')) || !existsSync(join(PLATFORM, 'node_modules', '@pulumi', 'pulumi'))) {
    throw new PlanError(
      'infra:plan needs the SST platform under .sst/platform, which `npm run infra:check` installs (offline, about 70 s on the first run). ' +
        'Run `npm run infra:check` and then this command again.',
    );
  }
};

const platformModule = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(PLATFORM, path)).href)) as T;

/** Answers the SST CLI's RPC calls the program makes (see the file comment); anything else is an error. */
const stubRpc = async (work: string): Promise<void> => {
  const { rpc } = await platformModule<{ rpc: { call: (method: string, args: unknown) => Promise<unknown> } }>('src/components/rpc/rpc.ts');
  rpc.call = async (method: string, args: unknown) => {
    const input = args as { functionID?: string; handler?: string };
    if (method === 'Runtime.Build') {
      // STUB: the real build is esbuild inside the SST CLI. Check the handler's source file exists (what a failed
      // build would report) and hand SST a placeholder bundle, so the code asset and the Lambda are still declared.
      const handler = String(input.handler);
      const file = handler.slice(0, handler.lastIndexOf('.'));
      if (!['.ts', '.mts', '.js', '.mjs'].some((extension) => existsSync(join(ROOT, `${file}${extension}`)))) {
        return { handler, out: '', errors: [`${handler}: no source file ${file}.ts`], sourcemaps: [] };
      }
      const out = join(work, `${input.functionID ?? 'function'}-src`);
      rmSync(out, { recursive: true, force: true });
      await import('node:fs').then(({ mkdirSync }) => mkdirSync(out, { recursive: true }));
      writeFileSync(join(out, 'index.mjs'), '// placeholder bundle written by infra:plan; sst deploy builds the real one\n');
      return { handler: `index.${handler.slice(handler.lastIndexOf('.') + 1)}`, out, errors: [], sourcemaps: [] };
    }
    if (method === 'Provider.Aws.Bootstrap') {
      // STUB: SST's bootstrap bucket lives in the account; the plan only needs a name for the code objects.
      return { asset: 'sst-asset-plan', assetEcrRegistryId: '', assetEcrUrl: '', state: 'sst-state-plan', appsyncHttp: '', appsyncRealtime: '' };
    }
    throw new PlanError(`infra:plan does not answer the SST CLI call ${method}; the program needs something the plan cannot stub`);
  };
};

/** Assets (the function code zip) are files in a temporary folder: show what they are, not where. */
const withoutAssets = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutAssets);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.path === 'string' && Object.keys(record).some((key) => /^[0-9a-f]{32}$/.test(key))) return { asset: 'function code (built by sst deploy)' };
    return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, withoutAssets(inner)]));
  }
  return value;
};

const plan = async (): Promise<PlannedResource[]> => {
  requirePlatform();
  // Invalid configuration: stop before the SST platform loads, with the loader's file:line:col lines.
  const deploy = loadDeployConfig(ROOT, process.env.DOCKMASTER_CONFIG);
  const stage = process.env.SST_STAGE?.trim() || 'plan';
  const target = { accountId: deploy.config.registry.accountId, region: deploy.config.registry.region };
  process.env.PULUMI_CONFIG = JSON.stringify({ 'aws:region': target.region });
  process.env.SST_AWS_REGION = target.region;
  // No account to ask: infra/config.ts skips the account prerequisite checks (they are unit-tested instead).
  process.env.DOCKMASTER_PLAN = '1';
  console.error(`infra:plan: ${deploy.file}, stage ${stage}, account ${target.accountId} in ${target.region} (mocked; nothing is deployed)`);

  const require = createRequire(join(PLATFORM, 'package.json'));
  const pulumi = require('@pulumi/pulumi') as { runtime: PulumiRuntime };
  const planned: PlannedResource[] = [];
  await pulumi.runtime.setMocks(createMocks(target, planned), 'dockmaster', stage, false);

  const work = mkdtempSync(join(tmpdir(), 'dockmaster-plan-'));
  try {
    // The globals the SST CLI defines for sst.config.ts (its shim, `$app`, `$cli`, `$dev`, `sst`, `aws`); `$app`
    // comes from the config's own app(), and the components read it when they load, so it is set first.
    const shim = await platformModule<Record<string, unknown>>('src/shim/run.js');
    Object.assign(globalThis, shim, {
      $dev: false,
      $cli: { command: 'deploy', rpc: '', paths: { home: work, root: ROOT, work, platform: PLATFORM }, state: { version: {} } },
    });
    const config = ((await import(pathToFileURL(join(ROOT, 'sst.config.ts')).href)) as { default: { app: (input: unknown) => unknown; run: () => Promise<unknown> } }).default;
    const app = (await config.app({ stage })) as { name: string; removal?: string; protect?: boolean; providers?: Record<string, unknown> };
    Object.assign(globalThis, {
      $app: { name: app.name, stage, removal: app.removal ?? 'retain', protect: app.protect ?? false, providers: app.providers ?? { aws: true } },
    });
    Object.assign(globalThis, { aws: require('@pulumi/aws'), sst: await platformModule('src/components/index.ts') });
    await stubRpc(work);
    const { run } = await platformModule<{ run: (program: () => Promise<unknown>) => Promise<unknown> }>('src/auto/run.ts');
    await pulumi.runtime.runInPulumiStack(() => run(config.run));
    // Resources declared inside apply callbacks (function code, event source mappings) register late.
    await pulumi.runtime.waitForRPCs();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return planned
    .map((resource) => ({ ...resource, inputs: withoutAssets(resource.inputs) as Record<string, unknown> }))
    .sort((left, right) => left.type.localeCompare(right.type) || left.name.localeCompare(right.name));
};

const main = async (): Promise<void> => {
  // Only the plan goes to stdout: whatever the program or SST prints goes to stderr.
  const writeOut = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  console.log = console.error;
  // A check inside an Output (infra/policy-limits.ts) fails as a rejected promise, outside the try below.
  process.on('unhandledRejection', (error) => {
    console.error(`infra:plan: the program failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
  try {
    const resources = await plan();
    writeOut(`${JSON.stringify({ resources }, null, 2)}\n`);
  } catch (error) {
    // Configuration problems and missing prerequisites are messages for a person, not stack traces.
    const known = error instanceof PlanError || (error as Error).name === 'DeployConfigError';
    console.error(known ? (error as Error).message : error);
    process.exitCode = 1;
  }
};

await main();
