import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUTOMATION_IDS } from '@dockmaster/core/constants';
import { IMPLIED_CALLS, SDK_CLIENTS, workerCalls } from '@dockmaster/core/topology';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { baselineImports, baselineSource, importsForCalls, WORKER_RUNTIME_POWERTOOLS } from './worker-baseline.js';

/*
 * The cold-start yardstick of `npm run bench` (handlers.ts): each worker's baseline must follow its declared
 * calls in packages/core/src/topology/worker-calls.ts, and must build (every import it names exists).
 */

const FUNCTIONS_DIR = fileURLToPath(new URL('../../packages/functions', import.meta.url));

const names = async (calls: Parameters<typeof importsForCalls>[0]) =>
  Object.fromEntries([...(await importsForCalls(calls, FUNCTIONS_DIR)).modules].map(([module, exported]) => [module, [...exported].sort()]));

describe('a worker baseline', () => {
  it('holds the client class and command of each SDK call, the DynamoDB client under the document client, and the Powertools utility of each powertools call', async () => {
    // Act
    const modules = await names(['ecr:DescribeImages', 'ecr:BatchDeleteImage', 'dynamodb-doc:Get', 'powertools:parameters-secrets', 'registry:pull']);

    // Assess
    expect(modules).toEqual({
      '@aws-sdk/client-ecr': ['BatchDeleteImageCommand', 'DescribeImagesCommand', 'ECRClient'],
      '@aws-sdk/lib-dynamodb': ['DynamoDBDocumentClient', 'GetCommand'],
      '@aws-sdk/client-dynamodb': ['DynamoDBClient'],
      '@aws-lambda-powertools/parameters/secrets': ['SecretsProvider'],
    });
  });

  it('leaves out the calls ECR makes on the caller\'s behalf (inspector2), which are in no bundle', async () => {
    // Act
    const modules = await names(['inspector2:ListFindings', 'ecr:DescribeImageScanFindings']);

    // Assess
    expect(Object.keys(modules)).toEqual(['@aws-sdk/client-ecr']);
  });

  it('refuses a Powertools call it does not know how to import, rather than measuring without it', async () => {
    // Act, Assess
    await expect(importsForCalls(['powertools:tracer'], FUNCTIONS_DIR)).rejects.toThrow(/no Powertools import known for the declared call powertools:tracer/);
  });

  it("holds the Powertools utilities the workers' wiring imports at load, and only ones it imports", () => {
    // Prepare
    const wiring = readFileSync(path.join(FUNCTIONS_DIR, 'src/handlers/wiring/sqs-worker.ts'), 'utf8');

    // Assess: each listed name is imported by value from its module (an import that the wiring dropped fails here).
    for (const { module, names } of WORKER_RUNTIME_POWERTOOLS) {
      for (const name of names) expect(wiring).toMatch(new RegExp(`^import \\{[^}]*\\b${name}\\b[^}]*\\} from '${module}';$`, 'm'));
    }
  });

  it.each([...AUTOMATION_IDS])('of %s follows its declared calls and builds', async (id) => {
    // Prepare
    const implied = new Set<string>(Object.values(IMPLIED_CALLS).flat());
    const declaredSdkCommands = Object.values(workerCalls(id))
      .flat()
      .filter((call) => call.split(':')[0]! in SDK_CLIENTS && !implied.has(call))
      .map((call) => `${call.split(':')[1]}Command`);

    // Act
    const imports = await baselineImports(id, FUNCTIONS_DIR);
    const result = await build({
      stdin: { contents: baselineSource(imports), resolveDir: FUNCTIONS_DIR, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      logLevel: 'silent',
      outfile: path.join(FUNCTIONS_DIR, 'baseline.cjs'),
    });

    // Assess
    const exported = [...imports.modules.values()].flatMap((set) => [...set]);
    expect(exported).toEqual(expect.arrayContaining(declaredSdkCommands));
    expect(imports.modules.get('@aws-lambda-powertools/logger')).toEqual(new Set(['Logger']));
    expect(result.errors).toEqual([]);
  });
});
