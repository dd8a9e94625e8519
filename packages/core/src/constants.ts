/** Automation ids: the names used in the topology, the infra, the local stack, logs and the CLI. */
const AutomationId = {
  TagPolicy: 'tag-policy',
  CacheRepository: 'cache-repository',
  Prepopulate: 'prepopulate',
  ScanAlert: 'scan-alert',
  Replication: 'replication',
} as const;
type AutomationId = (typeof AutomationId)[keyof typeof AutomationId];

const AUTOMATION_IDS: readonly AutomationId[] = Object.values(AutomationId);

/**
 * How a pullThroughCache entry gets its images: `cache` through an ECR pull-through cache rule (a first pull
 * fills it), `copy` by the prepopulate worker copying the allow-listed images into plain repositories, for
 * upstreams ECR's pull-through cache does not support.
 */
const CacheMode = {
  Cache: 'cache',
  Copy: 'copy',
} as const;
type CacheMode = (typeof CacheMode)[keyof typeof CacheMode];

/**
 * When ECR applies a repositoryTemplates entry's creation template (CreateRepositoryCreationTemplate
 * `appliedFor`); PULL_THROUGH_CACHE is rendered for the pullThroughCache entries in mode cache instead.
 */
const TemplateAppliedFor = {
  CreateOnPush: 'CREATE_ON_PUSH',
  Replication: 'REPLICATION',
} as const;
type TemplateAppliedFor = (typeof TemplateAppliedFor)[keyof typeof TemplateAppliedFor];

/**
 * `kind` of the queue messages that are not AWS events: the runs a person, a scheduled rule's `detail` or the
 * local stack's triggers ask for (`{"kind":"reconcile"}` and so on), and prepopulate's own fan-out (`warm`: one
 * image and tag). The workers' message schemas, the topology, the local stack and the docs use these names.
 */
const MessageKind = {
  Reconcile: 'reconcile',
  Prepopulate: 'prepopulate',
  Warm: 'warm',
  Watchdog: 'watchdog',
} as const;
type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];

/** ECR's image tag mutability settings Dockmaster configures on cache repositories (ECR's default: MUTABLE). */
const TagMutability = {
  Mutable: 'MUTABLE',
  Immutable: 'IMMUTABLE',
} as const;
type TagMutability = (typeof TagMutability)[keyof typeof TagMutability];

/**
 * Every value of ECR's `imageTagMutability` (PutImageTagMutability, CreateRepository, creation templates; the
 * *_WITH_EXCLUSION values exist since 2025-07). A tag policy's `tagImmutability` compiles to one of these.
 */
const EcrTagMutability = {
  ...TagMutability,
  ImmutableWithExclusion: 'IMMUTABLE_WITH_EXCLUSION',
  MutableWithExclusion: 'MUTABLE_WITH_EXCLUSION',
} as const;
type EcrTagMutability = (typeof EcrTagMutability)[keyof typeof EcrTagMutability];

/**
 * `imageTagMutabilityExclusionFilters` (ECR API reference, PutImageTagMutability and ImageTagMutabilityExclusionFilter):
 * 1 to 5 filters, `filterType` only WILDCARD, each filter 1-128 characters of `[0-9a-zA-Z._*-]`, `*` the only wildcard.
 */
const TagMutabilityExclusionLimit = {
  maxFilters: 5,
  filterType: 'WILDCARD',
  filterPattern: /^[0-9a-zA-Z._*-]{1,128}$/,
} as const;

/** ECR's finding severities, lowest first (UNDEFINED is ECR's "no rating"; it never alerts). */
const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
type Severity = (typeof SEVERITIES)[number];

/** The `source` of the events Dockmaster emits on its own bus. */
const DOCKMASTER_EVENT_SOURCE = 'dockmaster';

/** Detail types of the events Dockmaster emits on its own bus. */
const DockmasterEventType = {
  TagPolicyViolation: 'Tag Policy Violation',
  CacheRepositoryConfigured: 'Cache Repository Configured',
  CacheRepositoryDriftRepaired: 'Cache Repository Drift Repaired',
  ImagePrepopulated: 'Image Prepopulated',
  ImagePrepopulationFailed: 'Image Prepopulation Failed',
  /** An allow-listed image was archived and the prepopulate worker restored it. */
  ArchivedImageRestored: 'Archived Image Restored',
  ScanAlert: 'Scan Alert',
  ScanAlertResolved: 'Scan Alert Resolved',
  ScanningSilent: 'Scanning Silent',
  ReplicationFailed: 'Replication Failed',
  CacheSyncFailed: 'Cache Sync Failed',
} as const;
type DockmasterEventType = (typeof DockmasterEventType)[keyof typeof DockmasterEventType];

/**
 * Message attributes a worker puts on a message it sends to its dead-letter queue itself (permanent failures),
 * read by `dockmaster redrive` and set by the local stack's queues. Every name starts with
 * DEAD_LETTER_ATTRIBUTE_PREFIX: redrive strips those before it sends a message back, so the source queue sees
 * the message as it first arrived.
 */
const DeadLetterAttribute = {
  /** One line: what failed and why (the error message). */
  FailureReason: 'DockmasterFailureReason',
  /** UserFacingError code, AWS error name, or INVALID_EVENT. */
  ErrorCode: 'DockmasterErrorCode',
  /** The automation id of the worker that gave up. */
  Automation: 'DockmasterAutomation',
  /** The SQS message id in the source queue, to find the worker's log lines (`messageId`). */
  SourceMessageId: 'DockmasterSourceMessageId',
  /** ISO 8601 time of the failure. */
  FailedAt: 'DockmasterFailedAt',
} as const;
type DeadLetterAttribute = (typeof DeadLetterAttribute)[keyof typeof DeadLetterAttribute];

const DEAD_LETTER_ATTRIBUTE_PREFIX = 'Dockmaster';

/**
 * Sizes of untrusted input, shared by validate, the CLI and the workers so that every piece of work is bounded.
 * - tagLength: ECR's limit for an image tag (API model: 1-128 characters).
 * - labelValueLength: label values are free text the pusher controls, with no limit in the OCI spec; a longer
 *   value fails its `{ regex }` or built-in check with a reason instead of being matched (4 KiB holds any URL,
 *   commit id or timestamp a check is written for).
 * - regexLength: a `{ regex }` in the configuration; RE2 compiles in time linear in the pattern, this keeps it small.
 * - braceExpansions: the alternatives one glob's braces expand to (`{a,b}{c,d}` is 4). Counted before anything is
 *   expanded; each alternative becomes an IAM resource and an EventBridge filter value, so the topology never holds
 *   more than this per glob.
 * - globLength: a glob in the configuration (a repository name is at most 256 characters, a tag 128).
 */
const InputLimit = {
  tagLength: 128,
  labelValueLength: 4096,
  regexLength: 1000,
  braceExpansions: 32,
  globLength: 512,
} as const;

export {
  AUTOMATION_IDS,
  AutomationId,
  CacheMode,
  DEAD_LETTER_ATTRIBUTE_PREFIX,
  DeadLetterAttribute,
  DOCKMASTER_EVENT_SOURCE,
  DockmasterEventType,
  EcrTagMutability,
  InputLimit,
  MessageKind,
  SEVERITIES,
  TagMutability,
  TemplateAppliedFor,
  TagMutabilityExclusionLimit,
};
export type { Severity };
