import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import {
  CONFIG_MAX_BYTES,
  configByteSize,
  configMarker,
  configTooLargeMessage,
  formatConfigIssue,
  formatConfigMarker,
  loadConfig,
  storedConfigValue,
  type DockmasterConfig,
} from '@dockmaster/core/config';

/*
 * Reading and validating the configuration to deploy. No SST globals here, so it runs (and is tested)
 * outside `sst deploy`: an invalid file must stop the deploy before any resource is touched.
 */

const DEFAULT_CONFIG_FILE = 'docs/examples/dockmaster.example.yaml';

interface DeployConfig {
  /** As the user named it (relative to the repository root when inside it). */
  file: string;
  config: DockmasterConfig;
  /** What goes into the config table's item: the file's data as compact JSON (YAML 1.2 reads it back). */
  storedValue: string;
  /** What goes into the SSM parameter: the marker of storedValue (sha256, bytes), always well inside a Standard parameter. */
  markerValue: string;
  /** Non-fatal findings (expired exemptions), formatted `file:line:col path message`. */
  warnings: string[];
}

class DeployConfigError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'DeployConfigError';
  }
}

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
    // The size first (CONFIG_MAX_BYTES, the limit validate and the local stack apply): never read a huge file.
    const bytes = statSync(absolute).size;
    if (bytes > CONFIG_MAX_BYTES) throw new DeployConfigError(`${shown}: ${configTooLargeMessage(bytes, 'the file')}; nothing was deployed`);
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    if (error instanceof DeployConfigError) throw error;
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
  // The file passed validation (its stored form included), so it is plain YAML data within the limit.
  const storedValue = storedConfigValue(text);
  const storedBytes = configByteSize(storedValue);
  if (storedBytes > CONFIG_MAX_BYTES) throw new DeployConfigError(`${shown}: ${configTooLargeMessage(storedBytes, 'the configuration as stored (compact JSON)')}; nothing was deployed`);
  return {
    file: shown,
    config: result.config,
    storedValue,
    markerValue: formatConfigMarker(configMarker(storedValue)),
    warnings: result.warnings.map(formatConfigIssue),
  };
};

export { DEFAULT_CONFIG_FILE, DeployConfigError, loadDeployConfig };
export type { DeployConfig };
