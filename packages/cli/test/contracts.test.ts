import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_CONFIG, fromRoot, runCli, sampleEvent, scratch } from './support/cli.js';

/* The CLI contracts pipelines rely on exactly: exit codes, output lines and JSON shapes. */

const write = scratch('contracts');
const exampleText = readFileSync(EXAMPLE_CONFIG, 'utf8');

describe('dockmaster validate', () => {
  it('exits 0 for the example config', async () => {
    // Act
    const result = await runCli(['validate', EXAMPLE_CONFIG]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('is valid');
    expect(result.stderr).not.toContain('would reach no team');
  });

  it('warns, once per image, when a prepopulation failure would reach no team, and not once the prefix has a defaultOwner', async () => {
    // Prepare: without the catch-all route, pause and metrics-server have no owner at all; coredns names one.
    const catchAll = '    - repositories: ["**"]\n      team: platform\n';
    expect(exampleText).toContain(catchAll);
    const unowned = exampleText.replace(catchAll, '');
    const withDefault = unowned.replace('      schedule: "rate(6 hours)"\n', '      schedule: "rate(6 hours)"\n      defaultOwner: platform\n');
    const unknownTeam = withDefault.replace('defaultOwner: platform', 'defaultOwner: platfrom');

    // Act
    const warned = await runCli(['validate', write('unowned.yaml', unowned)]);
    const owned = await runCli(['validate', write('owned.yaml', withDefault)]);
    const misspelt = await runCli(['validate', write('misspelt.yaml', unknownTeam)]);

    // Assess
    expect(warned.code).toBe(0);
    expect(warned.stderr.split('\n').filter((line) => line.includes('would reach no team'))).toEqual([
      expect.stringMatching(/^warning: \S+unowned\.yaml:\d+:\d+ pullThroughCache\[0\]\.prepopulate\.images\[0\] a prepopulation failure of k8s\/pause would reach no team: set owner on this entry or prepopulate\.defaultOwner on k8s/),
      expect.stringMatching(/pullThroughCache\[0\]\.prepopulate\.images\[1\] a prepopulation failure of k8s\/metrics-server\/metrics-server would reach no team/),
    ]);
    expect(owned.code).toBe(0);
    expect(owned.stderr).not.toContain('would reach no team');
    expect(misspelt.code).toBe(1);
    expect(misspelt.stdout).toContain("pullThroughCache[0].prepopulate.defaultOwner team 'platfrom' is not defined under teams");
  });

  it('says per tag policy whether ECR or the push event enforces its tag immutability, and why; warns about immutable cache prefixes', async () => {
    // Prepare
    const example = fromRoot('docs/examples/tag-immutability.yaml');
    const immutableCache = readFileSync(example, 'utf8').replace('tagMutability: MUTABLE ', 'tagMutability: IMMUTABLE ');
    expect(immutableCache).toContain('tagMutability: IMMUTABLE ');

    // Act
    const result = await runCli(['validate', example]);
    const warned = await runCli(['validate', write('immutable-cache.yaml', immutableCache)]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n').slice(1)).toEqual([
      'tag policy "releases": tag immutability enforced by ECR (Dockmaster sets it on the covered repositories and repairs drift): 2 wildcard exclusion filter(s) (dev-*, latest): ECR\'s IMMUTABLE_WITH_EXCLUSION',
      'tag policy "team-builds": tag immutability enforced on the push event by the tag-policy worker (after the push): ECR cannot express it: "v[0-9]*" uses ? or [...], and ECR\'s filters know only the wildcard *',
    ]);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(/^warning: \S+immutable-cache\.yaml:\d+:\d+ pullThroughCache\[0\]\.repositorySettings\.tagMutability IMMUTABLE on the pull-through cache prefix k8s\/: ECR refreshes a cached tag from the upstream only while it is mutable/);
  });

  it('warns about a tag policy an earlier one shadows, and prints no enforcement line for it', async () => {
    // Prepare: a policy for prod/payments/** after releases (prod/**): first match wins, so it never applies.
    const example = readFileSync(fromRoot('docs/examples/tag-immutability.yaml'), 'utf8');
    const anchor = '  - name: team-builds\n';
    expect(example).toContain(anchor);
    const shadowed = example.replace(
      anchor,
      '  - name: payments\n    repositories: ["prod/payments/**"]\n    tagImmutability:\n      default: immutable\n' + anchor,
    );

    // Act
    const result = await runCli(['validate', write('shadowed.yaml', shadowed)]);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^warning: \S+shadowed\.yaml:17:19 tagPolicies\[1\]\.repositories tag policy 'payments' \(line 16\) never applies: only the first policy whose repositories match applies to a push, and 'releases' \(tagPolicies\[0\], line 10\) already covers every repository it names; move 'payments' above 'releases', or narrow the repositories of the earlier policy$/,
    );
    const payments = result.stdout.split('\n').filter((line) => line.includes('"payments"'));
    expect(payments).toEqual(['tag policy "payments": tag immutability not applied: the policy never applies, it is shadowed by "releases" (only the first matching policy applies; see the warning)']);
  });

  it('ends a failed run with the count and what validate did (read and checked the file, no AWS call)', async () => {
    // Prepare
    const file = write('no-version.yaml', exampleText.replace(/^version: 1\n/m, ''));

    // Act
    const result = await runCli(['validate', file]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/no-version\.yaml:\d+:\d+ version is required \(add version: 1\)$/);
    expect(result.stderr).toBe(`${file}: 1 problem(s) found by reading and checking the file (validate calls no AWS API)`);
  });

  it('exits 1 with one <file>:<line>:<col> <path> <message> line per problem, all at once', async () => {
    // Prepare
    const broken = exampleText
      .replace('"444455556666"', '"44445555666"')
      .replace('forbiddenTags: ["latest", "stable"]', 'forbidenTags: ["latest", "stable"]')
      .replace('expires: "2027-03-01"', 'expires: "2027-02-30"');
    const file = write('broken.yaml', broken);

    // Act
    const result = await runCli(['validate', file]);

    // Assess
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ \\S+ .+`));
    expect(result.stdout).toContain('pullThroughCache[0].repositoryPolicy.pullAccounts[0]');
    expect(result.stdout).toContain("tagPolicies[0].forbidenTags unknown key 'forbidenTags' (did you mean 'forbiddenTags'?)");
    expect(result.stdout).toContain('scanAlerts.suppressions[0].expires');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('points at the offending value: line and column of pullAccounts[1]', async () => {
    // Prepare
    const file = write('account.yaml', exampleText.replace('"777788889999"', '"7777"'));
    const lineOfValue = exampleText.split('\n').findIndex((line) => line.includes('"777788889999"')) + 1;
    const columnOfValue = exampleText.split('\n')[lineOfValue - 1]!.indexOf('"777788889999"') + 1;

    // Act
    const result = await runCli(['validate', file]);

    // Assess
    expect(result.stdout).toBe(
      `${file}:${lineOfValue}:${columnOfValue} pullThroughCache[0].repositoryPolicy.pullAccounts[1] must be a 12-digit AWS account ID (quote it in YAML: "111122223333")`,
    );
  });

  it('exits 2 for an unreadable file and for a usage error', async () => {
    // Act
    const missing = await runCli(['validate', '/nonexistent/dockmaster.yaml']);
    const noArgument = await runCli(['validate']);
    const unknownOption = await runCli(['validate', '--strict', EXAMPLE_CONFIG]);

    // Assess
    expect([missing.code, noArgument.code, unknownOption.code]).toEqual([2, 2, 2]);
    expect(missing.stderr).toContain('no such file');
  });
});

describe('dockmaster check-tag', () => {
  it('exits 1 for a forbidden tag and names the policy and every reason', async () => {
    // Act
    const result = await runCli(['check-tag', '--config', EXAMPLE_CONFIG, 'prod/payments/api:latest']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('"production-services"');
    expect(result.stdout).toContain('forbidden-tag');
    expect(result.stdout).toContain('tag-scheme');
    expect(result.stdout).toContain('required labels not checked');
  });

  it('prints exactly {compliant, policy, mode, violations} with --json', async () => {
    // Act
    const bad = await runCli(['check-tag', '--json', '--config', EXAMPLE_CONFIG, 'prod/payments/api:latest']);
    const good = await runCli(['check-tag', '--json', '--config', EXAMPLE_CONFIG, 'prod/payments/api:v1.4.2']);
    const uncovered = await runCli(['check-tag', '--json', '--config', EXAMPLE_CONFIG, 'dev/tools:latest']);

    // Assess
    const badJson = JSON.parse(bad.stdout) as Record<string, unknown>;
    expect(Object.keys(badJson)).toEqual(['compliant', 'policy', 'mode', 'violations']);
    expect(badJson).toMatchObject({ compliant: false, policy: 'production-services', mode: 'enforce' });
    expect((badJson.violations as { rule: string }[]).map((violation) => violation.rule)).toEqual(['forbidden-tag', 'tag-scheme']);
    expect([bad.code, good.code, uncovered.code]).toEqual([1, 0, 0]);
    expect(JSON.parse(good.stdout)).toEqual({ compliant: true, policy: 'production-services', mode: 'enforce', violations: [] });
    expect(JSON.parse(uncovered.stdout)).toEqual({ compliant: true, policy: null, mode: null, violations: [] });
  });

  it('checks labels given with --label', async () => {
    // Prepare
    const labels = [
      '--label', 'org.opencontainers.image.revision=0123456789abcdef0123456789abcdef01234567',
      '--label', 'org.opencontainers.image.source=https://github.com/acme/api',
      '--label', 'org.opencontainers.image.created=2026-11-01T10:00:00Z',
    ];

    // Act
    const compliant = await runCli(['check-tag', '--json', '--config', EXAMPLE_CONFIG, ...labels, 'prod/payments/api:1.4.2']);
    const wrongSource = await runCli([
      'check-tag', '--json', '--config', EXAMPLE_CONFIG, ...labels.slice(0, 2), '--label', 'org.opencontainers.image.source=https://gitlab.com/x', 'prod/payments/api:1.4.2',
    ]);

    // Assess
    expect(compliant.code).toBe(0);
    expect(wrongSource.code).toBe(1);
    const rules = (JSON.parse(wrongSource.stdout) as { violations: { rule: string }[] }).violations.map((violation) => violation.rule);
    expect(rules).toContain('label-value');
    expect(rules).toContain('required-label');
  });

  it('exits 2 for an invalid reference, a malformed --label and a missing --config', async () => {
    // Act
    const digest = await runCli(['check-tag', '--config', EXAMPLE_CONFIG, 'prod/api@sha256:abc']);
    const upper = await runCli(['check-tag', '--config', EXAMPLE_CONFIG, 'Prod/API:1.0.0']);
    const label = await runCli(['check-tag', '--config', EXAMPLE_CONFIG, '--label', 'novalue', 'prod/api:1.0.0']);
    const noConfig = await runCli(['check-tag', 'prod/api:1.0.0']);

    // Assess
    expect([digest.code, upper.code, label.code, noConfig.code]).toEqual([2, 2, 2, 2]);
    expect(digest.stderr).toContain('<repository>:<tag>');
  });
});

describe('dockmaster explain', () => {
  it.each([
    ['ecr-image-scan-basic-complete.json', ['scan-alert']],
    ['ecr-replication-action-failed.json', ['replication']],
    ['ecr-image-action-delete.json', []],
  ])('prints the jobs %s reaches under the example config', async (name, jobs) => {
    // Act
    const result = await runCli(['explain', '--config', EXAMPLE_CONFIG, sampleEvent(name)]);

    // Assess
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ jobs });
  });

  it('routes a push under prod/ to tag-policy', async () => {
    // Prepare
    const push = JSON.parse(readFileSync(sampleEvent('ecr-image-action-push-success.json'), 'utf8')) as { detail: Record<string, unknown> };
    const file = write('push.json', { ...push, detail: { ...push.detail, 'repository-name': 'prod/payments/api' } });

    // Act
    const result = await runCli(['explain', '--config', EXAMPLE_CONFIG, file]);

    // Assess
    expect(JSON.parse(result.stdout)).toEqual({ jobs: ['tag-policy'] });
  });

  it('exits 2 for a file that is not JSON (the AWS sample with a trailing comma) or not an EventBridge event', async () => {
    // Act
    const notJson = await runCli(['explain', '--config', EXAMPLE_CONFIG, sampleEvent('ecr-pull-through-cache-action.json')]);
    const notEvent = await runCli(['explain', '--config', EXAMPLE_CONFIG, sampleEvent('cloudtrail-record-ecr-createrepository.json')]);

    // Assess
    expect([notJson.code, notEvent.code]).toEqual([2, 2]);
    expect(notJson.stderr).toContain('not valid JSON');
    expect(notEvent.stderr).toContain('not an EventBridge event');
  });
});

describe('dockmaster test-pattern', () => {
  it('prints true or false like TestEventPattern', async () => {
    // Prepare
    const push = sampleEvent('ecr-image-action-push-success.json');
    const matching = write('match.json', { source: ['aws.ecr'], detail: { 'action-type': ['PUSH'], 'image-tag': [{ prefix: 'lat' }] } });
    const other = write('other.json', { source: ['aws.ecr'], detail: { 'action-type': ['DELETE'] } });

    // Act
    const yes = await runCli(['test-pattern', matching, push]);
    const no = await runCli(['test-pattern', other, push]);

    // Assess
    expect([yes.code, yes.stdout, no.code, no.stdout]).toEqual([0, 'true', 0, 'false']);
  });

  it('exits 2 with the reason for an invalid pattern', async () => {
    // Prepare
    const invalid = write('invalid.json', { source: 'aws.ecr' });

    // Act
    const result = await runCli(['test-pattern', invalid, sampleEvent('ecr-image-action-push-success.json')]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('invalid event pattern');
    expect(result.stderr).toContain('"source"');
  });
});

describe('dockmaster', () => {
  it('exits 2 for an unknown command and lists the commands', async () => {
    // Act
    const result = await runCli(['frobnicate']);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
    expect(result.stderr).toContain('check-tag');
  });
});
