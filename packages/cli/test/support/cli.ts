import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/main.js';
import { captureIo } from '../../src/testing/index.js';

/** The repository root, for the committed example config and AWS sample events. */
const fromRoot = (relative: string): string => new URL(`../../../../${relative}`, import.meta.url).pathname;

const EXAMPLE_CONFIG = fromRoot('docs/examples/dockmaster.example.yaml');
const sampleEvent = (name: string): string => fromRoot(`test/fixtures/aws-events/${name}`);

/** Runs `dockmaster <argv>` in-process through the real `main`, capturing what it prints. */
const runCli = async (argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  const { io, out, err } = captureIo();
  const code = await main(argv, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
};

/** A scratch directory for files a test writes (configs, events, patterns). */
const scratch = (prefix: string) => {
  const directory = mkdtempSync(path.join(tmpdir(), `dockmaster-${prefix}-`));
  return (name: string, content: unknown): string => {
    const file = path.join(directory, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
};

export { captureIo, EXAMPLE_CONFIG, fromRoot, runCli, sampleEvent, scratch };
