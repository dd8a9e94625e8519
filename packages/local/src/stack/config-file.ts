import { readFile } from 'node:fs/promises';
import { formatConfigIssue, loadConfig, type DockmasterConfig } from '@dockmaster/core/config';
import { UserFacingError } from '@dockmaster/core/errors';

interface StackConfig {
  config: DockmasterConfig;
  /** The file's text, stored as is in the local SSM parameter (as infra stores it). */
  yaml: string;
  warnings: string[];
}

/** Reads and validates the configuration like `dockmaster validate`: every problem on its own line, nothing started. */
const loadStackConfig = async (configPath: string): Promise<StackConfig> => {
  let yaml: string;
  try {
    yaml = await readFile(configPath, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UserFacingError('LOCAL_CONFIG_UNREADABLE', `cannot read configuration ${configPath}: ${reason}; pass --config <file>`);
  }
  const result = loadConfig(yaml, configPath);
  if (!result.ok) {
    const lines = result.issues.map(formatConfigIssue).join('\n');
    throw new UserFacingError('LOCAL_CONFIG_INVALID', `${lines}\n${configPath} is not a valid configuration; nothing was started (fix the lines above, check with: dockmaster validate ${configPath})`);
  }
  return { config: result.config, yaml, warnings: result.warnings.map(formatConfigIssue) };
};

export { loadStackConfig };
export type { StackConfig };
