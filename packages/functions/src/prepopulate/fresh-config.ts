import type { DockmasterConfig } from '@dockmaster/core/config';
import { createConfigSource, type ConfigSource } from '../config-source.js';
import { EnvVar } from '../constants.js';

let cached: { parameterName: string; source: ConfigSource } | undefined;

/**
 * Reads the configuration parameter now, past the 60-second cache, for a `Parameter Store Change`: planning
 * with the cached (old) value would miss the images the change added. The read goes through the process-wide
 * parameter cache, so the batch handler's next load (the fanned-out warms) sees the new value too.
 * Undefined when DOCKMASTER_CONFIG_PARAMETER is not set: the configuration was then handed to the worker
 * directly (tests, tools), and that is the one to use.
 */
const freshConfigFromEnvironment = (): (() => Promise<DockmasterConfig>) | undefined => {
  const parameterName = process.env[EnvVar.ConfigParameter]?.trim();
  if (parameterName === undefined || parameterName === '') return undefined;
  if (cached?.parameterName !== parameterName) cached = { parameterName, source: createConfigSource({ parameterName }) };
  const { source } = cached;
  return () => source.load({ fresh: true });
};

export { freshConfigFromEnvironment };
