import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildTopology, type Topology } from '@dockmaster/core/topology';
import type { DockmasterConfig } from '@dockmaster/core/config';
import { loadDeployConfig } from '../../infra/load-config';

/*
 * Runs `npm run infra:plan` as shipped (tsx infra/plan/run-plan.ts) for a configuration and parses its stdout.
 * It needs the SST platform that `npm run infra:check` installs under .sst/platform; CI runs infra:check before
 * npm test. Without it the tests fail with that instruction instead of skipping.
 */

const ROOT = resolve(import.meta.dirname, '..', '..');
const STAGE = 'plan';
/** Time for one plan: loading the SST platform dominates (about 15 s on a busy 2-core machine). */
const PLAN_TIMEOUT_MS = 180_000;

interface PlannedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

interface Plan {
  resources: PlannedResource[];
}

interface PlanRun {
  status: number;
  stdout: string;
  stderr: string;
}

const requireSstPlatform = (): void => {
  if (!existsSync(join(ROOT, '.sst', 'platform', 'config.d.ts'))) {
    throw new Error('The plan tests run `npm run infra:plan`, which needs the SST platform under .sst/platform. Run `npm run infra:check` once (CI runs it before `npm test`).');
  }
};

const runPlan = async (configFile: string): Promise<PlanRun> => {
  requireSstPlatform();
  const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, ['infra/plan/run-plan.ts'], {
      cwd: ROOT,
      env: { ...process.env, DOCKMASTER_CONFIG: configFile, SST_STAGE: STAGE },
      maxBuffer: 64 * 1024 * 1024,
      timeout: PLAN_TIMEOUT_MS,
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { status: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? String(error) };
  }
};

const planFor = async (configFile: string): Promise<Plan> => {
  const run = await runPlan(configFile);
  if (run.status !== 0) throw new Error(`infra:plan failed for ${configFile} (exit ${run.status}):\n${run.stderr}`);
  return JSON.parse(run.stdout) as Plan;
};

const PARTITIONS = [
  { partition: 'aws', region: 'eu-central-1' },
  { partition: 'aws-cn', region: 'cn-north-1' },
  { partition: 'aws-us-gov', region: 'us-gov-west-1' },
] as const;

type Partition = (typeof PARTITIONS)[number]['partition'];

/** test/plan/fixtures/full.template.yaml for one partition, written under .tmp/ (relative path, as a user would pass it). */
const fullConfigFile = (partition: Partition): string => {
  const { region } = PARTITIONS.find((candidate) => candidate.partition === partition)!;
  const text = readFileSync(join(ROOT, 'test', 'plan', 'fixtures', 'full.template.yaml'), 'utf8').replaceAll('REGION', region).replaceAll('PARTITION', partition);
  mkdirSync(join(ROOT, '.tmp', 'plan'), { recursive: true });
  const file = join('.tmp', 'plan', `full-${partition}.yaml`);
  writeFileSync(join(ROOT, file), text);
  return file;
};

const EXAMPLE_CONFIG = 'docs/examples/dockmaster.example.yaml';

/** The configuration and the topology infra derives from it for the plan's stage (as infra/config.ts does). */
const topologyFor = (configFile: string): { config: DockmasterConfig; topology: Topology } => {
  const { config } = loadDeployConfig(ROOT, configFile);
  return { config, topology: buildTopology(config, { configParameterName: `/dockmaster/${STAGE}/config`, busName: `dockmaster-${STAGE}` }) };
};

const ofType = (plan: Plan, type: string): PlannedResource[] => plan.resources.filter((resource) => resource.type === type);

/** A policy input as sent: JSON text or an object. */
const policyOf = (value: unknown): { Statement: Record<string, unknown>[] } =>
  (typeof value === 'string' ? JSON.parse(value) : value) as { Statement: Record<string, unknown>[] };

const listOf = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? (value as string[]) : [value as string]);

export { EXAMPLE_CONFIG, fullConfigFile, listOf, ofType, PARTITIONS, PLAN_TIMEOUT_MS, planFor, policyOf, ROOT, runPlan, STAGE, topologyFor };
export type { Partition, Plan, PlannedResource, PlanRun };
