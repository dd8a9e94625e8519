import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { ListImagesCommand } from '@aws-sdk/client-ecr';
import { DockmasterEventType } from '@dockmaster/core/constants';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT, startTestStack, type TestStack } from '../support/local-stack.js';

/*
 * docs/local-stack.md, "Talking to it with your own tools", run as written with bash, the AWS CLI and skopeo
 * against a running stack. Only the example ports are replaced by the stack's. The AWS_* variables the shell
 * may have are removed: the commands must work with `--endpoint-url` and `--region` alone, as with an AWS
 * CLI v1 that ignores AWS_ENDPOINT_URL.
 */

const DOC = path.join(REPOSITORY_ROOT, 'docs', 'local-stack.md');
const EXAMPLE_REGISTRY = '127.0.0.1:41234';
const EXAMPLE_AWS = 'http://127.0.0.1:41235';
const run = promisify(execFile);

/** The first ```sh block after `heading`. */
const snippetAfter = (markdown: string, heading: string): string => {
  const section = markdown.slice(markdown.indexOf(heading));
  const match = /```sh\n([\s\S]*?)```/.exec(section);
  if (!markdown.includes(heading) || match?.[1] === undefined) throw new Error(`no sh block after "${heading}" in ${DOC}`);
  return match[1];
};

let e2e: TestStack;
let workDir: string;

beforeAll(async () => {
  e2e = await startTestStack({ prefix: 'docs-state' });
  // Under the repository root (in the gitignored .dockmaster/), so that `npx dockmaster` finds the project's CLI.
  mkdirSync(path.join(REPOSITORY_ROOT, '.dockmaster'), { recursive: true });
  workDir = await mkdtemp(path.join(REPOSITORY_ROOT, '.dockmaster', 'docs-test-'));
});

afterAll(async () => {
  await e2e?.stop();
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

describe('docs/local-stack.md', () => {
  it('"Talking to it with your own tools" runs as written: image written, pushed and kept, policy of the first pull read back', { timeout: 120_000 }, async () => {
    // Prepare
    const snippet = snippetAfter(readFileSync(DOC, 'utf8'), '### Talking to it with your own tools');
    expect(snippet).toContain(EXAMPLE_REGISTRY);
    expect(snippet).toContain(EXAMPLE_AWS);
    const script = snippet.replaceAll(EXAMPLE_REGISTRY, new URL(e2e.stack.urls.registry).host).replaceAll(EXAMPLE_AWS, e2e.stack.urls.aws);
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));

    // Act
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], { cwd: workDir, env, maxBuffer: 16 * 1024 * 1024 });
    await e2e.stack.waitForIdle(30_000);

    // Assess: the last command printed the policy the cache-repository worker set on the first pull.
    const policyAnswer = JSON.parse(stdout.slice(stdout.lastIndexOf('{\n'))) as { repositoryName: string; policyText: string };
    expect(policyAnswer.repositoryName).toBe('k8s/pause');
    expect(policyAnswer.policyText).toContain('444455556666');
    // The image `local image` wrote carries the labels the tag policy requires: the push was kept, not reported.
    const listed = await e2e.ecr.send(new ListImagesCommand({ repositoryName: 'prod/payments/api' }));
    expect(listed.imageIds?.map((id) => id.imageTag)).toEqual(['1.4.2']);
    expect(e2e.deliveries.filter((delivery) => delivery.bus === 'dockmaster' && delivery.event['detail-type'] === DockmasterEventType.TagPolicyViolation)).toEqual([]);
  });
});
