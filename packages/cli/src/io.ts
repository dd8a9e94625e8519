import { readFileSync } from 'node:fs';
import { UsageError } from './errors.js';

/** Reads a file the user named; an unreadable file is a usage error (exit 2) that says which and why. */
const readUserFile = (path: string, what: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UsageError(`cannot read ${what} ${path}: ${reason}`);
  }
};

/** Reads and parses a JSON file the user named; bad JSON is a usage error with the parser's position. */
const readUserJson = (path: string, what: string): unknown => {
  const text = readUserFile(path, what);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON (${what}): ${(error as Error).message}`);
  }
};

/** Streams for output, injectable so commands are testable in-process. */
interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTty: boolean;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  isTty: Boolean(process.stdout.isTTY),
};

export { processIo, readUserFile, readUserJson };
export type { CliIo };
