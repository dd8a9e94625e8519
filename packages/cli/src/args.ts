import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util's parseArgs in strict mode: unknown options and missing values are usage errors (exit 2),
 * so a typo in a pipeline fails loudly instead of silently checking something else.
 */
const parseCommandArgs = <O extends Options>(args: string[], options: O, usage: string) => {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: ${usage}`);
  }
};

const expectPositionals = (positionals: string[], names: string[], usage: string): string[] => {
  if (positionals.length !== names.length) {
    const expected = names.map((name) => `<${name}>`).join(' ');
    throw new UsageError(`expected ${expected}, got ${positionals.length} argument(s)\nusage: ${usage}`);
  }
  return positionals;
};

export { expectPositionals, parseCommandArgs };
