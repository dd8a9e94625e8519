import fc from 'fast-check';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { InputLimit } from '../constants.js';
import { checkGlob, compileGlob } from './glob.js';

/** Valid repository-name segments, some of them deliberately close to each other. */
const nameSegment = fc.constantFrom('a', 'b', 'ab', 'abc', 'x', 'bx', 'a-b', 'c', 'lit', 'bc', 'axc', 'a1', 'prod', 'a.b', 'a_b', '7');
const globSegment = fc.constantFrom('**', '*', 'a*', '*b', 'a?c', '[ab]x', '[a-c]', '{a,bc}', '{a,{b,c}x}', 'lit', 'a-b', 'prod', 'a[0-9]', 'a{1..3}', '*.*', '*{a,b}', '?', '*?', 'a.*');

describe('compileGlob', () => {
  it('matches exactly what picomatch matches on valid repository names (property)', () => {
    fc.assert(
      fc.property(fc.array(globSegment, { minLength: 1, maxLength: 4 }), fc.array(nameSegment, { minLength: 1, maxLength: 5 }), (globParts, nameParts) => {
        // Prepare
        const glob = globParts.join('/');
        const name = nameParts.join('/');
        fc.pre(checkGlob(glob, 'repository').ok);
        const options = { dot: true, nonegate: true, noextglob: true };
        // compileGlob's documented rule: a trailing '/**' needs a segment below what comes before it.
        const reference = picomatch(glob, options)(name) && !(glob.endsWith('/**') && picomatch(glob.slice(0, -3), options)(name));

        // Act
        const matches = compileGlob(glob, 'repository')(name);

        // Assess
        expect({ glob, name, matches }).toEqual({ glob, name, matches: reference });
      }),
      { numRuns: 3000 },
    );
  });

  it('decides a glob that backtracks exponentially in a RegExp on the longest tag ECR allows', () => {
    // Prepare: with picomatch's RegExp this took 159 s on a 40-character tag.
    const glob = '*a*a*a*a*a*a*a*a*a*a*a*b';
    const tag = 'a'.repeat(InputLimit.tagLength);

    // Act
    const results = [compileGlob(glob, 'tag')(tag), compileGlob(glob, 'tag')(`${tag.slice(1)}b`)];

    // Assess
    expect(results).toEqual([false, true]);
  });
});
