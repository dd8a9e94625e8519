import { describe, expect, it } from 'vitest';
import { InvalidImageReferenceError } from './errors.js';
import { formatImageReference, parseDistributionReference } from './parse.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

/** The problem parseDistributionReference reports for `input`, or undefined when it parses. */
const problemOf = (input: string): string | undefined => {
  try {
    parseDistributionReference(input);
    return undefined;
  } catch (error) {
    if (error instanceof InvalidImageReferenceError) return error.problem;
    throw error;
  }
};

describe('parseDistributionReference: the distribution reference grammar, normalised as docker pull does', () => {
  it.each([
    // [input, registry, path, tag, digest]
    ['nginx', 'docker.io', 'library/nginx', undefined, undefined],
    ['nginx:1.27', 'docker.io', 'library/nginx', '1.27', undefined],
    ['docker.io/nginx:1.27', 'docker.io', 'library/nginx', '1.27', undefined],
    ['index.docker.io/library/nginx:1.27', 'docker.io', 'library/nginx', '1.27', undefined],
    ['bitnami/redis:7.4', 'docker.io', 'bitnami/redis', '7.4', undefined],
    ['registry.k8s.io/pause:3.10', 'registry.k8s.io', 'pause', '3.10', undefined],
    ['registry.k8s.io/metrics-server/metrics-server:v0.7.2', 'registry.k8s.io', 'metrics-server/metrics-server', 'v0.7.2', undefined],
    [`quay.io/prometheus/node-exporter@${DIGEST}`, 'quay.io', 'prometheus/node-exporter', undefined, DIGEST],
    [`ghcr.io/acme/app:v1@${DIGEST}`, 'ghcr.io', 'acme/app', 'v1', DIGEST],
    [`ghcr.io/acme/app@sha384:${'e'.repeat(96)}`, 'ghcr.io', 'acme/app', undefined, `sha384:${'e'.repeat(96)}`],
    ['localhost:5000/team/app', 'localhost:5000', 'team/app', undefined, undefined],
    ['localhost/app:1', 'localhost', 'app', '1', undefined],
    ['[::1]:5000/app:1', '[::1]:5000', 'app', '1', undefined],
    ['Example.com/app', 'Example.com', 'app', undefined, undefined],
    ['my_user/app__x--y.z:T_1', 'docker.io', 'my_user/app__x--y.z', 'T_1', undefined],
  ])('%s', (input, registry, path, tag, digest) => {
    // Act
    const parsed = parseDistributionReference(input);

    // Assess
    expect(parsed).toEqual({ input, registry, path, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) });
  });

  it.each([
    ['Nginx:1.27', 'repository "Nginx" must be lowercase (write "nginx")'],
    ['docker.io/Bitnami/redis', 'repository "Bitnami/redis" must be lowercase (write "bitnami/redis")'],
    ['nginx:', 'the tag after ":" is empty; drop the ":" or name a tag'],
    ['nginx:.hidden', 'tag ".hidden" must be 1-128 letters, digits, _ . - (not starting with . or -)'],
    [`nginx:${'t'.repeat(129)}`, `tag "${'t'.repeat(129)}" must be 1-128 letters, digits, _ . - (not starting with . or -)`],
    ['nginx@', 'the digest after "@" is empty; write it as sha256:<64 lowercase hex digits>'],
    ['nginx@sha256:abc', 'invalid digest "sha256:abc"; write it as sha256:<64 lowercase hex digits>'],
    [`nginx@sha256:${'a'.repeat(63)}`, 'invalid digest "sha256:' + 'a'.repeat(63) + '": sha256 takes exactly 64 lowercase hex digits, not 63'],
    [`nginx@sha256:${'A'.repeat(64)}`, 'invalid digest "sha256:' + 'A'.repeat(64) + '": sha256 takes exactly 64 lowercase hex digits, not 64'],
    [`nginx@md5:${'a'.repeat(32)}`, `invalid digest "md5:${'a'.repeat(32)}": unsupported algorithm "md5"; write it as sha256:<64 lowercase hex digits>`],
    ['registry.k8s.io//pause', 'repository "/pause" has an empty path component (a doubled or trailing "/")'],
    ['registry.k8s.io/pause/', 'repository "pause/" has an empty path component (a doubled or trailing "/")'],
    ['registry.k8s.io/-pause', 'repository path component "-pause" must be lowercase letters and digits, separated by one ".", one or two "_", or "-"s'],
    ['bad_host.io:x/app', 'registry "bad_host.io:x" is not a host name (with an optional :port)'],
    [':1.0', 'the repository name is missing'],
    ['', 'it is empty'],
    ['nginx 1.27', 'it contains whitespace'],
    ['a'.repeat(64), 'a 64-digit hex string is an image ID, not a repository name'],
  ])('rejects %j: %s', (input, problem) => {
    // Act
    const reported = problemOf(input);

    // Assess
    expect(reported).toBe(problem);
  });

  it('rejects a name longer than the grammar allows, and input longer than the bound before any pattern runs', () => {
    // Prepare
    const longName = `registry.k8s.io/${'a'.repeat(250)}`;
    const hostile = 'a/'.repeat(5000);

    // Act
    const problems = [problemOf(longName), problemOf(hostile)];

    // Assess
    expect(problems).toEqual([`the name "${longName}" is longer than 255 characters`, 'it is 10000 characters long; at most 1024']);
  });

  it('formats the fully qualified form, both tag and digest kept', () => {
    // Act
    const formatted = formatImageReference(parseDistributionReference(`nginx:1.27@${DIGEST}`));

    // Assess
    expect(formatted).toBe(`docker.io/library/nginx:1.27@${DIGEST}`);
  });
});
