import type { LoadOptions } from './load.js';
import { configErrorMap } from './messages.js';
import { DockmasterConfigSchema, type DockmasterConfig } from './schema.js';
import { semanticIssues } from './semantic.js';
import { isRecord, parseJsonOrUndefined } from '../shared/index.js';

/*
 * The workers' way in. The deploy stores the validated file in SSM as compact JSON (JSON.stringify of the
 * file's data, infra/load-config.ts), so a worker can read it with JSON.parse and the same zod schema and
 * cross-field checks, without the yaml package and the position machinery, which are a large part of a
 * worker's cold start. Anything else (YAML, hand-formatted JSON, a configuration with problems) goes to the
 * YAML loader, loaded only then: results and error messages are exactly those of parseConfigOrThrow.
 */

/**
 * The configuration, when `text` is compact JSON exactly as JSON.stringify writes it and the configuration is
 * valid; otherwise undefined. Insisting on JSON.stringify's own output keeps YAML and JSON readings identical:
 * that form has no duplicate keys (JSON.parse would keep the last, YAML reports them), no tabs, no comments.
 */
const parseCompactJsonConfig = (text: string): DockmasterConfig | undefined => {
  const raw = parseJsonOrUndefined(text);
  if (!isRecord(raw) || JSON.stringify(raw) !== text) return undefined;
  // Same checks, in the same order, as loadConfig; any finding means the located report is needed.
  if (typeof raw.version === 'number' && raw.version !== 1) return undefined;
  const parsed = DockmasterConfigSchema.safeParse(raw, { error: configErrorMap });
  if (!parsed.success || semanticIssues(raw).length > 0) return undefined;
  return parsed.data;
};

/**
 * parseConfigOrThrow for the stored configuration: the same result, or the same ConfigInvalidError, for any
 * text; fast for the compact JSON the deploy writes. Asynchronous because the YAML loader is imported only
 * when it is needed.
 */
const parseStoredConfig = async (text: string, file: string, options: LoadOptions = {}): Promise<DockmasterConfig> => {
  const config = parseCompactJsonConfig(text);
  if (config !== undefined) return config;
  const { parseConfigOrThrow } = await import('./load.js');
  return parseConfigOrThrow(text, file, options);
};

export { parseCompactJsonConfig, parseStoredConfig };
