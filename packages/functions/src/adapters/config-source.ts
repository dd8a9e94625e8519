import { DynamoDBProvider } from '@aws-lambda-powertools/parameters/dynamodb';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { DockmasterConfig } from '@dockmaster/core/config';
import { CONFIG_MAX_AGE_SECONDS } from '../constants.js';

type ConfigLoadOptions = {
  /**
   * Read the content now, bypassing the cache (the value read then refreshes the cache), and check it against
   * the SSM marker. For a batch that announces a change (`Parameter Store Change`): the cached value may be the
   * old one.
   */
  fresh?: boolean;
};

type ConfigSource = {
  /** The current configuration; throws ConfigInvalidError (a UserFacingError) when the stored text is invalid. */
  load: (options?: ConfigLoadOptions) => Promise<DockmasterConfig>;
};

/** The part of a Powertools provider the source uses (DynamoDBProvider for the content, SSMProvider for the marker). */
type TextProvider = Pick<DynamoDBProvider, 'get'>;

type ConfigSourceOptions = {
  /** The DynamoDB table whose item CONFIG_ITEM_ID holds the configuration (attribute `value`). */
  tableName: string;
  itemId?: string;
  /** The SSM parameter holding the marker (sha256 and size of the current content), checked on a fresh load. */
  markerParameterName?: string;
  /** Default: a DynamoDBProvider of this source alone, as every Lambda function has its own. Tests pass theirs. */
  contentProvider?: TextProvider;
  /** Default: an SSMProvider of this source alone. */
  markerProvider?: Pick<SSMProvider, 'get'>;
  maxAgeSeconds?: number;
  /** Told when a fresh read finds content the marker does not name (a write without its marker, or one in progress). */
  onWarning?: (message: string) => void;
};

/**
 * Reads the configuration from its DynamoDB item (cached for maxAgeSeconds, so an edit applies without a
 * redeploy) and parses it: the compact JSON the deploy writes takes parseStoredConfig's fast path, YAML written
 * by hand still works. The parsed config is cached by the text: parsing and validating runs once per change.
 * Reads are strongly consistent: a fresh read right after the change event must see the content the deploy
 * wrote just before the marker.
 */
const createConfigSource = (options: ConfigSourceOptions): ConfigSource => {
  const { tableName, markerParameterName, maxAgeSeconds = CONFIG_MAX_AGE_SECONDS, onWarning } = options;
  // Created on first use, so that building a source needs no AWS configuration.
  let contentProvider = options.contentProvider;
  let markerProvider = options.markerProvider;
  let cached: { text: string; config: DockmasterConfig } | undefined;

  // The configuration stack (schema, yaml, re2js, semver, picomatch) is imported on the first load, not when the
  // worker's module loads: it is a large part of a cold start (docs/sync.md, "Measured").
  const configStack = () => import('@dockmaster/core/config');

  const checkMarker = async (text: string): Promise<void> => {
    if (markerParameterName === undefined) return;
    const { configMarker, parseConfigMarker } = await configStack();
    markerProvider ??= new SSMProvider();
    const value = await markerProvider.get(markerParameterName, { forceFetch: true });
    const marker = typeof value === 'string' ? parseConfigMarker(value) : undefined;
    const actual = configMarker(text);
    if (marker === undefined) {
      onWarning?.(`the parameter ${markerParameterName} holds no configuration marker; using the content of ${tableName} as read`);
    } else if (marker.sha256 !== actual.sha256) {
      onWarning?.(
        `the configuration in ${tableName} (sha256 ${actual.sha256}, ${actual.bytes} bytes) is not the one ${markerParameterName} names ` +
          `(sha256 ${marker.sha256}, ${marker.bytes} bytes): it was written without its marker, or a newer write is under way; using it as read`,
      );
    }
  };

  return {
    load: async ({ fresh = false } = {}) => {
      const { CONFIG_ITEM_ID, parseStoredConfig } = await configStack();
      const itemId = options.itemId ?? CONFIG_ITEM_ID;
      contentProvider ??= new DynamoDBProvider({ tableName });
      const text = await contentProvider.get(itemId, { maxAge: maxAgeSeconds, forceFetch: fresh, sdkOptions: { ConsistentRead: true } });
      if (typeof text !== 'string') throw new Error(`the configuration item "${itemId}" in the DynamoDB table ${tableName} is missing or has no string "value"; deploy the configuration`);
      if (fresh) await checkMarker(text);
      if (cached?.text !== text) cached = { text, config: await parseStoredConfig(text, `dynamodb:${tableName}/${itemId}`) };
      return cached.config;
    },
  };
};

/** The source the infra describes: DOCKMASTER_CONFIG_TABLE (content) and DOCKMASTER_CONFIG_PARAMETER (marker). */
export { createConfigSource };
export type { ConfigLoadOptions, ConfigSource, ConfigSourceOptions, TextProvider };
