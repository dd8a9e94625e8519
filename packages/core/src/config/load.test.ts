import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AutomationId } from '../constants.js';
import {
  ConfigInvalidError,
  formatConfigIssue,
  isAutomationPaused,
  loadConfig,
  parseConfigOrThrow,
  type ConfigLoadResult,
} from './index.js';

const EXAMPLE = readFileSync(new URL('../../../../docs/examples/dockmaster.example.yaml', import.meta.url), 'utf8');
const FILE = 'dockmaster.yaml';
const BEFORE_EXPIRIES = new Date('2026-06-01T00:00:00Z');

/** Replaces a snippet that must occur exactly once, so a changed example fails loudly instead of testing nothing. */
const mutate = (text: string, from: string, to: string): string => {
  const parts = text.split(from);
  if (parts.length !== 2) throw new Error(`expected exactly one occurrence of ${JSON.stringify(from)}, found ${parts.length - 1}`);
  return parts.join(to);
};

const lines = (result: ConfigLoadResult): string[] => (result.ok ? [] : result.issues.map(formatConfigIssue));

const load = (text: string): ConfigLoadResult => loadConfig(text, FILE, { now: BEFORE_EXPIRIES });

const SHA = 'a'.repeat(64);

describe('loadConfig on the example', () => {
  it('accepts the documented example unchanged, with defaults filled in', () => {
    // Prepare: the example as shipped in docs/examples.

    // Act
    const result = load(EXAMPLE);

    // Assess
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toEqual([]);
    expect(result.config.registry).toEqual({ accountId: '111122223333', region: 'eu-central-1' });
    expect(result.config.tagPolicies[1]?.forbiddenTags).toEqual([]);
    expect(result.config.tagPolicies[0]?.exemptions[0]?.expires).toBe('2027-01-31');
    expect(result.config.pullThroughCache[0]?.prepopulate?.images[1]?.tags).toEqual({ semver: '>=0.7.0 <0.8.0' });
    expect(result.config.scanAlerts?.minSeverity).toBe('CRITICAL');
    expect(result.config.automations).toBeUndefined();
  });

  it('reads an unquoted date as the string written (YAML 1.2 core schema has no timestamps)', () => {
    // Prepare
    const text = mutate(EXAMPLE, 'expires: "2027-01-31"', 'expires: 2027-01-31');

    // Act
    const result = load(text);

    // Assess
    expect(result.ok && result.config.tagPolicies[0]?.exemptions[0]?.expires).toBe('2027-01-31');
  });

  it('checks a YAML 1.1 timestamp as written instead of letting it roll over to another day', () => {
    // Prepare: under %YAML 1.1 the yaml package would make 2027-02-30 a Date of March 2.
    const text = `%YAML 1.1\n---\n${mutate(EXAMPLE, 'expires: "2027-01-31"', 'expires: 2027-02-30')}`;

    // Act
    const result = load(text);

    // Assess
    expect(lines(result)).toEqual([
      `${FILE}:25:18 tagPolicies[0].exemptions[0].expires must be a real calendar date, YYYY-MM-DD (this day does not exist)`,
    ]);
  });

  it('warns about expired exemptions and suppressions without rejecting the file', () => {
    // Prepare
    const now = new Date('2027-02-15T12:00:00Z');

    // Act
    const result = loadConfig(EXAMPLE, FILE, { now });

    // Assess
    expect(result.ok).toBe(true);
    expect(result.ok && result.warnings.map(formatConfigIssue)).toEqual([
      `${FILE}:23:18 tagPolicies[0].exemptions[0].expires expired on 2027-01-31: this exemption of policy 'production-services' no longer applies; remove it or extend the date`,
    ]);
  });
});

/** One broken variant per rule: the exact `file:line:col path message` lines expected. */
const RULES: { rule: string; text: () => string; expected: string[] }[] = [
  {
    rule: 'account IDs have 12 digits',
    text: () => mutate(EXAMPLE, '"777788889999"', '"77778888999"'),
    expected: [
      `${FILE}:34:38 pullThroughCache[0].repositoryPolicy.pullAccounts[1] must be a 12-digit AWS account ID (quote it in YAML: "111122223333")`,
    ],
  },
  {
    rule: 'an unquoted account ID is a number that lost its leading zero',
    text: () => mutate(EXAMPLE, 'accountId: "111122223333"', 'accountId: 011122223333'),
    expected: [`${FILE}:6:14 registry.accountId must be a string, got the number 11122223333 (quote it: "011122223333")`],
  },
  {
    rule: "organization IDs are 'o-' and 10-32 lowercase letters or digits",
    text: () => mutate(EXAMPLE, '"o-a1b2c3d4e5"', '"o-A1B2"'),
    expected: [
      `${FILE}:35:27 pullThroughCache[0].repositoryPolicy.pullOrganizations[0] must be an AWS Organizations ID: 'o-' followed by 10-32 lowercase letters or digits`,
    ],
  },
  {
    rule: 'cache prefixes have 2-30 characters',
    text: () => mutate(EXAMPLE, 'prefix: k8s', 'prefix: k'),
    expected: [`${FILE}:31:13 pullThroughCache[0].prefix must be 2-30 characters`],
  },
  {
    rule: 'cache prefixes are valid ECR repository name prefixes',
    text: () => mutate(EXAMPLE, 'prefix: k8s', 'prefix: K8s/'),
    expected: [
      `${FILE}:31:13 pullThroughCache[0].prefix must be a valid ECR repository name prefix: lowercase letters and digits, separated by . _ - or /, without a trailing /`,
    ],
  },
  {
    rule: 'cache prefixes are unique',
    text: () => `${EXAMPLE}`.replace('pullThroughCache:\n', 'pullThroughCache:\n  - prefix: k8s\n    upstream: registry.k8s.io\n'),
    expected: [`${FILE}:33:13 pullThroughCache[1].prefix duplicate cache prefix 'k8s' (already used by pullThroughCache[0]); prefixes must be unique`],
  },
  {
    rule: 'no cache prefix is nested in another',
    text: () => mutate(EXAMPLE, 'pullThroughCache:\n', 'pullThroughCache:\n  - prefix: k8s/sub\n    upstream: registry.k8s.io\n'),
    expected: [
      `${FILE}:33:13 pullThroughCache[1].prefix cache prefix 'k8s/sub' is nested in 'k8s' (see pullThroughCache[0]): repositories under k8s/sub/ would belong to both rules; use prefixes that do not contain one another`,
    ],
  },
  {
    rule: 'upstreams that need credentials get a credentialArn',
    text: () => mutate(EXAMPLE, 'pullThroughCache:\n', 'pullThroughCache:\n  - prefix: docker-hub\n    upstream: registry-1.docker.io\n'),
    expected: [
      `${FILE}:31:5 pullThroughCache[0].credentialArn is required for upstream registry-1.docker.io: ECR authenticates to it with a Secrets Manager secret named ecr-pullthroughcache/<name>`,
    ],
  },
  {
    rule: "repository globs use '**' only as a whole segment",
    text: () => mutate(EXAMPLE, '["prod/**"]', '["prod/**x"]'),
    expected: [
      `${FILE}:12:20 tagPolicies[0].repositories[0] glob "prod/**x": '**' must be a whole path segment (for example "prod/**"); use '*' within a segment`,
    ],
  },
  {
    rule: "tag globs have no '**'",
    text: () => mutate(EXAMPLE, '["hotfix-*"]', '["hotfix-**"]'),
    expected: [`${FILE}:21:16 tagPolicies[0].exemptions[0].tags[0] tag glob "hotfix-**" uses '**'; tags have no '/', use '*'`],
  },
  {
    rule: 'regular expressions compile',
    text: () => mutate(EXAMPLE, '{ regex: "^https://github\\\\.com/acme/" }', '{ regex: "^(unclosed" }'),
    expected: [
      `${FILE}:18:50 tagPolicies[0].requiredLabels["org.opencontainers.image.source"].regex is not a valid regular expression at \`^(unclosed\`: missing closing ) (RE2 syntax)`,
    ],
  },
  {
    rule: 'regular expressions are RE2: a lookahead is reported at its own column, past escapes in double quotes',
    text: () => mutate(EXAMPLE, '{ regex: "^https://github\\\\.com/acme/" }', '{ regex: "^https://github\\\\.com/(?!evil)" }'),
    expected: [
      `${FILE}:18:72 tagPolicies[0].requiredLabels["org.opencontainers.image.source"].regex is not a valid regular expression at \`(?!\`: lookahead and lookbehind are not supported (RE2 syntax); match the text itself, or list the alternatives with |`,
    ],
  },
  {
    rule: 'regular expressions are RE2: a backreference is reported at its column in a single-quoted value',
    text: () => mutate(EXAMPLE, '{ regex: "^https://github\\\\.com/acme/" }', "{ regex: '^(a)\\1$' }"),
    expected: [
      `${FILE}:18:54 tagPolicies[0].requiredLabels["org.opencontainers.image.source"].regex is not a valid regular expression at \`\\1\`: backreferences (\\1, \\k<name>) are not supported (RE2 syntax); spell the repeated part out`,
    ],
  },
  {
    rule: 'regular expressions have a length limit',
    text: () => mutate(EXAMPLE, '[semver, git-sha]', `[semver, { regex: "${'a'.repeat(1001)}" }]`),
    expected: [`${FILE}:15:42 tagPolicies[0].allowedTagSchemes[1].regex is 1001 characters long; a regular expression may have at most 1000`],
  },
  {
    rule: 'brace globs are counted, not expanded: 24 groups of {a,b} are refused',
    text: () => mutate(EXAMPLE, '["prod/**"]', `["prod/${'{a,b}'.repeat(24)}"]`),
    expected: [
      `${FILE}:12:20 tagPolicies[0].repositories[0] glob "prod/${'{a,b}'.repeat(15)}…" (125 characters) stands for more than 32 names through its braces; use fewer brace groups or '*'`,
    ],
  },
  {
    rule: 'SemVer ranges parse',
    text: () => mutate(EXAMPLE, '">=0.7.0 <0.8.0"', '">=zero"'),
    expected: [`${FILE}:47:27 pullThroughCache[0].prepopulate.images[1].tags.semver is not a valid SemVer range (for example ">=0.7.0 <0.8.0")`],
  },
  {
    rule: 'dates are real calendar dates',
    text: () => mutate(EXAMPLE, '"2027-03-01"', '"2027-02-30"'),
    expected: [`${FILE}:65:16 scanAlerts.suppressions[0].expires must be a real calendar date, YYYY-MM-DD (this day does not exist)`],
  },
  {
    rule: 'unquoted impossible dates are caught too',
    text: () => mutate(EXAMPLE, '"2027-01-31"', '2027-02-30'),
    expected: [`${FILE}:23:18 tagPolicies[0].exemptions[0].expires must be a real calendar date, YYYY-MM-DD (this day does not exist)`],
  },
  {
    rule: "severities are ECR's",
    text: () => mutate(EXAMPLE, 'minSeverity: CRITICAL', 'minSeverity: CRITCAL'),
    expected: [
      `${FILE}:55:16 scanAlerts.minSeverity must be one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL, got the string "CRITCAL" (did you mean "CRITICAL"?)`,
    ],
  },
  {
    rule: 'route teams are defined under teams',
    text: () => mutate(EXAMPLE, 'team: payments', 'team: paymnts'),
    expected: [
      `${FILE}:58:13 scanAlerts.routes[0].team team 'paymnts' is not defined under teams (defined: payments, platform, platform-dns) (did you mean 'payments'?)`,
    ],
  },
  {
    rule: 'image owners are defined under teams',
    text: () => mutate(EXAMPLE, 'owner: platform-dns', 'owner: dns'),
    expected: [
      `${FILE}:51:18 pullThroughCache[0].prepopulate.images[2].owner team 'dns' is not defined under teams (defined: payments, platform, platform-dns)`,
    ],
  },
  {
    rule: 'the alarm team is defined under teams',
    text: () => `${EXAMPLE}\noperations:\n  alarmTeam: platfrom\n`,
    expected: [
      `${FILE}:76:14 operations.alarmTeam team 'platfrom' is not defined under teams (defined: payments, platform, platform-dns) (did you mean 'platform'?)`,
    ],
  },
  {
    rule: 'tag policy names are unique',
    text: () => mutate(EXAMPLE, 'name: repackaged-upstream', 'name: production-services'),
    expected: [
      `${FILE}:24:11 tagPolicies[1].name duplicate tag policy name 'production-services' (already used by tagPolicies[0]); names must be unique`,
    ],
  },
  {
    rule: 'unknown keys are errors, with the closest known key',
    text: () => mutate(EXAMPLE, 'forbiddenTags:', 'forbidenTags:'),
    expected: [`${FILE}:14:5 tagPolicies[0].forbidenTags unknown key 'forbidenTags' (did you mean 'forbiddenTags'?)`],
  },
  {
    rule: 'unknown keys without a close match get no suggestion',
    text: () => `${EXAMPLE}colour: blue\n`,
    expected: [`${FILE}:74:1 colour unknown key 'colour'`],
  },
  {
    rule: 'a missing required key is reported at its parent mapping',
    text: () => mutate(EXAMPLE, '  region: eu-central-1\n', ''),
    expected: [`${FILE}:6:3 registry.region is required`],
  },
  {
    rule: 'a missing top-level section is reported at the top mapping',
    text: () => mutate(EXAMPLE, 'registry:\n  accountId: "111122223333"\n  region: eu-central-1\n', ''),
    expected: [`${FILE}:3:1 registry is required`],
  },
  {
    rule: 'an empty value points at its key',
    text: () => mutate(EXAMPLE, 'registry:\n  accountId: "111122223333"\n  region: eu-central-1\n', 'registry:\n'),
    expected: [`${FILE}:5:1 registry must be a mapping (key: value), got an empty value`],
  },
  {
    rule: 'a quoted version is not the number 1',
    text: () => mutate(EXAMPLE, 'version: 1', 'version: "1"'),
    expected: [`${FILE}:3:10 version must be 1, got the string "1" (a number: remove the quotes)`],
  },
  {
    rule: 'tag schemes are built-ins or a regex',
    text: () => mutate(EXAMPLE, '[semver, git-sha]', '[semverr, git-sha]'),
    expected: [
      `${FILE}:15:25 tagPolicies[0].allowedTagSchemes[0] must be one of semver, git-sha, upstream-suffix, got the string "semverr" (did you mean "semver"?)`,
    ],
  },
  {
    rule: 'a tag selector mapping is { semver } or { regex }',
    text: () => mutate(EXAMPLE, '{ semver: ">=0.7.0 <0.8.0" }', '{ semvr: ">=0.7.0 <0.8.0" }'),
    expected: [
      `${FILE}:47:17 pullThroughCache[0].prepopulate.images[1].tags must be a list of tags, { semver: "<range>" } or { regex: "<regex>" }; unknown key 'semvr' (did you mean 'semver'?)`,
    ],
  },
  {
    rule: 'an exact tag may be pinned to a sha256 digest, and nothing else',
    text: () => mutate(EXAMPLE, '["v1.11.1"]', `["v1.11.1@sha256:${SHA}", "v1.11.1@sha256:abc"]`),
    expected: [
      `${FILE}:50:101 pullThroughCache[0].prepopulate.images[2].tags[1] is not a valid tag: letters, digits, _ . - (at most 128, not starting with . or -), optionally pinned as "v1.11.1@sha256:<64 hex>"`,
    ],
  },
  {
    rule: 'a number where a tag is expected gets a quoting hint with the text as written',
    text: () => mutate(EXAMPLE, '["3.9", "3.10"]', '["3.9", 3.10]'),
    expected: [`${FILE}:45:25 pullThroughCache[0].prepopulate.images[0].tags[1] must be a string, got the number 3.1 (quote it: "3.10")`],
  },
  {
    rule: 'the scan watchdog needs at least one hour',
    text: () => mutate(EXAMPLE, '  minSeverity: CRITICAL\n', '  minSeverity: CRITICAL\n  watchdog:\n    silentAfterHours: 0\n'),
    expected: [`${FILE}:57:23 scanAlerts.watchdog.silentAfterHours must be at least 1`],
  },
  {
    rule: "a route's notInUse is page, low-urgency or skip",
    text: () => mutate(EXAMPLE, '      team: platform\n', '      team: platform\n      notInUse: quiet\n'),
    expected: [`${FILE}:61:17 scanAlerts.routes[1].notInUse must be one of page, low-urgency, skip, got the string "quiet"`],
  },
  {
    rule: 'automations are known automation ids',
    text: () => `${EXAMPLE}automations:\n  scan-alerts: { paused: true }\n`,
    expected: [`${FILE}:75:3 automations["scan-alerts"] unknown key 'scan-alerts' (did you mean 'scan-alert'?)`],
  },
  {
    rule: 'team names are lowercase',
    text: () => mutate(EXAMPLE, '  platform:\n    email', '  Platform:\n    email'),
    expected: [
      `${FILE}:60:13 scanAlerts.routes[1].team team 'platform' is not defined under teams (defined: payments, Platform, platform-dns) (did you mean 'Platform'?)`,
      `${FILE}:70:3 teams.Platform key 'Platform' is not allowed: must be lowercase letters, digits, - or _ (at most 63)`,
    ],
  },
];

describe('loadConfig rules', () => {
  it.each(RULES)('$rule', ({ text, expected }) => {
    // Prepare
    const broken = text();

    // Act
    const result = load(broken);

    // Assess
    expect(result.ok).toBe(false);
    expect(lines(result)).toEqual(expected);
  });
});

describe('loadConfig reports', () => {
  it('reports every problem at once, in file order', () => {
    // Prepare: a type error, a format error, an unknown key, a cross-field error and a missing key together.
    let text = mutate(EXAMPLE, '  region: eu-central-1\n', '');
    text = mutate(text, 'mode: enforce', 'mode: enforced');
    text = mutate(text, 'scanOnPush: true', 'scanOnPush: "yes"');
    text = mutate(text, 'schedule: "rate(6 hours)"', 'schedul: "rate(6 hours)"');
    text = mutate(text, 'team: platform\n', 'team: ops\n');
    text = mutate(text, '"o-a1b2c3d4e5"', '"o-1"');

    // Act
    const result = load(text);

    // Assess
    expect(lines(result)).toEqual([
      `${FILE}:6:3 registry.region is required`,
      `${FILE}:12:11 tagPolicies[0].mode must be one of audit, enforce, got the string "enforced" (did you mean "enforce"?)`,
      `${FILE}:34:27 pullThroughCache[0].repositoryPolicy.pullOrganizations[0] must be an AWS Organizations ID: 'o-' followed by 10-32 lowercase letters or digits`,
      `${FILE}:36:19 pullThroughCache[0].repositorySettings.scanOnPush must be true or false, got the string "yes"`,
      `${FILE}:41:7 pullThroughCache[0].prepopulate.schedul unknown key 'schedul' (did you mean 'schedule'?)`,
      `${FILE}:59:13 scanAlerts.routes[1].team team 'ops' is not defined under teams (defined: payments, platform, platform-dns)`,
    ]);
  });

  it.each([
    {
      name: 'a mapping nested in a compact value',
      from: '    mode: enforce',
      to: '    mode: enforce: now',
      expected: `${FILE}:13:11 tagPolicies[0].mode.enforce YAML syntax error: Nested mappings are not allowed in compact mappings`,
    },
    {
      name: 'a tab used for indentation',
      from: '  region: eu-central-1',
      to: '\tregion: eu-central-1',
      expected: `${FILE}:7:1 (root) YAML syntax error: Tabs are not allowed as indentation`,
    },
    {
      name: 'a key indented deeper than its siblings: the key, not column 1',
      from: '  region: eu-central-1',
      to: '      region: eu-central-1',
      expected: `${FILE}:7:7 registry.region YAML syntax error: All mapping items must start at the same column`,
    },
    {
      name: 'a quote left open at the end of the file: the value that opens it, not the end of the file',
      from: '    email: ["dns-oncall@acme.example"]',
      to: '    email: "dns-oncall@acme.example',
      expected: `${FILE}:73:12 teams["platform-dns"].email YAML syntax error: Missing closing "quote`,
    },
    {
      name: 'an alias without anchor',
      from: '    mode: enforce',
      to: '    mode: *enforce',
      expected: `${FILE}:13:11 tagPolicies[0].mode alias '*enforce' refers to no anchor: define '&enforce' before it`,
    },
  ])('points at a YAML syntax error ($name) and does not validate the garbled rest', ({ from, to, expected }) => {
    // Prepare: the syntax error plus a schema error elsewhere, which must not be reported yet.
    const text = mutate(mutate(EXAMPLE, from, to), 'minSeverity: CRITICAL', 'minSeverity: SEVERE');

    // Act
    const result = load(text);

    // Assess
    expect(lines(result)).toEqual([expected]);
  });

  it('reports a duplicate key at the second occurrence, and still validates the rest', () => {
    // Prepare
    let text = mutate(EXAMPLE, '  region: eu-central-1\n', '  region: eu-central-1\n  region: eu-west-1\n');
    text = mutate(text, 'mode: audit', 'mode: loud');

    // Act
    const result = load(text);

    // Assess
    expect(lines(result)).toEqual([
      `${FILE}:8:3 registry.region duplicate key 'region': keys must be unique within a mapping (YAML keeps only one of them)`,
      `${FILE}:27:11 tagPolicies[1].mode must be one of audit, enforce, got the string "loud"`,
    ]);
  });

  it.each([
    { name: 'an empty file', text: '', expected: `${FILE}:1:1 (root) the file is empty: a configuration needs at least 'version: 1' and 'registry' (accountId, region); see docs/configuration.md` },
    { name: 'a file of comments', text: '# nothing yet\n', expected: `${FILE}:1:1 (root) the file is empty: a configuration needs at least 'version: 1' and 'registry' (accountId, region); see docs/configuration.md` },
    { name: 'a list', text: '- version: 1\n', expected: `${FILE}:1:1 (root) the file must be a YAML mapping of settings (version: 1, registry: ...), but it holds a list` },
    { name: 'a single value', text: 'dockmaster\n', expected: `${FILE}:1:1 (root) the file must be a YAML mapping of settings (version: 1, registry: ...), but it holds the single value "dockmaster"` },
    { name: 'two documents', text: 'version: 1\n---\nversion: 1\n', expected: `${FILE}:2:1 (root) the file holds more than one YAML document (a second '---'); put the whole configuration in one document` },
    {
      name: 'version 2',
      text: mutate(EXAMPLE, 'version: 1', 'version: 2'),
      expected: `${FILE}:3:10 version unsupported configuration version 2: this Dockmaster reads version 1; use a Dockmaster release that supports version 2`,
    },
  ])('explains $name in one line', ({ text, expected }) => {
    // Prepare: the text above.

    // Act
    const result = load(text);

    // Assess
    expect(lines(result)).toEqual([expected]);
  });
});

describe('schema extensions', () => {
  it('fills watchdog and automation defaults, and reads the kill switches', () => {
    // Prepare
    let text = mutate(EXAMPLE, '  minSeverity: CRITICAL\n', '  minSeverity: CRITICAL\n  watchdog: {}\n');
    text = `${text}automations:\n  tag-policy: { paused: true }\n  scan-alert: {}\n`;

    // Act
    const config = parseConfigOrThrow(text, FILE);

    // Assess
    expect(config.scanAlerts?.watchdog).toEqual({ silentAfterHours: 24 });
    expect(isAutomationPaused(config, AutomationId.TagPolicy)).toBe(true);
    expect(isAutomationPaused(config, AutomationId.ScanAlert)).toBe(false);
    expect(isAutomationPaused(config, AutomationId.Prepopulate)).toBe(false);
  });

  it('accepts a digest-pinned exact tag', () => {
    // Prepare
    const text = mutate(EXAMPLE, '["v1.11.1"]', `["v1.11.1@sha256:${SHA}"]`);

    // Act
    const result = load(text);

    // Assess
    expect(result.ok && result.config.pullThroughCache[0]?.prepopulate?.images[2]?.tags).toEqual([`v1.11.1@sha256:${SHA}`]);
  });
});

describe('parseConfigOrThrow', () => {
  it('throws a user-facing error whose message is every issue line', () => {
    // Prepare
    const text = mutate(mutate(EXAMPLE, 'forbiddenTags:', 'forbidenTags:'), 'team: payments', 'team: nobody');

    // Act
    const error = (() => {
      try {
        parseConfigOrThrow(text, FILE);
        return undefined;
      } catch (caught) {
        return caught;
      }
    })();

    // Assess
    expect(error).toBeInstanceOf(ConfigInvalidError);
    const invalid = error as ConfigInvalidError;
    expect(invalid.code).toBe('CONFIG_INVALID');
    expect(invalid.issues).toHaveLength(2);
    expect(invalid.message).toBe(invalid.issues.map(formatConfigIssue).join('\n'));
    expect(invalid.message.split('\n')[0]).toBe(`${FILE}:14:5 tagPolicies[0].forbidenTags unknown key 'forbidenTags' (did you mean 'forbiddenTags'?)`);
  });
});

describe('formatConfigIssue', () => {
  it('keeps one issue on one line when a quoted value spans lines', async () => {
    // Prepare
    const { formatConfigIssue } = await import('./issue.js');

    // Act
    const line = formatConfigIssue({ file: 'dockmaster.yaml', line: 3, column: 5, path: 'tagPolicies[0].repositories[0]', message: 'glob "a\nb" is invalid' });

    // Assess
    expect(line).toBe('dockmaster.yaml:3:5 tagPolicies[0].repositories[0] glob "a\\nb" is invalid');
  });
});

describe('loadConfig: a tag policy earlier policies shadow (first match wins)', () => {
  it('warns at the later policy, naming both policies, their lines and the fix', () => {
    // Prepare
    const text = [
      'version: 1',
      'registry: { accountId: "111122223333", region: eu-central-1 }',
      'tagPolicies:',
      '  - name: production',
      '    repositories: ["prod/**"]',
      '  - name: payments',
      '    repositories: ["prod/payments/**"]',
      '',
    ].join('\n');

    // Act
    const result = load(text);

    // Assess
    expect(result.ok && result.warnings.map(formatConfigIssue)).toEqual([
      `${FILE}:7:19 tagPolicies[1].repositories tag policy 'payments' (line 6) never applies: only the first policy whose repositories match applies to a push, and 'production' (tagPolicies[0], line 4) already covers every repository it names; move 'payments' above 'production', or narrow the repositories of the earlier policy`,
    ]);
  });
});

describe('loadConfig: quoted input is cut to an excerpt, binary input is named as such', () => {
  const HEAD = 'version: 1\nregistry: { accountId: "111122223333", region: eu-central-1 }\n';
  const BIG = 'x'.repeat(250_000);

  it.each([
    ['a file that is one huge scalar', BIG, `${FILE}:1:1 (root) the file must be a YAML mapping of settings (version: 1, registry: ...), but it holds the single value "${'x'.repeat(80)}…" (250000 characters)`],
    ['a huge value of an enum', `${HEAD}tagPolicies:\n  - name: a\n    repositories: [a]\n    mode: ${BIG}\n`, `${FILE}:6:11 tagPolicies[0].mode must be one of audit, enforce, got the string "${'x'.repeat(80)}…" (250000 characters)`],
    ['a huge undefined team', `${HEAD}teams: { platform: {} }\nscanAlerts:\n  routes:\n    - repositories: [a]\n      team: ${BIG}\n`, `${FILE}:7:13 scanAlerts.routes[0].team team '${'x'.repeat(80)}…' (250000 characters) is not defined under teams (defined: platform)`],
  ])('%s', (_case, text, expected) => {
    // Act
    const result = load(text);
    const output = lines(result).join('\n');

    // Assess
    expect(lines(result)).toContain(expected);
    expect(output.length).toBeLessThan(1000);
  });

  it('cuts a huge key in the path', () => {
    // Act
    const output = lines(load(`${HEAD}teams:\n  ${'k'.repeat(250_000)}: {}\n`)).join('\n');

    // Assess
    expect(output).toContain(`teams.${'k'.repeat(80)}… (250000 characters) `);
    expect(output.length).toBeLessThan(1000);
  });

  it('reports a binary file once, as not a text file, instead of echoing it', () => {
    // Prepare: bytes as a binary file read as UTF-8 gives them (a PNG header: \x89PNG\r\n\x1a\n).
    const binary = `\uFFFDPNG\r\n\u001A\n${'\u0000\u0007\uFFFD'.repeat(700)}`;

    // Act
    const result = load(binary);

    // Assess
    expect(lines(result)).toEqual([
      `${FILE}:2:1 (root) the file is not a text file: it holds the control character U+001A, which YAML text cannot contain; name the YAML configuration file (dockmaster.yaml)`,
    ]);
  });
});

describe('loadConfig: a missing version', () => {
  it('says it is required and what to add, not "got nothing"', () => {
    // Act
    const result = load('registry: { accountId: "111122223333", region: eu-central-1 }\n');

    // Assess
    expect(lines(result)).toEqual([`${FILE}:1:1 version is required (add version: 1)`]);
  });
});
