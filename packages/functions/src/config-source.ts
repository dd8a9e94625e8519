import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { parseConfigOrThrow, type DockmasterConfig } from '@dockmaster/core/config';
import { CONFIG_MAX_AGE_SECONDS } from './constants.js';

type ConfigSource = {
  /** The current configuration; throws ConfigInvalidError (a UserFacingError) when the stored YAML is invalid. */
  load: () => Promise<DockmasterConfig>;
};

type ConfigSourceOptions = {
  /** SSM parameter holding the dockmaster YAML (a String parameter; use the Advanced tier above 4 KB). */
  parameterName: string;
  /**
   * Powertools SSM provider. `getParameter()` from the same module is this provider's `get` on a process-wide
   * default instance; an own instance keeps the cache per worker and lets tests start with an empty one.
   */
  provider?: SSMProvider;
  maxAgeSeconds?: number;
};

/**
 * Reads the YAML from SSM (cached for maxAgeSeconds, so an edit applies without a redeploy) and parses it.
 * The parsed config is cached by the parameter's text: parsing and validating runs once per change, not per batch.
 */
const createConfigSource = ({ parameterName, provider = new SSMProvider(), maxAgeSeconds = CONFIG_MAX_AGE_SECONDS }: ConfigSourceOptions): ConfigSource => {
  let cached: { text: string; config: DockmasterConfig } | undefined;
  return {
    load: async () => {
      const text = await provider.get(parameterName, { maxAge: maxAgeSeconds });
      if (typeof text !== 'string') throw new Error(`SSM parameter ${parameterName} has no value`);
      if (cached?.text !== text) cached = { text, config: parseConfigOrThrow(text, `ssm:${parameterName}`) };
      return cached.config;
    },
  };
};

export { createConfigSource };
export type { ConfigSource, ConfigSourceOptions };
