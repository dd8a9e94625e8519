import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { captureIo, main } from '@dockmaster/cli/testing';
import { CONFIG_MAX_BYTES } from '@dockmaster/core/config';
import { loadStackConfig } from '@dockmaster/local/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDeployConfig } from '../../infra/load-config';
import { EXAMPLE_CONFIG, REPOSITORY_ROOT } from '../support/paths.js';

/*
 * Issue 10 item 3: one size limit, CONFIG_MAX_BYTES, for `dockmaster validate`, `npm start` (the local stack's
 * loadStackConfig) and the deploy (infra/load-config.ts). A file at the limit passes all three, one byte more
 * fails all three with the same reason, so nothing validate accepts is refused by the deploy.
 */


let dir: string;
let example: string;

/** The example padded with a comment to exactly `bytes` bytes. */
const writeSized = async (name: string, bytes: number): Promise<string> => {
  const file = path.join(dir, name);
  const padding = bytes - Buffer.byteLength(example) - 3;
  await writeFile(file, `${example}# ${'x'.repeat(padding)}\n`);
  return file;
};

const validate = async (file: string) => {
  const { io, out, err } = captureIo();
  const code = await main(['validate', file], io);
  return { code, out: [...out, ...err].join('\n') };
};

const outcomeOf = async (act: () => Promise<unknown>): Promise<string> => {
  try {
    await act();
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  }
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dockmaster-config-size-'));
  example = await readFile(EXAMPLE_CONFIG, 'utf8');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('one configuration size limit', () => {
  it('accepts a file of exactly CONFIG_MAX_BYTES in validate, npm start and deploy', async () => {
    // Prepare
    const file = await writeSized('at-limit.yaml', CONFIG_MAX_BYTES);

    // Act
    const validated = await validate(file);
    const started = await outcomeOf(() => loadStackConfig(file));
    const deployed = await outcomeOf(async () => loadDeployConfig(REPOSITORY_ROOT, file));

    // Assess
    expect(validated.code).toBe(0);
    expect([started, deployed]).toEqual(['accepted', 'accepted']);
  });

  it('refuses one byte more in all three, each saying the size and the limit', async () => {
    // Prepare
    const file = await writeSized('over-limit.yaml', CONFIG_MAX_BYTES + 1);
    const reason = `the file is ${CONFIG_MAX_BYTES + 1} bytes, more than the ${CONFIG_MAX_BYTES} bytes`;

    // Act
    const validated = await validate(file);
    const started = await outcomeOf(() => loadStackConfig(file));
    const deployed = await outcomeOf(async () => loadDeployConfig(REPOSITORY_ROOT, file));

    // Assess
    expect(validated.code).toBe(1);
    expect(validated.out).toContain(reason);
    expect(started).toContain(reason);
    expect(deployed).toContain(reason);
  });
});
