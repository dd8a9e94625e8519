import semver from 'semver';
import { z } from 'zod';
import { SEVERITIES } from '../constants.js';
import { checkGlob, type GlobSubject } from '../glob/index.js';

/*
 * The configuration platform teams edit (contract: the example config in the docs).
 * Every object is strict: an unknown key is an error, because a typo must never silently switch a rule off.
 * Field-level checks live here; checks across fields (unique prefixes, defined teams) live in semantic.ts.
 */

const AccountId = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account ID (quote it in YAML: "111122223333")');

const OrganizationId = z
  .string()
  .regex(/^o-[a-z0-9]{10,32}$/, "must be an AWS Organizations ID: 'o-' followed by 10-32 lowercase letters or digits");

const AwsRegion = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS Region such as eu-central-1');

/** A calendar date, YYYY-MM-DD, that exists (2027-02-30 does not). */
const CalendarDate = z.string().refine(
  (value) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!match) return false;
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  },
  { message: 'must be a real calendar date, YYYY-MM-DD (quote it in YAML: "2027-01-31")' },
);

const glob = (subject: GlobSubject) =>
  z.string().superRefine((value, ctx) => {
    const check = checkGlob(value, subject);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason });
  });
const RepositoryGlob = glob('repository');
const TagGlob = glob('tag');

const compilesAsRegex = (value: string): boolean => {
  try {
    new RegExp(value, 'u');
    return true;
  } catch {
    return false;
  }
};
const Regex = z.string().min(1).refine(compilesAsRegex, { message: 'is not a valid regular expression' });
const RegexRule = z.strictObject({ regex: Regex });

const SemverRange = z
  .string()
  .min(1)
  .refine((value) => semver.validRange(value) !== null, { message: 'is not a valid SemVer range (for example ">=0.7.0 <0.8.0")' });

const Severity = z.enum(SEVERITIES);

const TeamName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be lowercase letters, digits, - or _ (at most 63)');

/* ---------- tag policies ---------- */

const TagScheme = z.union([z.enum(['semver', 'git-sha', 'upstream-suffix']), RegexRule]);
const LabelValidator = z.union([z.enum(['git-sha', 'rfc3339', 'present']), RegexRule]);

const Exemption = z.strictObject({
  tags: z.array(TagGlob).min(1),
  reason: z.string().min(1),
  expires: CalendarDate.describe('Last day (UTC) on which the exemption applies'),
});

const TagPolicy = z.strictObject({
  name: z.string().min(1),
  repositories: z.array(RepositoryGlob).min(1).describe('Globs over repository names; ** crosses /, * does not'),
  mode: z.enum(['audit', 'enforce']).default('audit').describe('audit reports only; enforce also removes the offending tag'),
  forbiddenTags: z.array(TagGlob).default([]),
  allowedTagSchemes: z
    .array(TagScheme)
    .min(1)
    .optional()
    .describe('A tag passes if any scheme matches; absent means any tag not forbidden passes'),
  requiredLabels: z.record(z.string().min(1), LabelValidator).default({}),
  exemptions: z.array(Exemption).default([]),
});

/* ---------- pull-through cache ---------- */

const CachePrefix = z
  .string()
  .min(2, 'must be 2-30 characters')
  .max(30, 'must be 2-30 characters')
  .regex(
    /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/,
    'must be a valid ECR repository name prefix: lowercase letters and digits, separated by . _ - or /, without a trailing /',
  );

const Platform = z
  .string()
  .regex(/^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/, 'must be os/architecture[/variant], for example linux/arm64');

const ImageName = z
  .string()
  .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, 'must be an image path without registry or tag');

const TagSelector = z.union([
  z.array(z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/, 'is not a valid tag')).min(1),
  z.strictObject({ semver: SemverRange }),
  RegexRule,
]);

const PrepopulateImage = z.strictObject({
  image: ImageName,
  tags: TagSelector,
  platforms: z.array(Platform).min(1).optional().describe('Platforms to warm from an index; all when absent'),
  owner: TeamName.optional().describe('Team that owns this image: prepopulation failures and scan alerts go there'),
});

const ScheduleExpression = z
  .string()
  .regex(
    /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(.+\))$/,
    'must be an EventBridge schedule expression such as "rate(6 hours)" or "cron(0 3 * * ? *)"',
  );

const PullThroughCache = z.strictObject({
  prefix: CachePrefix,
  upstream: z.string().min(1).describe('Upstream registry host, for example registry.k8s.io'),
  credentialArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:ecr-pullthroughcache\/.+$/, 'must be a Secrets Manager secret ARN whose name starts with ecr-pullthroughcache/')
    .optional()
    .describe('Secret for upstreams that need credentials (Docker Hub, GHCR, ...)'),
  repositoryPolicy: z
    .strictObject({
      pullAccounts: z.array(AccountId).default([]),
      pullOrganizations: z.array(OrganizationId).default([]),
    })
    .optional(),
  repositorySettings: z
    .strictObject({
      scanOnPush: z.boolean().default(true),
      tagMutability: z.enum(['MUTABLE', 'IMMUTABLE']).default('MUTABLE'),
      lifecycle: z
        .strictObject({
          expireUntaggedAfterDays: z.number().int().min(1).optional(),
          keepLastTaggedImages: z.number().int().min(1).optional(),
        })
        .optional(),
    })
    .optional(),
  prepopulate: z
    .strictObject({
      schedule: ScheduleExpression.optional(),
      images: z.array(PrepopulateImage).default([]),
    })
    .optional(),
});

/* ---------- scan alerts ---------- */

const Suppression = z.strictObject({
  cve: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be a finding id such as CVE-2023-44487'),
  repositories: z.array(RepositoryGlob).min(1),
  reason: z.string().min(1),
  expires: CalendarDate.describe('Last day (UTC) on which the suppression applies'),
  package: z.string().min(1).optional(),
  digest: z.string().regex(/^sha256:[a-f0-9]{64}$/, 'must be sha256:<64 hex>').optional(),
});

const ScanAlerts = z.strictObject({
  minSeverity: Severity.default('CRITICAL'),
  routes: z.array(z.strictObject({ repositories: z.array(RepositoryGlob).min(1), team: TeamName })).default([]),
  suppressions: z.array(Suppression).default([]),
});

/* ---------- teams ---------- */

const Team = z.strictObject({
  email: z.array(z.email('must be an e-mail address')).default([]),
});

/* ---------- the whole file ---------- */

const DockmasterConfigSchema = z.strictObject({
  version: z.literal(1),
  registry: z.strictObject({ accountId: AccountId, region: AwsRegion }),
  tagPolicies: z.array(TagPolicy).default([]),
  pullThroughCache: z.array(PullThroughCache).default([]),
  scanAlerts: ScanAlerts.optional(),
  teams: z.record(TeamName, Team).default({}),
});

type DockmasterConfig = z.output<typeof DockmasterConfigSchema>;
type DockmasterConfigInput = z.input<typeof DockmasterConfigSchema>;
type TagPolicyConfig = DockmasterConfig['tagPolicies'][number];
type TagSchemeConfig = z.output<typeof TagScheme>;
type LabelValidatorConfig = z.output<typeof LabelValidator>;
type PullThroughCacheConfig = DockmasterConfig['pullThroughCache'][number];
type PrepopulateImageConfig = z.output<typeof PrepopulateImage>;
type ScanAlertsConfig = z.output<typeof ScanAlerts>;
type SuppressionConfig = z.output<typeof Suppression>;

export { CalendarDate, DockmasterConfigSchema, Severity as SeveritySchema };
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
};
