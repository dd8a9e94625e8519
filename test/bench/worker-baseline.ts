import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SDK_CLIENTS, IMPLIED_CALLS, workerCalls, type AwsCall } from '@dockmaster/core/topology';
import type { AutomationId } from '@dockmaster/core/constants';

/*
 * The cold-start yardstick of a worker: a bundle holding only the AWS SDK clients (with the commands) and the
 * Powertools utilities that the worker's declared calls (packages/core/src/topology/worker-calls.ts) need. It is
 * built with the worker's own esbuild options, so the ratio of the two imports says what the worker's own code
 * and its other libraries add. Nothing here lists what a worker uses: only how a kind of call is imported.
 */

/** The package of an SDK client name of worker-calls.ts (`dynamodb-doc` is the document client of lib-dynamodb). */
const sdkPackage = (client: string): string => (client === 'dynamodb-doc' ? '@aws-sdk/lib-dynamodb' : `@aws-sdk/client-${client}`);

/**
 * Powertools utilities by their `powertools:` call: the modules and exports a worker imports to use them.
 * Idempotency stores its records through the DynamoDB persistence layer; the providers read parameters.
 */
const POWERTOOLS_IMPORTS: Readonly<Record<string, readonly { module: string; names: readonly string[] }[]>> = {
  'powertools:idempotency': [
    { module: '@aws-lambda-powertools/idempotency', names: ['IdempotencyConfig', 'makeIdempotent'] },
    { module: '@aws-lambda-powertools/idempotency/dynamodb', names: ['DynamoDBPersistenceLayer'] },
  ],
  'powertools:parameters-ssm': [{ module: '@aws-lambda-powertools/parameters/ssm', names: ['SSMProvider'] }],
  'powertools:parameters-dynamodb': [{ module: '@aws-lambda-powertools/parameters/dynamodb', names: ['DynamoDBProvider'] }],
  'powertools:parameters-secrets': [{ module: '@aws-lambda-powertools/parameters/secrets', names: ['SecretsProvider'] }],
};

/**
 * The Powertools utilities every worker uses whatever its calls: its wiring (packages/functions/src/handlers/
 * wiring/sqs-worker.ts) logs through Logger and publishes through Metrics, with their middy middlewares, from the
 * moment the handler module loads. They are "Powertools utilities that worker uses" as much as idempotency is,
 * so the baseline holds them too (worker-baseline.test.ts checks the wiring still imports each).
 */
const WORKER_RUNTIME_POWERTOOLS: readonly { module: string; names: readonly string[] }[] = [
  { module: '@aws-lambda-powertools/logger', names: ['Logger'] },
  { module: '@aws-lambda-powertools/logger/middleware', names: ['injectLambdaContext'] },
  { module: '@aws-lambda-powertools/metrics', names: ['Metrics'] },
  { module: '@aws-lambda-powertools/metrics/middleware', names: ['logMetrics'] },
];

/** The SDK calls that ECR makes on the caller's behalf: declared for IAM, never in the worker's code. */
const impliedCalls = new Set<string>(Object.values(IMPLIED_CALLS).flat());

interface BaselineImports {
  /** Module -> the names the baseline bundle exports from it (so that esbuild keeps them). */
  modules: Map<string, Set<string>>;
}

/** The client class of an SDK package (`ECRClient`, `DynamoDBDocumentClient`), read from the package's exports. */
const clientClassOf = async (requireFromWorkers: NodeJS.Require, module: string): Promise<string> => {
  const exports = Object.keys((await import(pathToFileURL(requireFromWorkers.resolve(module)).href)) as object);
  const clients = exports.filter((name) => /^[A-Z]\w*Client$/.test(name));
  if (clients.length !== 1) throw new Error(`${module}: expected one client class, found ${clients.join(', ') || 'none'}`);
  return clients[0]!;
};

/**
 * What a baseline for these calls imports: for each SDK call its client class and `<Command>Command`
 * (the document client's commands need the DynamoDB client too), for each Powertools call the utility.
 * Registry operations are HTTP (no SDK), and implied calls are ECR's own.
 */
const importsForCalls = async (calls: Iterable<AwsCall>, functionsDir: string): Promise<BaselineImports> => {
  const requireFromWorkers = createRequire(path.join(functionsDir, 'package.json'));
  const modules = new Map<string, Set<string>>();
  const add = (module: string, name: string): void => {
    modules.set(module, new Set([...(modules.get(module) ?? []), name]));
  };
  for (const call of new Set(calls)) {
    const [kind, command] = call.split(':') as [string, string];
    if (kind in SDK_CLIENTS) {
      if (impliedCalls.has(call)) continue;
      const module = sdkPackage(kind);
      add(module, await clientClassOf(requireFromWorkers, module));
      add(module, `${command}Command`);
      if (kind === 'dynamodb-doc') add(sdkPackage('dynamodb'), await clientClassOf(requireFromWorkers, sdkPackage('dynamodb')));
    } else if (kind === 'powertools') {
      const imports = POWERTOOLS_IMPORTS[call];
      if (imports === undefined) throw new Error(`no Powertools import known for the declared call ${call} (test/bench/worker-baseline.ts)`);
      for (const { module, names } of imports) for (const name of names) add(module, name);
    } else if (kind !== 'registry') {
      throw new Error(`unknown kind of call ${call}`);
    }
  }
  return { modules };
};

/** The baseline of worker `id`: the imports of every call it declares (its own and the common ones) and the runtime's Powertools utilities. */
const baselineImports = async (id: AutomationId, functionsDir: string): Promise<BaselineImports> => {
  const imports = await importsForCalls(Object.values(workerCalls(id)).flat(), functionsDir);
  for (const { module, names } of WORKER_RUNTIME_POWERTOOLS) imports.modules.set(module, new Set([...(imports.modules.get(module) ?? []), ...names]));
  return imports;
};

/** The baseline's entry source: re-exports only, so the bundle holds them and nothing else. */
const baselineSource = ({ modules }: BaselineImports): string =>
  [...modules]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([module, names], index) => `export { ${[...names].sort().map((name) => `${name} as m${index}_${name}`).join(', ')} } from '${module}';`)
    .join('\n');

/** One line per module, for the benchmark's output: what the baseline holds. */
const describeBaseline = ({ modules }: BaselineImports): string =>
  [...modules.keys()].map((module) => module.replace(/^@aws-sdk\/(client-)?|^@aws-lambda-powertools\//, '')).sort().join(', ');

export { baselineImports, baselineSource, describeBaseline, importsForCalls, POWERTOOLS_IMPORTS, WORKER_RUNTIME_POWERTOOLS };
export type { BaselineImports };
