import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUTOMATION_IDS, type AutomationId } from '@dockmaster/core/constants';
import {
  actionsOf,
  buildTopology,
  IMPLIED_CALLS,
  SDK_CLIENTS,
  workerCalls,
  WORKER_CALLS,
  WORKER_RUNTIME,
  type AwsCall,
  type Topology,
} from '@dockmaster/core/topology';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleConfigWith, loadExampleConfig } from './helpers.js';

/*
 * Least privilege both ways (packages/core/src/topology/worker-calls.ts): each handler is bundled as SST bundles
 * it, and the AWS calls of the code in the bundle are compared with what worker-calls.ts lists for the worker.
 * A command sent but not listed (it would fail with AccessDenied in AWS) or listed but never sent (a permission
 * nobody uses) fails. Then every action the topology grants must come from those calls, and every call's
 * actions must be granted, under a configuration that turns every feature on.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Commands that are in a worker's bundle only because it shares an adapter module with another worker; the
 * worker never calls the adapter method that sends them. Each needs its reason; the test fails when one is no
 * longer in the bundle at all.
 */
const BUNDLED_NOT_SENT: Partial<Record<AutomationId, Record<string, string>>> = {
  'cache-repository': { 'ecr:DescribeImages': "describeImageByTag of the shared ecr-repositories adapter is prepopulate's" },
  prepopulate: Object.fromEntries(
    // The cache-repository worker's configuring calls, less the one prepopulate sends itself.
    WORKER_CALLS['cache-repository'].ConfigureCacheRepositories.filter((call) => call !== 'ecr:DescribeRepositories')
      .map((call) => [call, 'prepopulate uses only describeImageByTag of the ecr-repositories adapter; the rest is the cache-repository worker\'s']),
  ),
  'scan-alert': { 'ecr:BatchDeleteImage': "removeTag of the shared ecr-images adapter is tag-policy's; scan-alert only reads labels" },
};

/** Registry client methods (packages/registry) by the registry operation that ECR authorises for them. */
const REGISTRY_METHODS: Record<string, AwsCall> = {
  getManifest: 'registry:pull',
  headManifest: 'registry:pull',
  headBlob: 'registry:pull',
  openBlobReadable: 'registry:pull',
  putManifest: 'registry:push',
  uploadBlob: 'registry:push',
  mountBlob: 'registry:push',
};

/** Powertools utilities that call AWS themselves, recognised by their module in the bundle. */
const POWERTOOLS_MODULES: Record<string, AwsCall> = {
  '@aws-lambda-powertools/idempotency/lib/esm/persistence/DynamoDBPersistenceLayer.js': 'powertools:idempotency',
  '@aws-lambda-powertools/parameters/lib/esm/ssm/': 'powertools:parameters-ssm',
  '@aws-lambda-powertools/parameters/lib/esm/dynamodb/': 'powertools:parameters-dynamodb',
  '@aws-lambda-powertools/parameters/lib/esm/secrets/': 'powertools:parameters-secrets',
};

/** `@aws-sdk/client-ecr` -> `ecr`, `@aws-sdk/lib-dynamodb` -> `dynamodb-doc`. */
const clientOf = (module: string): string | undefined => {
  if (module === '@aws-sdk/lib-dynamodb') return 'dynamodb-doc';
  return module.startsWith('@aws-sdk/client-') ? module.slice('@aws-sdk/client-'.length) : undefined;
};

/**
 * The SDK calls one source file makes: names imported (not as types) from an SDK client and used as
 * `new <Name>Command(` or `paginate<Name>(`. Hand-written scanning, because the TypeScript compiler API is
 * more than this needs: the sources import SDK names only in plain named imports (checked by the test below).
 */
const sdkCallsIn = (source: string): AwsCall[] => {
  const calls: AwsCall[] = [];
  for (const match of source.matchAll(/^import\s+(type\s+)?\{([^}]*)\}\s+from\s+['"](@aws-sdk\/[^'"]+)['"];/gm)) {
    const [, typeOnly, names = '', module = ''] = match;
    const client = clientOf(module);
    if (typeOnly !== undefined || client === undefined) continue;
    for (const specifier of names.split(',').map((name) => name.trim()).filter((name) => name !== '' && !name.startsWith('type '))) {
      const local = specifier.split(/\s+as\s+/).at(-1)!;
      const imported = specifier.split(/\s+as\s+/)[0]!;
      const command = /^(\w+)Command$/.exec(imported)?.[1];
      const paginated = /^paginate(\w+)$/.exec(imported)?.[1];
      if (command !== undefined && new RegExp(`\\bnew ${local}\\(`).test(source)) calls.push(`${client}:${command}` as AwsCall);
      if (paginated !== undefined && new RegExp(`\\b${local}\\(`).test(source)) calls.push(`${client}:${paginated}` as AwsCall);
    }
  }
  return calls;
};

interface BundleCalls {
  /** SDK calls of Dockmaster's own code in the bundle. */
  sdk: Set<string>;
  /** Registry operations and Powertools utilities in the bundle. */
  other: Set<string>;
  /** Own source files that use an SDK client some other way than a named import (then the scan would miss calls). */
  unscannable: string[];
}

const bundleCalls = async (id: AutomationId): Promise<BundleCalls> => {
  const entry = path.join(ROOT, 'packages/functions/src/handlers', `${id}.ts`);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: WORKER_RUNTIME.bundleFormat,
    target: 'node24',
    mainFields: ['module', 'main'],
    write: false,
    outfile: path.join(ROOT, `${id}.bundle.js`),
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.entries(Object.values(result.metafile.outputs)[0]?.inputs ?? {})
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([name]) => name);
  const own = inputs.filter((name) => !name.includes('node_modules/') && name.endsWith('.ts'));
  const calls: BundleCalls = { sdk: new Set(), other: new Set(), unscannable: [] };
  for (const file of own) {
    const source = await readFile(path.join(ROOT, file), 'utf8');
    for (const call of sdkCallsIn(source)) calls.sdk.add(call);
    if (/require\(['"]@aws-sdk|import\(['"]@aws-sdk\/client-|import \* as \w+ from '@aws-sdk/.test(source)) calls.unscannable.push(file);
    // The registry client's own files define the methods; everyone else calls them.
    if (file.startsWith('packages/registry/src/client/')) continue;
    for (const [method, call] of Object.entries(REGISTRY_METHODS)) if (new RegExp(`\\.${method}\\(`).test(source)) calls.other.add(call);
  }
  for (const [module, call] of Object.entries(POWERTOOLS_MODULES)) if (inputs.some((name) => name.includes(`node_modules/${module}`))) calls.other.add(call);
  return calls;
};

const declaredCalls = (id: AutomationId): Set<string> => new Set(Object.values(workerCalls(id)).flat());

const sorted = (values: Iterable<string>): string[] => [...values].sort();
const minus = (a: Iterable<string>, b: Set<string>): string[] => sorted([...a].filter((value) => !b.has(value)));

const bundles = new Map<AutomationId, BundleCalls>();
beforeAll(async () => {
  for (const id of AUTOMATION_IDS) bundles.set(id, await bundleCalls(id));
}, 120_000);

describe.each([...AUTOMATION_IDS])('the calls of the %s worker', (id) => {
  it('are exactly the SDK commands its bundle sends (plus what ECR calls on its behalf)', () => {
    // Prepare
    const bundle = bundles.get(id)!;
    const notSent = new Set(Object.keys(BUNDLED_NOT_SENT[id] ?? {}));
    const sent = minus(bundle.sdk, notSent);
    const sentWithImplied = new Set([...sent, ...sent.flatMap((call) => IMPLIED_CALLS[call] ?? [])]);
    const declaredSdk = sorted([...declaredCalls(id)].filter((call) => call.split(':')[0]! in SDK_CLIENTS));

    // Act
    const sentNotDeclared = minus(sentWithImplied, new Set(declaredSdk));
    const declaredNotSent = minus(declaredSdk, sentWithImplied);

    // Assess
    expect(bundle.unscannable).toEqual([]);
    expect({ sentNotDeclared, declaredNotSent }).toEqual({ sentNotDeclared: [], declaredNotSent: [] });
    // Every exception is still needed: its command is in the bundle.
    for (const call of notSent) expect(sorted(bundle.sdk), call).toContain(call);
  });

  it('list registry operations and Powertools utilities exactly when the bundle uses them', () => {
    // Prepare
    const bundle = bundles.get(id)!;
    const declared = new Set([...declaredCalls(id)].filter((call) => !(call.split(':')[0]! in SDK_CLIENTS)));
    // A first pull through a cache rule cannot be told from another pull in the code; it comes with a pull.
    const used = new Set([...bundle.other, ...(declared.has('registry:pull-through-cache') && bundle.other.has('registry:pull') ? ['registry:pull-through-cache'] : [])]);

    // Assess
    expect({ usedNotDeclared: minus(used, declared), declaredNotUsed: minus(declared, used) }).toEqual({ usedNotDeclared: [], declaredNotUsed: [] });
  });
});

/** Every feature on: tag policies (audit and enforce, tag immutability ECR holds and one checked on the push event), cache and copy prefixes with a secret, routes, the watchdog. */
const fullConfig = () => {
  const example = loadExampleConfig();
  const cache = example.pullThroughCache[0]!;
  const [production, vendor, ...otherPolicies] = example.tagPolicies;
  return exampleConfigWith({
    tagPolicies: [
      { ...production!, tagImmutability: { default: 'immutable', except: ['dev-*'] } },
      { ...vendor!, tagImmutability: { default: 'mutable', except: ['v[0-9]*'] } },
      ...otherPolicies,
    ],
    pullThroughCache: [
      cache,
      {
        prefix: 'nvcr',
        upstream: 'nvcr.io',
        mode: 'copy',
        credentialArn: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:registries/nvcr-AbCdEf',
        prepopulate: { images: [{ image: 'nvidia/cuda', tags: ['12.4.1-base-ubuntu22.04'] }] },
      },
    ],
    scanAlerts: { ...example.scanAlerts!, watchdog: { silentAfterHours: 24 } },
  });
};

const grantedActions = (topology: Topology, id: AutomationId): string[] => {
  const automation = topology.automations.find((candidate) => candidate.id === id)!;
  return sorted(new Set([...automation.permissions.flatMap((statement) => statement.actions), ...automation.stackGrants.flatMap((grant) => grant.actions)]));
};

describe('the roles the topology builds', () => {
  const topology = buildTopology(fullConfig());

  it.each([...AUTOMATION_IDS])('grant %s exactly the actions of its calls', (id) => {
    // Act
    const granted = grantedActions(topology, id);

    // Assess
    expect(granted).toEqual(sorted(actionsOf([...declaredCalls(id)] as AwsCall[])));
  });

  it('grant each statement exactly the actions of the calls listed under its Sid', () => {
    for (const automation of topology.automations) {
      const calls = workerCalls(automation.id);
      for (const statement of [...automation.permissions, ...automation.stackGrants]) {
        // Assess
        expect(statement.actions, `${automation.id} ${statement.sid}`).toEqual(actionsOf(calls[statement.sid] ?? []));
      }
    }
  });

  it('let scan-alert read Inspector findings (enhanced scanning) on *, and nobody else', () => {
    // Act
    const readers = topology.automations.filter((automation) => grantedActions(topology, automation.id).includes('inspector2:ListFindings'));
    const statement = readers[0]?.permissions.find((candidate) => candidate.actions.includes('inspector2:ListFindings'));

    // Assess
    expect(readers.map((automation) => automation.id)).toEqual(['scan-alert']);
    expect(statement).toEqual({ sid: 'ReadEnhancedFindings', actions: ['inspector2:ListFindings', 'inspector2:ListCoverage'], resources: ['*'] });
  });
});

describe('the SDK call scan', () => {
  it('finds commands and paginators of named imports, and ignores type imports and names never sent', () => {
    // Prepare
    const source = [
      "import { ECRClient, DescribeImagesCommand, paginateDescribeRepositories, BatchDeleteImageCommand as Delete, PutImageCommand } from '@aws-sdk/client-ecr';",
      "import type { GetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';",
      'import { GetCommand } from "@aws-sdk/lib-dynamodb";',
      'await client.send(new DescribeImagesCommand({}));',
      'for await (const page of paginateDescribeRepositories({ client }, {})) {}',
      'await client.send(new Delete({}));',
      'await documents.send(new GetCommand({}));',
      'type Unused = PutImageCommand;',
    ].join('\n');

    // Act
    const calls = sdkCallsIn(source);

    // Assess
    expect(sorted(calls)).toEqual(['dynamodb-doc:Get', 'ecr:BatchDeleteImage', 'ecr:DescribeImages', 'ecr:DescribeRepositories']);
  });
});
