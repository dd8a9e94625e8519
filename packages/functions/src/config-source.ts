import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { parseStoredConfig, type DockmasterConfig } from '@dockmaster/core/config';
import { CONFIG_MAX_AGE_SECONDS } from './constants.js';

type ConfigLoadOptions = {
  /**
   * Read the parameter now, bypassing the cache (the value read then refreshes the cache). For a worker that
   * was told the parameter changed (prepopulate's `Parameter Store Change`): the cached value may be the old one.
   */
  fresh?: boolean;
};

type ConfigSource = {
  /** The current configuration; throws ConfigInvalidError (a UserFacingError) when the stored YAML is invalid. */
  load: (options?: ConfigLoadOptions) => Promise<DockmasterConfig>;
};

type ConfigSourceOptions = {
  /** SSM parameter holding the dockmaster YAML (a String parameter; use the Advanced tier above 4 KB). */
  parameterName: string;
  /**
   * Powertools SSM provider; default: one provider per process, so that a fresh read through any source
   * (prepopulate after a change event) also refreshes what the batch handler's source reads from the cache.
   * Tests pass their own to start with an empty cache.
   */
  provider?: SSMProvider;
  maxAgeSeconds?: number;
};

let processProvider: SSMProvider | undefined;

/** Created on first use, so that importing this module needs no AWS configuration. */
const sharedProvider = (): SSMProvider => (processProvider ??= new SSMProvider());

/**
 * Reads the configuration from SSM (cached for maxAgeSeconds, so an edit applies without a redeploy) and parses it:
 * the compact JSON the deploy writes takes parseStoredConfig's fast path, YAML written by hand still works.
 * The parsed config is cached by the parameter's text: parsing and validating runs once per change, not per batch.
 */
const createConfigSource = ({ parameterName, provider, maxAgeSeconds = CONFIG_MAX_AGE_SECONDS }: ConfigSourceOptions): ConfigSource => {
  let cached: { text: string; config: DockmasterConfig } | undefined;
  return {
    load: async ({ fresh = false } = {}) => {
      const text = await (provider ?? sharedProvider()).get(parameterName, { maxAge: maxAgeSeconds, forceFetch: fresh });
      if (typeof text !== 'string') throw new Error(`SSM parameter ${parameterName} has no value`);
      if (cached?.text !== text) cached = { text, config: await parseStoredConfig(text, `ssm:${parameterName}`) };
      return cached.config;
    },
  };
};

export { createConfigSource };
export type { ConfigLoadOptions, ConfigSource, ConfigSourceOptions };
