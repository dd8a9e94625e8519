import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { formatConfigIssue, loadConfig, type DockmasterConfig } from '@dockmaster/core/config';
import { parse } from 'yaml';

/*
 * Reading and validating the configuration to deploy. No SST globals here, so it runs (and is tested)
 * outside `sst deploy`: an invalid file must stop the deploy before any resource is touched.
 */

const DEFAULT_CONFIG_FILE = 'docs/examples/dockmaster.example.yaml';

/** SSM Standard parameters hold 4 KB; Advanced ones 8 KB (and cost money, so only when needed). */
const STANDARD_PARAMETER_LIMIT = 4096;
const ADVANCED_PARAMETER_LIMIT = 8192;

type ParameterTier = 'Standard' | 'Advanced';

interface DeployConfig {
  /** As the user named it (relative to the repository root when inside it). */
  file: string;
  config: DockmasterConfig;
  /** What goes into the SSM parameter: the file's data as compact JSON (YAML 1.2 reads it back). */
  parameterValue: string;
  parameterTier: ParameterTier;
  /** Non-fatal findings (expired exemptions), formatted `file:line:col path message`. */
  warnings: string[];
}

class DeployConfigError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'DeployConfigError';
  }
}

const parameterTier = (value: string, file: string): ParameterTier => {
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes <= STANDARD_PARAMETER_LIMIT) return 'Standard';
  if (bytes <= ADVANCED_PARAMETER_LIMIT) return 'Advanced';
  throw new DeployConfigError(
    `${file}: the configuration is ${bytes} bytes as JSON, more than the ${ADVANCED_PARAMETER_LIMIT} bytes an SSM parameter can hold. ` +
      'Remove unused entries (expired exemptions and suppressions, teams nobody routes to) and deploy again.',
  );
};

/**
 * Loads the file named by `file` (default: the example configuration), relative to `root`.
 * Throws DeployConfigError with one `file:line:col path message` line per problem when it is invalid.
 */
const loadDeployConfig = (root: string, file: string | undefined = undefined): DeployConfig => {
  const requested = file === undefined || file.trim() === '' ? DEFAULT_CONFIG_FILE : file;
  const absolute = isAbsolute(requested) ? requested : resolve(root, requested);
  const shown = relative(root, absolute).startsWith('..') ? absolute : relative(root, absolute);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : String((error as Error).message);
    throw new DeployConfigError(
      `Cannot read the Dockmaster configuration ${shown} (${reason}). Set DOCKMASTER_CONFIG to the path of your configuration file.`,
    );
  }
  const result = loadConfig(text, shown);
  if (!result.ok) {
    const lines = result.issues.map(formatConfigIssue);
    throw new DeployConfigError(
      `The Dockmaster configuration ${shown} is invalid; nothing was deployed. Fix these ${lines.length} problem(s) and deploy again:\n${lines.join('\n')}`,
    );
  }
  // The file passed validation, so it is plain YAML data; JSON drops comments and keeps the parameter small.
  const parameterValue = JSON.stringify(parse(text));
  return {
    file: shown,
    config: result.config,
    parameterValue,
    parameterTier: parameterTier(parameterValue, shown),
    warnings: result.warnings.map(formatConfigIssue),
  };
};

export { ADVANCED_PARAMETER_LIMIT, DEFAULT_CONFIG_FILE, DeployConfigError, loadDeployConfig, STANDARD_PARAMETER_LIMIT };
export type { DeployConfig, ParameterTier };
