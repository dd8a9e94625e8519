import semver from 'semver';
import * as z from 'zod';
import { AutomationId, CacheMode, EcrTagMutability, InputLimit, SEVERITIES, TagMutability, TagMutabilityExclusionLimit, TemplateAppliedFor } from '../constants.js';
import { checkGlob, type GlobSubject } from '../glob/index.js';
import { parseScheduleExpression } from '../schedule/index.js';
import { checkUserRegex } from '../shared/index.js';
import { BuiltInLabelValidator, BuiltInTagScheme, TagImmutabilityDefault, TagPolicyMode } from '../tag-policy/types.js';
import { upstreamHostProblem } from './pull-through-upstreams.js';
import { semanticIssues } from './semantic.js';

/*
 * The configuration platform teams edit (contract: the example config in the docs).
 * Every object is strict: an unknown key is an error, because a typo must never silently switch a rule off.
 * Field-level checks live here; checks across fields (unique prefixes, defined teams) live in semantic.ts.
 * The descriptions end up in docs/config.schema.json, so editors show them on hover.
 */

const AccountId = z
  .string()
  .regex(/^\d{12}$/, 'must be a 12-digit AWS account ID (quote it in YAML: "111122223333")')
  .describe('12-digit AWS account ID, quoted so YAML keeps leading zeros');

const OrganizationId = z
  .string()
  .regex(/^o-[a-z0-9]{10,32}$/, "must be an AWS Organizations ID: 'o-' followed by 10-32 lowercase letters or digits")
  .describe("AWS Organizations ID: 'o-' followed by 10-32 lowercase letters or digits");

const AwsRegion = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS Region such as eu-central-1')
  .describe('AWS Region, for example eu-central-1');

const isCalendarDate = (value: string): boolean => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/** A calendar date, YYYY-MM-DD, that exists (2027-02-30 does not). The pattern is repeated for the JSON Schema. */
const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD, for example "2027-01-31"')
  .refine(isCalendarDate, { message: 'must be a real calendar date, YYYY-MM-DD (this day does not exist)' });

/** Over-long input fails the `.max` (which the JSON Schema carries as maxLength) with the runtime check's own words, once. */
const tooLong = (what: 'glob' | 'regular expression', limit: number) => (issue: { input?: unknown }): string =>
  `is ${typeof issue.input === 'string' ? issue.input.length : 'too many'} characters long; a ${what} may have at most ${limit}`;

const glob = (subject: GlobSubject) =>
  z.string().max(InputLimit.globLength, { error: tooLong('glob', InputLimit.globLength) }).superRefine((value, ctx) => {
    if (value.length > InputLimit.globLength) return;
    const check = checkGlob(value, subject);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason });
  });
const RepositoryGlob = glob('repository').describe("Glob over repository names: '*' stays within one path segment, '**' (a whole segment) crosses '/'");
const TagGlob = glob('tag').describe("Glob over tags, for example 'hotfix-*'");

/** `params.offset`: where in the pattern RE2 stopped, so the issue points at that character (see load.ts). */
const Regex = z
  .string()
  .min(1)
  .max(InputLimit.regexLength, { error: tooLong('regular expression', InputLimit.regexLength) })
  .superRefine((value, ctx) => {
    if (value.length > InputLimit.regexLength) return;
    const check = checkUserRegex(value);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason, ...(check.offset === undefined ? {} : { params: { offset: check.offset } }) });
  })
  .describe('Regular expression in RE2 syntax (no backreferences or lookaround; matched in linear time); anchor it with ^ and $ to match the whole value');
const RegexRule = z.strictObject({ regex: Regex });

const SemverRange = z
  .string()
  .min(1)
  .refine((value) => semver.validRange(value) !== null, { message: 'is not a valid SemVer range (for example ">=0.7.0 <0.8.0")' })
  .describe('SemVer range in node-semver syntax, for example ">=0.7.0 <0.8.0"');

const Severity = z.enum(SEVERITIES);

const TeamName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lowercase letters, digits, - or _ (at most 63)')
  .describe('Name of a team defined under teams');

/* ---------- tag policies ---------- */

const TagScheme = z
  .union([z.enum(Object.values(BuiltInTagScheme)), RegexRule], {
    error: `must be ${Object.values(BuiltInTagScheme).join(', ')} or { regex: "..." }`,
  })
  .describe('Built-in scheme semver, git-sha or upstream-suffix (upstream version, dash, config revision: 8.0.12-c15), or { regex }');

const LabelValidator = z
  .union([z.enum(Object.values(BuiltInLabelValidator)), RegexRule], {
    error: `must be ${Object.values(BuiltInLabelValidator).join(', ')} or { regex: "..." }`,
  })
  .describe('Built-in check git-sha, rfc3339 (a timestamp) or present (any value), or { regex } on the value');

const Exemption = z.strictObject({
  tags: z.array(TagGlob).min(1).describe('Tags (globs) the policy does not apply to'),
  reason: z.string().min(1).max(500).describe('Why, with a ticket reference: shown in every report that uses the exemption (at most 500 characters)'),
  expires: CalendarDate.describe('Last day (UTC) on which the exemption applies, YYYY-MM-DD'),
});

const TagPolicy = z.strictObject({
  name: z.string().min(1).max(128).describe('Unique name, shown in violation reports (at most 128 characters)'),
  repositories: z.array(RepositoryGlob).min(1).describe("Repositories the policy applies to (globs; ** crosses '/', * does not)"),
  mode: z.enum(Object.values(TagPolicyMode)).default(TagPolicyMode.Audit).describe('audit reports only; enforce also removes the offending tag'),
  forbiddenTags: z.array(TagGlob).default([]).describe('Tags (globs) that must never be pushed, for example latest'),
  allowedTagSchemes: z
    .array(TagScheme)
    .min(1)
    .optional()
    .describe('A tag passes if any scheme matches; absent means any tag not forbidden passes'),
  requiredLabels: z
    .record(z.string().min(1), LabelValidator)
    .default({})
    .describe('Image labels (OCI config labels or index/manifest annotations) that must be present, with a check of their value'),
  exemptions: z.array(Exemption).default([]).describe('Time-limited exceptions by tag'),
  tagImmutability: z
    .strictObject({
      default: z.enum(Object.values(TagImmutabilityDefault)).describe('immutable: a pushed tag can never name another image; mutable: tags may move'),
      except: z.array(TagGlob).default([]).describe("Tags (globs) that get the other setting, for example ['dev-*', 'latest'] under default: immutable"),
    })
    .optional()
    .describe(
      'Which tags may be overwritten. Compiled into ECR (IMMUTABLE[_WITH_EXCLUSION] / MUTABLE[_WITH_EXCLUSION]) when ECR can express it (at most 5 exclusion globs using only * as wildcard); otherwise the tag-policy worker enforces it on the push event. `dockmaster validate` says which',
    ),
});

/* ---------- pull-through cache ---------- */

const ImagePath = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

const CachePrefix = z
  .string()
  .min(2, 'must be 2-30 characters')
  .max(30, 'must be 2-30 characters')
  .regex(
    ImagePath,
    'must be a valid ECR repository name prefix: lowercase letters and digits, separated by . _ - or /, without a trailing /',
  )
  .describe('ECR repository prefix of the pull-through cache rule (2-30 characters; repositories are created under <prefix>/)');

const Platform = z
  .string()
  .regex(/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/, 'must be os/architecture[/variant], for example linux/arm64')
  .describe('os/architecture[/variant], for example linux/arm64');

const ImageName = z
  .string()
  .regex(ImagePath, 'must be an image path without registry or tag, for example coredns/coredns')
  .describe('Image path in the upstream registry, without registry host or tag');

/** An exact tag, optionally pinned to a digest: "v1.11.1" or "v1.11.1@sha256:<64 hex>" (see pinned-tag.ts). */
const ExactTag = z
  .string()
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}(@sha256:[a-f0-9]{64})?$/,
    'is not a valid tag: letters, digits, _ . - (at most 128, not starting with . or -), optionally pinned as "v1.11.1@sha256:<64 hex>"',
  )
  .describe('Exact tag, optionally pinned to a digest ("v1.11.1@sha256:<64 hex>"): warmed by tag, then the digest is verified');

const TagSelector = z
  .union(
    [
      z.array(ExactTag).min(1).describe('Exact tags'),
      z.strictObject({ semver: SemverRange }).describe('Every upstream tag in the SemVer range'),
      RegexRule.describe('Every upstream tag matching the regular expression'),
    ],
    { error: 'must be a list of tags, { semver: "<range>" } or { regex: "<regex>" }' },
  )
  .describe('Which tags to warm: a list of exact tags, { semver: range } or { regex }');

const PrepopulateImage = z.strictObject({
  image: ImageName,
  tags: TagSelector,
  platforms: z.array(Platform).min(1).optional().describe('Platforms to warm from an index; all when absent'),
  owner: TeamName.optional().describe('Team that owns this image: prepopulation failures and scan alerts go there'),
});

const ScheduleExpression = z
  .string()
  .superRefine((value, ctx) => {
    const parsed = parseScheduleExpression(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `is not a schedule EventBridge accepts: ${parsed.reason}` });
  })
  .describe('EventBridge schedule expression, for example "rate(6 hours)" or "cron(0 3 * * ? *)"');

const PullThroughCache = z.strictObject({
  prefix: CachePrefix,
  upstream: z
    .string()
    .min(1)
    .superRefine((value, ctx) => {
      const problem = upstreamHostProblem(value);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe('Upstream registry host, for example registry.k8s.io: the host name only (optionally :port), no scheme, path or trailing slash'),
  mode: z
    .enum([CacheMode.Cache, CacheMode.Copy])
    .default(CacheMode.Cache)
    .describe(
      'cache: an ECR pull-through cache rule fills the repositories on a first pull; copy: the prepopulate worker copies the allow-listed images into plain repositories (for upstreams the pull-through cache does not support)',
    ),
  credentialArn: z
    .string()
    .regex(
      /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/,
      'must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)',
    )
    .optional()
    .describe(
      'Secret with username and accessToken for upstreams that need credentials; in mode cache its name starts with ecr-pullthroughcache/ (Docker Hub, GHCR, GitLab, ACR and Chainguard need one)',
    ),
  repositoryPolicy: z
    .strictObject({
      pullAccounts: z.array(AccountId).default([]).describe('Accounts allowed to pull (and to trigger the first pull of) cached images'),
      pullOrganizations: z.array(OrganizationId).default([]).describe('AWS Organizations whose accounts may pull cached images'),
    })
    .optional()
    .describe('Merged into the policy of every repository under the prefix, including ones created before'),
  repositorySettings: z
    .strictObject({
      scanOnPush: z.boolean().default(true).describe('Scan images when they enter the cache'),
      tagMutability: z
        .enum(Object.values(EcrTagMutability))
        .default(TagMutability.Mutable)
        .describe('MUTABLE lets ECR refresh cached tags (recommended by AWS for pull-through cache repositories); *_WITH_EXCLUSION need tagMutabilityExclusionFilters'),
      tagMutabilityExclusionFilters: z
        .array(
          z
            .string()
            .regex(TagMutabilityExclusionLimit.filterPattern, 'must be an ECR wildcard filter: 1-128 characters of 0-9 a-z A-Z . _ - and * as wildcard'),
        )
        .min(1)
        .max(TagMutabilityExclusionLimit.maxFilters, `ECR takes at most ${TagMutabilityExclusionLimit.maxFilters} exclusion filters`)
        .optional()
        .describe('Tags (ECR wildcard filters, * only) excluded from tagMutability; only with IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION'),
      lifecycle: z
        .strictObject({
          expireUntaggedAfterDays: z.number().int().min(1).optional().describe('Expire untagged images this many days after push'),
          keepLastTaggedImages: z.number().int().min(1).optional().describe('Keep only this many most recent tagged images'),
          archiveAfterDaysSinceLastPull: z
            .number()
            .int()
            .min(1)
            .optional()
            .describe('Move tagged images to the ECR archive storage class this many days after their last pull (allow-listed tags never)'),
        })
        .optional()
        .describe('Lifecycle policy for every repository under the prefix'),
    })
    .superRefine((settings, ctx) => {
      // ECR: the *_WITH_EXCLUSION values take 1-5 filters; filters with plain MUTABLE/IMMUTABLE mean nothing.
      const withExclusion = settings.tagMutability === EcrTagMutability.ImmutableWithExclusion || settings.tagMutability === EcrTagMutability.MutableWithExclusion;
      if (withExclusion && settings.tagMutabilityExclusionFilters === undefined) {
        ctx.addIssue({ code: 'custom', path: ['tagMutabilityExclusionFilters'], message: `is required with tagMutability ${settings.tagMutability}` });
      }
      if (!withExclusion && settings.tagMutabilityExclusionFilters !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['tagMutabilityExclusionFilters'], message: `is only allowed with tagMutability IMMUTABLE_WITH_EXCLUSION or MUTABLE_WITH_EXCLUSION, not ${settings.tagMutability}` });
      }
    })
    .optional()
    .describe('Settings applied to every repository under the prefix'),
  prepopulate: z
    .strictObject({
      schedule: ScheduleExpression.optional().describe('When to re-warm the images (EventBridge schedule expression)'),
      defaultOwner: TeamName.optional().describe('Team that owns the images of this allow-list that name no owner: their prepopulation failures go there'),
      images: z.array(PrepopulateImage).default([]).describe('Allow-list of upstream images to warm into the cache'),
    })
    .optional()
    .describe('Warm images into the cache so clusters without internet access can pull them'),
});

/* ---------- repository creation templates beyond the cache ---------- */

/** ECR's template prefix limit is 256 characters; the name grammar is the repository name's. */
const TemplatePrefix = z
  .string()
  .min(2, 'must be 2-256 characters')
  .max(256, 'must be 2-256 characters')
  .regex(ImagePath, 'must be a valid ECR repository name prefix: lowercase letters and digits, separated by . _ - or /, without a trailing /')
  .describe('ECR repository prefix of the creation template (repositories under <prefix>/); ROOT is not supported');

/**
 * A prefix whose repositories ECR creates on a push or by replication. Its policy and settings are the SAME
 * typed fields as a pullThroughCache entry's (the shapes are taken from it, not copied), rendered by the same
 * renderer into a repository creation template and kept by the cache-repository worker's drift repair.
 */
const RepositoryTemplate = z.strictObject({
  prefix: TemplatePrefix,
  appliedFor: z
    .array(z.enum(Object.values(TemplateAppliedFor)))
    .min(1)
    .default([TemplateAppliedFor.CreateOnPush])
    .describe('When ECR applies the template: CREATE_ON_PUSH (a push to a repository that does not exist creates it) and/or REPLICATION'),
  repositoryPolicy: PullThroughCache.shape.repositoryPolicy,
  repositorySettings: PullThroughCache.shape.repositorySettings,
});

/* ---------- scan alerts ---------- */

const Suppression = z.strictObject({
  cve: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be a finding id such as CVE-2023-44487')
    .describe('Finding id, for example CVE-2023-44487 or GHSA-xxxx-xxxx-xxxx'),
  repositories: z.array(RepositoryGlob).min(1).describe('Repositories (globs) the suppression applies to'),
  reason: z.string().min(1).max(500).describe('Why the finding does not matter here (at most 500 characters: it is repeated in alerts)'),
  expires: CalendarDate.describe('Last day (UTC) on which the suppression applies, YYYY-MM-DD'),
  package: z.string().min(1).optional().describe('Only findings in this package'),
  digest: z
    .string()
    .regex(/^sha256:[a-f0-9]{64}$/, 'must be sha256:<64 hex>')
    .optional()
    .describe('Only findings on this image digest'),
});

const Watchdog = z
  .strictObject({
    silentAfterHours: z
      .number()
      .int()
      .min(1)
      .default(24)
      .describe('Report "Scanning Silent" when no scan result arrived for this many hours'),
  })
  .describe('Alerts when scanning goes quiet (scans that silently stop look like "no findings")');

/** What a route does with findings on images Inspector reports as not in use (scan-alert/in-use.ts). */
const NotInUse = z.enum(['page', 'low-urgency', 'skip']);

const ScanAlerts = z.strictObject({
  minSeverity: Severity.default('CRITICAL').describe('Lowest ECR severity that alerts: INFORMATIONAL, LOW, MEDIUM, HIGH or CRITICAL'),
  routes: z
    .array(
      z.strictObject({
        repositories: z.array(RepositoryGlob).min(1).describe('Repositories (globs) routed to the team'),
        team: TeamName,
        // Optional rather than defaulted, so configurations built in code need not name it; absent means page.
        notInUse: NotInUse.optional().describe(
          'Findings on images Inspector reports as not in use (inUseCount 0): page (the default: as usual), low-urgency (the alert is marked low urgency), skip (no alert; the reason is logged). Images without in-use data (basic scanning) always page',
        ),
      }),
    )
    .default([])
    .describe('Who gets the alert; first match wins'),
  suppressions: z.array(Suppression).default([]).describe('Time-limited, reasoned exceptions by finding and repository'),
  watchdog: Watchdog.optional(),
});

/* ---------- teams ---------- */

/*
 * Chat channels through Amazon Q Developer in chat applications (formerly AWS Chatbot); the id patterns are the
 * service API's (SlackTeamId, SlackChannelId, UUID, TeamsChannelId), so a wrong id fails here, not at deploy.
 */
const SlackChannel = z.strictObject({
  workspaceId: z.string().regex(/^[0-9A-Z]{1,255}$/, 'must be a Slack workspace id such as T0123ABCD').describe('Slack workspace id (authorised once in the Amazon Q Developer console)'),
  channelId: z.string().regex(/^[A-Za-z0-9]{1,255}$/, 'must be a Slack channel id such as C0123ABCD').describe('Slack channel id'),
});

const Uuid = z.string().regex(/^[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$/, 'must be a UUID');

const TeamsChannel = z.strictObject({
  teamId: Uuid.describe('Microsoft Teams team id (groupId in the channel link)'),
  tenantId: Uuid.describe('Microsoft Entra tenant id (tenantId in the channel link)'),
  channelId: z
    .string()
    .max(255)
    .regex(/^[a-zA-Z0-9\-_=+/.,]*%3[aA][a-zA-Z0-9\-_=+/.,]*%40[a-zA-Z0-9\-_=+/.,]*$/, 'must be the URL-encoded channel id from the channel link, such as 19%3a...%40thread.tacv2')
    .describe('Microsoft Teams channel id, URL-encoded as in the channel link'),
});

const TeamChat = z
  .strictObject({ slack: SlackChannel.optional(), teams: TeamsChannel.optional() })
  .refine((chat) => (chat.slack === undefined) !== (chat.teams === undefined), 'set exactly one of slack or teams')
  .describe('Slack or Microsoft Teams channel that receives the team’s alerts (Amazon Q Developer in chat applications)');

const TeamPagerDuty = z
  .strictObject({
    routingKeySecret: z
      .string()
      .regex(/^[A-Za-z0-9/_+=.@:-]{1,2048}$/, 'must be the name or ARN of a Secrets Manager secret')
      .describe('Name or ARN of the Secrets Manager secret holding the Events API v2 routing key (never the key itself)'),
    serviceRegion: z.enum(['us', 'eu']).default('us').describe('The PagerDuty service region of the account: us (events.pagerduty.com) or eu (events.eu.pagerduty.com)'),
  })
  .describe('PagerDuty service that is paged for the team’s scan alerts (Events API v2)');

const Team = z.strictObject({
  email: z.array(z.email('must be an e-mail address')).default([]).describe('Addresses that receive the team’s alerts'),
  chat: TeamChat.optional(),
  pagerduty: TeamPagerDuty.optional(),
});

/* ---------- automations (kill switches) ---------- */

const AutomationSwitch = z.strictObject({
  paused: z.boolean().default(false).describe('true: events are still consumed and logged, but no action is taken'),
});

const Automations = z
  .strictObject({
    [AutomationId.TagPolicy]: AutomationSwitch.optional(),
    [AutomationId.CacheRepository]: AutomationSwitch.optional(),
    [AutomationId.Prepopulate]: AutomationSwitch.optional(),
    [AutomationId.ScanAlert]: AutomationSwitch.optional(),
    [AutomationId.Replication]: AutomationSwitch.optional(),
  })
  .describe('Per-automation kill switches');

/* ---------- operations ---------- */

const Operations = z
  .strictObject({
    alarmTeam: TeamName.optional().describe(
      'Team whose e-mail addresses receive the CloudWatch alarms of the dead-letter queues (a message there means an event was not handled)',
    ),
  })
  .describe('Who operates Dockmaster itself');

/* ---------- the whole file ---------- */

const DockmasterConfigSchema = z
  .strictObject({
    version: z.literal(1).describe('Configuration format version; must be 1'),
    registry: z
      .strictObject({ accountId: AccountId, region: AwsRegion })
      .describe('The ECR registry Dockmaster manages'),
    tagPolicies: z.array(TagPolicy).default([]).describe('Tag and label rules checked on every push'),
    pullThroughCache: z.array(PullThroughCache).default([]).describe('Pull-through cache namespaces'),
    repositoryTemplates: z
      .array(RepositoryTemplate)
      .default([])
      .describe('Prefixes whose repositories ECR creates on push or by replication, with the same policy and settings fields as the cache prefixes'),
    scanAlerts: ScanAlerts.optional().describe('Alerts to on-call on scan findings'),
    teams: z.record(TeamName, Team).default({}).describe('Teams that own images and receive alerts'),
    automations: Automations.optional(),
    operations: Operations.optional(),
  })
  .superRefine((config, ctx) => {
    for (const issue of semanticIssues(config)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  })
  .meta({
    title: 'Dockmaster configuration',
    description: 'Event-driven automation for Amazon ECR: tag policy, pull-through cache repositories, pre-population, scan alerts',
  });

type DockmasterConfig = z.output<typeof DockmasterConfigSchema>;
type DockmasterConfigInput = z.input<typeof DockmasterConfigSchema>;
type TagPolicyConfig = DockmasterConfig['tagPolicies'][number];
type TagSchemeConfig = z.output<typeof TagScheme>;
type LabelValidatorConfig = z.output<typeof LabelValidator>;
type PullThroughCacheConfig = DockmasterConfig['pullThroughCache'][number];
type PrepopulateImageConfig = z.output<typeof PrepopulateImage>;
type RepositoryTemplateConfig = DockmasterConfig['repositoryTemplates'][number];
type TagSelectorConfig = z.output<typeof TagSelector>;
type ScanAlertsConfig = z.output<typeof ScanAlerts>;
type SuppressionConfig = z.output<typeof Suppression>;
type WatchdogConfig = z.output<typeof Watchdog>;
type AutomationsConfig = z.output<typeof Automations>;
type TeamConfig = z.output<typeof Team>;

export { CalendarDate, DockmasterConfigSchema, isCalendarDate };
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
};
