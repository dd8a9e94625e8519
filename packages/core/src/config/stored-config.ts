import { createHash } from 'node:crypto';
import { isRecord, parseJsonOrUndefined } from '../shared/index.js';

/*
 * How the deployed configuration is stored (docs/architecture.md, "Configuration at run time"): the content
 * in one DynamoDB item (the config table, item CONFIG_ITEM_ID, attribute `value`), and in the SSM parameter
 * only a small marker naming that content (sha256 and byte size). The marker stays far below the 4 KB of a
 * Standard parameter, so the parameter never changes tier, and writing it emits the `Parameter Store Change`
 * that tells prepopulate (and any worker) that the content changed.
 */

/**
 * The largest configuration Dockmaster accepts, in bytes (UTF-8): the file `dockmaster validate`, `npm start`
 * and the deploy read (checked before the YAML is parsed), and the compact JSON the deploy stores. 256 KiB
 * holds allow-lists of thousands of images and fits a DynamoDB item (400 KB, attribute names included) with
 * room to spare; an SSM parameter (8 KB even in the Advanced tier) does not.
 */
const CONFIG_MAX_BYTES = 256 * 1024;

/** The id (hash key `id`) of the one item of the config table that holds the configuration. */
const CONFIG_ITEM_ID = 'config';

/** What the SSM parameter holds: which content is current. */
interface ConfigMarker {
  /** Hex SHA-256 of the stored content (the item's `value`, UTF-8). */
  sha256: string;
  /** Its size in bytes. */
  bytes: number;
}

const configByteSize = (text: string): number => Buffer.byteLength(text, 'utf8');

/** One line for a configuration over the limit; `what` says which form was measured. */
const configTooLargeMessage = (bytes: number, what: string): string =>
  `${what} is ${bytes} bytes, more than the ${CONFIG_MAX_BYTES} bytes (${CONFIG_MAX_BYTES / 1024} KiB) Dockmaster accepts; ` +
  'remove unused entries (expired exemptions and suppressions, teams nobody routes to)';

const configMarker = (content: string): ConfigMarker => ({
  sha256: createHash('sha256').update(content, 'utf8').digest('hex'),
  bytes: configByteSize(content),
});

/** The parameter's value: compact JSON, keys in a fixed order. */
const formatConfigMarker = (marker: ConfigMarker): string => JSON.stringify({ sha256: marker.sha256, bytes: marker.bytes });

/** The marker in a parameter value, or undefined when the value is something else (an old full configuration). */
const parseConfigMarker = (value: string): ConfigMarker | undefined => {
  const parsed = parseJsonOrUndefined(value);
  if (!isRecord(parsed) || typeof parsed.sha256 !== 'string' || typeof parsed.bytes !== 'number') return undefined;
  return { sha256: parsed.sha256, bytes: parsed.bytes };
};

export { CONFIG_ITEM_ID, CONFIG_MAX_BYTES, configByteSize, configMarker, configTooLargeMessage, formatConfigMarker, parseConfigMarker };
export type { ConfigMarker };
