import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGlob, compileGlob } from '../glob/index.js';
import { InputLimit } from '../constants.js';
import { matchesEventPattern, validateEventPattern } from '../pattern/index.js';
import { repositoryMatchersForGlobs, repositoryMatchersForPrefixes } from './repository-filter.js';
import { globToIamWildcards } from './wildcard.js';

/** IAM wildcard semantics: `*` any run of characters (including '/'), `?` exactly one. */
const iamMatches = (wildcard: string, name: string): boolean =>
  new RegExp(`^${wildcard.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(name);

const eventBridgeMatches = (globs: string[], name: string): boolean => {
  const matchers = repositoryMatchersForGlobs(globs);
  return matchers === undefined || matchesEventPattern({ detail: { 'repository-name': matchers } }, { detail: { 'repository-name': name } });
};

describe('globToIamWildcards', () => {
  it.each([
    ['prod/**', ['prod/*']],
    ['**', ['*']],
    ['prod/*', ['prod/*']],
    ['team/**/api', ['team*/api']],
    ['**/api', ['*api']],
    ['a/**/**/b', ['a*/b']],
    ['{prod,stage}/api-?', ['prod/api-?', 'stage/api-?']],
    ['svc-[0-9]/x', ['svc-?/x']],
    ['exact/name', ['exact/name']],
  ])('%s -> %j', (glob, expected) => {
    // Act
    const wildcards = globToIamWildcards(glob);

    // Assess
    expect(wildcards).toEqual(expected);
  });
});

describe('globToIamWildcards with many brace groups', () => {
  it('widens braces beyond InputLimit.braceExpansions to * instead of expanding them', () => {
    // Prepare: one more binary group than the limit allows (2^6 = 64 > 32).
    const groups = Math.log2(InputLimit.braceExpansions) + 1;
    const glob = `prod/${'{a,b}'.repeat(groups)}/api`;

    // Act
    const wildcards = globToIamWildcards(glob);

    // Assess
    expect(wildcards).toEqual(['prod/*/api']);
  });

  it('expands braces up to the limit', () => {
    // Prepare
    const glob = `prod/${'{a,b}'.repeat(Math.log2(InputLimit.braceExpansions))}`;

    // Act
    const wildcards = globToIamWildcards(glob);

    // Assess
    expect(wildcards).toHaveLength(InputLimit.braceExpansions);
  });
});

describe('repository matchers for EventBridge', () => {
  it('uses prefix for a trailing star or globstar, exact names as they are and wildcard otherwise', () => {
    // Act
    const matchers = repositoryMatchersForGlobs(['prod/**', 'exact/name', 'team/**/api', 'svc-?']);

    // Assess
    expect(matchers).toEqual(['exact/name', { prefix: 'prod/' }, { prefix: 'svc-' }, { wildcard: 'team*/api' }]);
  });

  it('needs no filter when one glob matches every repository', () => {
    // Act
    const matchers = repositoryMatchersForGlobs(['prod/**', '**']);

    // Assess
    expect(matchers).toBeUndefined();
  });

  it('turns cache prefixes into prefixes ending in "/"', () => {
    // Act
    const matchers = repositoryMatchersForPrefixes(['k8s', 'ghcr', 'k8s']);

    // Assess
    expect(matchers).toEqual([{ prefix: 'ghcr/' }, { prefix: 'k8s/' }]);
  });
});

/** Repository-name segments, some of them deliberately close to each other. */
const nameSegment = fc.constantFrom('a', 'b', 'ab', 'abc', 'x', 'bx', 'a-b', 'c', 'lit', 'bc', 'axc', 'a1', 'prod');
const globSegment = fc.constantFrom('**', '*', 'a*', '*b', 'a?c', '[ab]x', '{a,bc}', '{a,{b,c}x}', 'lit', 'a-b', 'prod', 'a[0-9]');

describe('over-approximation (property)', () => {
  it('every name a glob matches is matched by its IAM wildcards and its EventBridge filter', () => {
    fc.assert(
      fc.property(fc.array(globSegment, { minLength: 1, maxLength: 4 }), fc.array(nameSegment, { minLength: 1, maxLength: 5 }), (globParts, nameParts) => {
        // Prepare
        const glob = globParts.join('/');
        const name = nameParts.join('/');
        fc.pre(checkGlob(glob, 'repository').ok && compileGlob(glob, 'repository')(name));
        // A filter whose wildcards EventBridge finds too complex cannot be deployed at all (validate rejects it).
        fc.pre(validateEventPattern({ detail: { 'repository-name': repositoryMatchersForGlobs([glob]) ?? [{ exists: true }] } }).ok);

        // Act
        const inIam = globToIamWildcards(glob).some((wildcard) => iamMatches(wildcard, name));
        const inEventBridge = eventBridgeMatches([glob], name);

        // Assess
        expect({ glob, name, inIam, inEventBridge }).toEqual({ glob, name, inIam: true, inEventBridge: true });
      }),
      { numRuns: 1500 },
    );
  });

  it('a cache prefix never covers a sibling that merely starts with the same letters', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9]{2,10}$/), fc.stringMatching(/^[a-z0-9]{1,5}$/), (prefix, suffix) => {
        // Act
        const sibling = `${prefix}${suffix}/image`;
        const child = `${prefix}/image`;
        const matchers = repositoryMatchersForPrefixes([prefix]);
        const matches = (name: string) => matchesEventPattern({ n: matchers }, { n: name });

        // Assess
        expect([matches(child), matches(sibling)]).toEqual([true, false]);
      }),
    );
  });
});
