export { CalendarDate, DockmasterConfigSchema, SeveritySchema } from './schema.js';
export type {
  DockmasterConfig,
  DockmasterConfigInput,
  LabelValidatorConfig,
  PrepopulateImageConfig,
  PullThroughCacheConfig,
  ScanAlertsConfig,
  SuppressionConfig,
  TagPolicyConfig,
  TagSchemeConfig,
} from './schema.js';
