import { readFile, stat } from 'node:fs/promises';
import { CONFIG_MAX_BYTES, configTooLargeMessage, formatConfigIssue, loadConfig, storedConfigValue, type DockmasterConfig } from '@dockmaster/core/config';
import { UserFacingError } from '@dockmaster/core/errors';

interface StackConfig {
  config: DockmasterConfig;
  /** What the stack stores in its config table: the file's data as compact JSON, as the deploy stores it. */
  stored: string;
  warnings: string[];
}

/** Reads and validates the configuration like `dockmaster validate`: every problem on its own line, nothing started. */
const loadStackConfig = async (configPath: string): Promise<StackConfig> => {
  let yaml: string;
  let size: number;
  try {
    // The size first: a file too large to deploy is refused before it is read and parsed.
    ({ size } = await stat(configPath));
    yaml = size > CONFIG_MAX_BYTES ? '' : await readFile(configPath, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UserFacingError('LOCAL_CONFIG_UNREADABLE', `cannot read configuration ${configPath}: ${reason}; pass --config <file>`);
  }
  if (size > CONFIG_MAX_BYTES) throw new UserFacingError('LOCAL_CONFIG_INVALID', `${configPath}: ${configTooLargeMessage(size, 'the file')}; nothing was started`);
  const result = loadConfig(yaml, configPath);
  if (!result.ok) {
    const lines = result.issues.map(formatConfigIssue).join('\n');
    throw new UserFacingError('LOCAL_CONFIG_INVALID', `${lines}\n${configPath} is not a valid configuration; nothing was started (fix the lines above, check with: dockmaster validate ${configPath})`);
  }
  return { config: result.config, stored: storedConfigValue(yaml), warnings: result.warnings.map(formatConfigIssue) };
};

export { loadStackConfig };
export type { StackConfig };
