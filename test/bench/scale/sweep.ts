import {
  diffSettings,
  isDockmasterStatement,
  mergeRepositoryPolicy,
  renderLifecyclePolicy,
  renderPullStatements,
  renderRepositorySettings,
} from '@dockmaster/core/cache-repository';
import type { PullThroughCacheConfig } from '@dockmaster/core/config';
import { partitionOf } from '@dockmaster/core/topology';
import type { LocalStack } from '@dockmaster/local/stack';

/**
 * The sweep benchmark: N repositories under a cache prefix, seeded straight into the local ECR's state through
 * LocalEcr's own methods (the sweep reads only ECR API state: repository settings, repository policy and
 * lifecycle policy, never images, so 10,000 registry pushes would measure nothing the sweep does). D of them
 * drift in four ways; as many again are changed in ways that are NOT drift (a foreign statement next to
 * Dockmaster's, the same documents re-formatted), which the sweep must leave alone. Then the production
 * cache-repository worker runs one reconcile sweep through the throttled ECR endpoint.
 */

const DriftKind = {
  /** Dockmaster's account statement edited by hand (an account removed). */
  PolicyEdited: 'policy edited',
  /** Someone replaced the policy with their own statement plus only one of Dockmaster's. */
  ForeignStatement: 'foreign statement added (a Dockmaster statement dropped)',
  ScanOnPushOff: 'scan on push off',
  LifecycleReplaced: 'lifecycle replaced',
} as const;
type DriftKind = (typeof DriftKind)[keyof typeof DriftKind];
const DRIFT_KINDS = Object.values(DriftKind);

const ControlKind = {
  /** A foreign statement next to Dockmaster's: other writers' statements are kept, nothing to write. */
  ForeignBeside: 'foreign statement beside Dockmaster’s',
  /** Same policy and lifecycle, keys and rules in another order: equal once normalised. */
  Reformatted: 'policy and lifecycle re-formatted',
} as const;
const CONTROL_KINDS = Object.values(ControlKind);

/** The ECR actions that change a repository; W counts the repositories that got any of them. */
const WRITE_METHODS = ['setRepositoryPolicy', 'deleteRepositoryPolicy', 'putLifecyclePolicy', 'deleteLifecyclePolicy', 'putImageScanningConfiguration', 'putImageTagMutability'] as const;

interface SweepResult {
  repositories: number;
  drifted: number;
  /** Repositories that got at least one write during the sweep. */
  written: number;
  /** Of the written ones, how many were not drifted (must be 0). */
  writtenButRight: number;
  /** Drifted repositories still not matching the rule after the sweep (must be 0). */
  stillDrifted: number;
  seconds: number;
  seedSeconds: number;
  byKind: Record<string, number>;
}

const FOREIGN_STATEMENT = {
  Sid: 'SecurityScannerRead',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::123456789012:role/scanner' },
  Action: ['ecr:DescribeImages', 'ecr:ListImages'],
};

/** Records which repositories get a write from now on (LocalEcr's methods are what the endpoint dispatches to). */
const recordWrites = (stack: LocalStack): { written: Set<string>; stop: () => void } => {
  const written = new Set<string>();
  const ecr = stack.ecr as unknown as Record<string, (input: { repositoryName: string }) => unknown>;
  const originals = WRITE_METHODS.map((method) => [method, ecr[method]!] as const);
  for (const [method, original] of originals) {
    ecr[method] = function recorded(this: unknown, input: { repositoryName: string }) {
      written.add(input.repositoryName);
      return original.call(stack.ecr, input);
    };
  }
  return {
    written,
    stop: () => {
      for (const [method, original] of originals) ecr[method] = original;
    },
  };
};

const reorderedLifecycle = (text: string): string => {
  const parsed = JSON.parse(text) as { rules: unknown[] };
  // Rules in reverse order and keys re-ordered: ECR re-orders rules by priority, so this is the same policy.
  return JSON.stringify({ rules: [...parsed.rules].reverse() }, null, 2);
};

const reformattedPolicy = (text: string): string => {
  const parsed = JSON.parse(text) as { Version: string; Statement: unknown[] };
  return JSON.stringify({ Statement: [...parsed.Statement].reverse(), Version: parsed.Version }, null, 4);
};

/** Seeds N configured repositories, then drifts D of them (and changes as many harmlessly). */
const seedSweep = async (stack: LocalStack, rule: PullThroughCacheConfig, repositories: number, drifted: number) => {
  const { ecr } = stack;
  const partition = partitionOf(stack.config.registry.region);
  const settings = renderRepositorySettings(rule);
  const statements = renderPullStatements(rule, partition);
  const names = Array.from({ length: repositories }, (_, index) => `${rule.prefix}/scale/repository-${String(index).padStart(5, '0')}`);
  for (const name of names) {
    // createdBy 'pull-through-cache': the stack announces no CreateRepository call for these (nothing queued).
    await ecr.createRepositoryInternal(name, { createdBy: 'pull-through-cache', imageTagMutability: { imageTagMutability: settings.tagMutability }, scanOnPush: settings.scanOnPush });
    const merged = mergeRepositoryPolicy({ repository: name, currentPolicyText: undefined, statements });
    if (!merged.empty) ecr.setRepositoryPolicy({ repositoryName: name, policyText: merged.policyText });
    const lifecycle = renderLifecyclePolicy(rule, name);
    if (lifecycle !== undefined) ecr.putLifecyclePolicy({ repositoryName: name, lifecyclePolicyText: lifecycle });
  }

  // Spread over the whole range, so drift is not all at the start of the listing.
  const step = Math.max(1, Math.floor(repositories / (drifted * 2)));
  const drift = new Map<string, DriftKind>();
  const controls = new Map<string, string>();
  for (let index = 0; index < drifted * 2 && index * step < repositories; index += 1) {
    const name = names[index * step]!;
    if (index % 2 === 0) drift.set(name, DRIFT_KINDS[(index / 2) % DRIFT_KINDS.length]!);
    else controls.set(name, CONTROL_KINDS[((index - 1) / 2) % CONTROL_KINDS.length]!);
  }
  const policyOf = (name: string): { Version: string; Statement: Record<string, unknown>[] } =>
    JSON.parse((ecr.getRepositoryPolicy({ repositoryName: name }) as { policyText: string }).policyText) as { Version: string; Statement: Record<string, unknown>[] };
  for (const [name, kind] of drift) {
    const policy = policyOf(name);
    switch (kind) {
      case DriftKind.PolicyEdited: {
        const accounts = policy.Statement.find((statement) => isDockmasterStatement(statement))!;
        const principal = accounts['Principal'] as { AWS: string[] | string };
        accounts['Principal'] = { AWS: Array.isArray(principal.AWS) ? principal.AWS.slice(1) : 'arn:aws:iam::999999999999:root' };
        ecr.setRepositoryPolicy({ repositoryName: name, policyText: JSON.stringify(policy) });
        break;
      }
      case DriftKind.ForeignStatement: {
        const kept = policy.Statement.filter((statement) => isDockmasterStatement(statement)).slice(1);
        ecr.setRepositoryPolicy({ repositoryName: name, policyText: JSON.stringify({ Version: policy.Version, Statement: [FOREIGN_STATEMENT, ...kept] }) });
        break;
      }
      case DriftKind.ScanOnPushOff:
        ecr.putImageScanningConfiguration({ repositoryName: name, imageScanningConfiguration: { scanOnPush: !settings.scanOnPush } });
        break;
      case DriftKind.LifecycleReplaced:
        ecr.putLifecyclePolicy({
          repositoryName: name,
          lifecyclePolicyText: JSON.stringify({
            rules: [{ rulePriority: 1, description: 'someone else: keep 5 images', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } }],
          }),
        });
        break;
    }
  }
  for (const [name, kind] of controls) {
    const policy = policyOf(name);
    if (kind === ControlKind.ForeignBeside) {
      ecr.setRepositoryPolicy({ repositoryName: name, policyText: JSON.stringify({ ...policy, Statement: [...policy.Statement, FOREIGN_STATEMENT] }) });
    } else {
      ecr.setRepositoryPolicy({ repositoryName: name, policyText: reformattedPolicy(JSON.stringify(policy)) });
      const lifecycle = (ecr.getLifecyclePolicy({ repositoryName: name }) as { lifecyclePolicyText: string }).lifecyclePolicyText;
      ecr.putLifecyclePolicy({ repositoryName: name, lifecyclePolicyText: reorderedLifecycle(lifecycle) });
    }
  }
  return { names, drift, controls, statements, settings };
};

/** Whether the repository matches the rule now, read from the local ECR's state (not through the throttle). */
const matchesRule = (stack: LocalStack, rule: PullThroughCacheConfig, name: string, statements: ReturnType<typeof renderPullStatements>): boolean => {
  const { ecr } = stack;
  const described = (ecr.describeRepositories({ repositoryNames: [name] }) as { repositories: { imageScanningConfiguration: { scanOnPush: boolean }; imageTagMutability: string }[] }).repositories[0]!;
  const readText = (read: () => object, field: string): string | undefined => {
    try {
      return (read() as Record<string, string>)[field];
    } catch {
      return undefined;
    }
  };
  const policyText = readText(() => ecr.getRepositoryPolicy({ repositoryName: name }), 'policyText');
  const lifecycleText = readText(() => ecr.getLifecyclePolicy({ repositoryName: name }), 'lifecyclePolicyText');
  const desired = { ...renderRepositorySettings(rule), lifecyclePolicy: renderLifecyclePolicy(rule, name) };
  const settings = diffSettings({ scanOnPush: described.imageScanningConfiguration.scanOnPush, tagMutability: described.imageTagMutability, lifecyclePolicy: lifecycleText }, desired);
  return !settings.changed && !mergeRepositoryPolicy({ repository: name, currentPolicyText: policyText, statements }).changed;
};

/** Seeds, runs one sweep with the production worker, and checks every repository afterwards. */
const runSweep = async (stack: LocalStack, options: { repositories: number; drifted: number }): Promise<SweepResult> => {
  const rule = stack.config.pullThroughCache.find((candidate) => candidate.repositorySettings?.lifecycle !== undefined && candidate.repositoryPolicy !== undefined);
  if (rule === undefined) throw new Error('the benchmark config needs a pull-through cache rule with a repository policy and lifecycle settings');
  const seedStarted = performance.now();
  const seeded = await seedSweep(stack, rule, options.repositories, options.drifted);
  const seedSeconds = (performance.now() - seedStarted) / 1000;

  const writes = recordWrites(stack);
  const started = performance.now();
  try {
    stack.trigger('reconcile');
    await stack.drain(900_000);
  } finally {
    writes.stop();
  }
  const seconds = (performance.now() - started) / 1000;

  const byKind: Record<string, number> = {};
  for (const kind of seeded.drift.values()) byKind[kind] = (byKind[kind] ?? 0) + 1;
  for (const kind of seeded.controls.values()) byKind[`control: ${kind}`] = (byKind[`control: ${kind}`] ?? 0) + 1;
  const stillDrifted = [...seeded.drift.keys()].filter((name) => !matchesRule(stack, rule, name, seeded.statements)).length;
  return {
    repositories: seeded.names.length,
    drifted: seeded.drift.size,
    written: writes.written.size,
    writtenButRight: [...writes.written].filter((name) => !seeded.drift.has(name)).length,
    stillDrifted,
    seconds,
    seedSeconds,
    byKind,
  };
};

export { runSweep };
export type { SweepResult };
