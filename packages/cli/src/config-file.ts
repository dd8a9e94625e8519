import { formatConfigIssue, loadConfig, type DockmasterConfig } from '@dockmaster/core/config';
import { InvalidConfigError, UsageError } from './errors.js';
import { readUserFile } from './io.js';

/** Loads the config a command was pointed at; an invalid config exits 1 (as `validate` does) with every error line. */
const loadConfigFile = (path: string | undefined, usage: string): DockmasterConfig => {
  if (!path) throw new UsageError(`--config <file> is required\nusage: ${usage}`);
  const result = loadConfig(readUserFile(path, 'configuration'), path);
  if (!result.ok) {
    const lines = result.issues.map(formatConfigIssue).join('\n');
    throw new InvalidConfigError(`${lines}\n${path} is not a valid configuration (run: dockmaster validate ${path})`);
  }
  return result.config;
};

export { loadConfigFile };
