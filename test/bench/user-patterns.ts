/*
 * `npx tsx test/bench/user-patterns.ts`: how long the user-supplied patterns of a configuration take on the worst
 * input the limits allow (InputLimit). Prints numbers; it asserts nothing (the unit tests assert the results).
 */
import { performance } from 'node:perf_hooks';
import { InputLimit } from '@dockmaster/core/constants';
import { compileGlob, countBraceExpansions } from '@dockmaster/core/glob';
import { matchLabelValidator, matchTagScheme } from '@dockmaster/core/tag-policy';

const time = (label: string, run: () => unknown): void => {
  const start = performance.now();
  const result = run();
  console.log(`${label.padEnd(64)} ${(performance.now() - start).toFixed(2).padStart(8)} ms  -> ${String(result)}`);
};

const tag = (length: number): string => `${'a'.repeat(length - 1)}b`;

for (const length of [28, 40, InputLimit.tagLength]) {
  time(`tag scheme { regex: "^(a+)+$" }, ${length}-character tag`, () => matchTagScheme({ regex: '^(a+)+$' }, tag(length)));
}
const value = `${'a'.repeat(InputLimit.labelValueLength - 1)}!`;
time(`label { regex: "^(a|a)+$" }, ${InputLimit.labelValueLength}-character value`, () => matchLabelValidator({ regex: '^(a|a)+$' }, value));
time('brace count, 24 groups of {a,b} (16,777,216 globs)', () => countBraceExpansions(`prod/${'{a,b}'.repeat(24)}`));
time(`tag glob "*a*a*a*a*a*a*a*a*a*a*a*b", ${InputLimit.tagLength}-character tag`, () => compileGlob('*a*a*a*a*a*a*a*a*a*a*a*b', 'tag')('a'.repeat(InputLimit.tagLength)));
