import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';

const CONFIG_EXTENSIONS = ['.yaml', '.yml'] as const;
const JSON_EXTENSIONS = ['.json'] as const;

/** Files in `directory` a user may have meant (their extensions), at most MAX_SUGGESTIONS, for the EISDIR message. */
const MAX_SUGGESTIONS = 3;
const filesInside = (directory: string, extensions: readonly string[]): string[] => {
  try {
    return readdirSync(directory, { withFileTypes: true })
      .filter((entry) => entry.isFile() && extensions.includes(path.extname(entry.name)))
      .map((entry) => path.join(directory, entry.name))
      .sort()
      .slice(0, MAX_SUGGESTIONS);
  } catch {
    return [];
  }
};

/** Why a file cannot be read, and what to do about it, for the errors Node reports by code. */
const unreadableReason = (file: string, error: NodeJS.ErrnoException, extensions: readonly string[]): string => {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file; check the path (relative paths start from the current directory)';
    case 'EISDIR': {
      const candidates = filesInside(file, extensions);
      const hint = candidates.length > 0 ? `, e.g. ${candidates.join(' or ')}` : '';
      return `it is a directory; name a file${hint}`;
    }
    case 'EACCES':
    case 'EPERM':
      return `permission denied; make it readable for this user (ls -l ${file})`;
    case 'ENOTDIR':
      return 'a part of the path is a file, not a directory; check the path';
    default:
      return error.message;
  }
};

/**
 * Reads a file the user named; an unreadable one (missing, a directory, no permission) is a usage error (exit 2)
 * that says which file, why, and how to fix it. `extensions` are the files suggested when it is a directory.
 */
const readUserFile = (file: string, what: string, extensions: readonly string[] = what === 'configuration' ? CONFIG_EXTENSIONS : JSON_EXTENSIONS): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${file}: ${unreadableReason(file, error as NodeJS.ErrnoException, extensions)}`);
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
