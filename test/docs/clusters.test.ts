import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * docs/clusters.md runs as written: every `sh` block is run with bash, and its output is compared with the plain
 * block that follows it. `bash` blocks need a cluster or an AWS account and are not run here (the doc says so).
 * The `sh` blocks of the "Clusters" section of docs/cli.md run too.
 */

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOC = path.join(REPOSITORY_ROOT, 'docs', 'clusters.md');
const CLI_DOC = path.join(REPOSITORY_ROOT, 'docs', 'cli.md');
const EXAMPLE = path.join('docs', 'examples', 'dockmaster.example.yaml');
const run = promisify(execFile);

type Block = { info: string; body: string };
const blocksOf = (markdown: string): Block[] => [...markdown.matchAll(/^```([a-z]*)\n([\s\S]*?)^```$/gm)].map(([, info = '', body = '']) => ({ info, body }));

/** Each `sh` block with the output block after it. */
const snippets = (): { script: string; expected: string | undefined }[] => {
  const blocks = blocksOf(readFileSync(DOC, 'utf8'));
  return blocks.flatMap((block, index) => (block.info === 'sh' ? [{ script: block.body, expected: blocks[index + 1]?.info === '' ? blocks[index + 1]?.body : undefined }] : []));
};

/** The `sh` blocks of docs/cli.md's "## Clusters" section. */
const cliSnippets = (): string[] => {
  const markdown = readFileSync(CLI_DOC, 'utf8');
  const start = markdown.indexOf('\n## Clusters\n');
  const section = markdown.slice(start, markdown.indexOf('\n## ', start + 1));
  return start === -1 ? [] : blocksOf(section).flatMap((block) => (block.info === 'sh' ? [block.body] : []));
};

let workDir: string;

beforeAll(async () => {
  // Under the repository root (in the gitignored .dockmaster/), so that `npx dockmaster` finds the project's CLI.
  mkdirSync(path.join(REPOSITORY_ROOT, '.dockmaster'), { recursive: true });
  workDir = await mkdtemp(path.join(REPOSITORY_ROOT, '.dockmaster', 'clusters-docs-'));
  mkdirSync(path.join(workDir, 'docs', 'examples'), { recursive: true });
  copyFileSync(path.join(REPOSITORY_ROOT, EXAMPLE), path.join(workDir, EXAMPLE));
});

afterAll(async () => {
  if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
});

describe('docs/clusters.md', () => {
  it('has the commands of every way it describes as sh blocks, each with its output', () => {
    // Act
    const scripts = snippets();

    // Assess
    expect(scripts.map(({ script }) => /dockmaster (\S+)/.exec(script)?.[1])).toEqual(['rewrite-image', 'render-rewrite', 'rewrite-image', 'render-rewrite']);
    expect(scripts.every(({ expected }) => expected !== undefined)).toBe(true);
  });

  it('docs/cli.md: the Clusters section has a command for each of its two commands', () => {
    // Act
    const scripts = cliSnippets();

    // Assess
    expect(scripts.map((script) => /dockmaster (\S+)/.exec(script)?.[1])).toEqual(['rewrite-image', 'render-rewrite']);
  });

  it.each(cliSnippets().map((script) => [script.split('\n')[0], script]))('docs/cli.md runs as written: %s', { timeout: 60_000 }, async (_first, script) => {
    // Act
    const ran = run('bash', ['-euo', 'pipefail', '-c', script ?? ''], { cwd: workDir });

    // Assess
    await expect(ran).resolves.toMatchObject({ stderr: '' });
  });

  it.each(snippets().map(({ script, expected }) => [script.split('\n')[0], script, expected]))('runs as written: %s', { timeout: 60_000 }, async (_first, script, expected) => {
    // Act
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script ?? ''], { cwd: workDir });

    // Assess
    expect(stdout).toBe(expected);
  });
});
