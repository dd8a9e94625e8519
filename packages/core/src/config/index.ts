export { isAutomationPaused } from './automations.js';
export { ConfigInvalidError } from './config-invalid-error.js';
export { formatConfigIssue, formatPath } from './issue.js';
export { CONFIG_SCHEMA_ID, configJsonSchema, renderConfigJsonSchema } from './json-schema.js';
export { loadConfig, parseConfigOrThrow } from './load.js';
export { parseCompactJsonConfig, parseStoredConfig } from './load-stored.js';
export { parsePinnedTag } from './pinned-tag.js';
export { ecrUpstreamAccount, pullThroughUpstreamUrl } from './pull-through-upstreams.js';
export { CalendarDate, DockmasterConfigSchema, isCalendarDate } from './schema.js';
export type { ConfigIssue } from './issue.js';
export type { ConfigLoadResult, LoadOptions } from './load.js';
export type { PinnedTag } from './pinned-tag.js';
export type {
  AutomationsConfig,
  DockmasterConfig,
  DockmasterConfigInput,
  LabelValidatorConfig,
  PrepopulateImageConfig,
  PullThroughCacheConfig,
  RepositoryTemplateConfig,
  ScanAlertsConfig,
  SuppressionConfig,
  TagPolicyConfig,
  TagSchemeConfig,
  TagSelectorConfig,
  TeamConfig,
  WatchdogConfig,
} from './schema.js';
export {
  CONFIG_ITEM_ID,
  CONFIG_MAX_BYTES,
  configByteSize,
  configMarker,
  configTooLargeMessage,
  formatConfigMarker,
  parseConfigMarker,
} from './stored-config.js';
export type { ConfigMarker } from './stored-config.js';
export { storedConfigValue } from './stored-value.js';
