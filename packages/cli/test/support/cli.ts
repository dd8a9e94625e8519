import { execFile, type ExecFileOptions } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { awsSamplePath, EXAMPLE_CONFIG_PATH } from '@dockmaster/core/testing';
import { main } from '../../src/main.js';
import { captureIo } from '../../src/testing/index.js';

/** The repository root, for the committed example config and AWS sample events. */
const fromRoot = (relative: string): string => new URL(`../../../../${relative}`, import.meta.url).pathname;

const EXAMPLE_CONFIG = EXAMPLE_CONFIG_PATH;
/** A sample's path, from core's one sample reader. */
const sampleEvent = awsSamplePath;

/** Runs `dockmaster <argv>` in-process through the real `main`, capturing what it prints. */
const runCli = async (argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  const { io, out, err } = captureIo();
  const code = await main(argv, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
};

type Ran = { code: number; stdout: string; stderr: string };
const execFileAsync = promisify(execFile);

/** Runs a process to its end: its exit code and its output without trailing white space, failed or not. */
const runProcess = async (file: string, args: string[], options: ExecFileOptions): Promise<Ran> => {
  try {
    const { stdout, stderr } = await execFileAsync(file, args, { ...options, encoding: 'utf8' });
    return { code: 0, stdout: stdout.trimEnd(), stderr: stderr.trimEnd() };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout.trimEnd(), stderr: failed.stderr.trimEnd() };
  }
};

/** A scratch directory for files a test writes (configs, events, patterns): write(name, content) returns the path; `.directory` is the directory. */
const scratch = (prefix: string) => {
  const directory = mkdtempSync(path.join(tmpdir(), `dockmaster-${prefix}-`));
  const write = (name: string, content: unknown): string => {
    const file = path.join(directory, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  return Object.assign(write, { directory });
};

export { captureIo, EXAMPLE_CONFIG, fromRoot, runCli, runProcess, sampleEvent, scratch };
export type { Ran };
