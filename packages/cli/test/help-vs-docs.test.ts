import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/commands/index.js';
import { fromRoot, runCli } from './support/cli.js';

/*
 * What `--help` says and what docs/cli.md says come from two places: these tests make a gap between them fail
 * (an option the usage lists and the doc's heading leaves out, a `local` subcommand the summary forgets).
 */

const CLI_DOC = readFileSync(fromRoot('docs/cli.md'), 'utf8');
/** `--from-creds`, `--json`, ...: the options a usage line names. */
const optionsOf = (usage: string): string[] => [...new Set(usage.match(/--[a-z][a-z-]*/g) ?? [])].sort();

describe('dockmaster --help and docs/cli.md', () => {
  it.each(COMMANDS.filter((entry) => entry.name !== 'local').map((entry) => [entry.name, entry] as const))(
    'the docs/cli.md heading of %s names every option its --help usage lists',
    async (name, entry) => {
      // Prepare
      const command = await entry.load();
      const heading = CLI_DOC.split('\n').find((line) => line.startsWith(`### \`dockmaster ${name} `) || line === `### \`dockmaster ${name}\``);

      // Act
      const documented = optionsOf(heading ?? '');

      // Assess
      expect(heading, `docs/cli.md has no heading for ${name}`).toBeDefined();
      expect(documented).toEqual(optionsOf(command.usage));
    },
  );

  it('lists every local subcommand in the --help summary and in the docs/cli.md table, as `local --help` names them', async () => {
    // Prepare
    const localHelp = await runCli(['local', '--help']);
    const subcommands = [...localHelp.stdout.matchAll(/dockmaster local ([a-z]+)/g)].map(([, name]) => name ?? '');

    // Act
    const help = await runCli(['--help']);
    const summary = /^ {2}local +.*\(([^)]*)\)$/m.exec(help.stdout)?.[1]?.split(', ') ?? [];
    const documented = [...CLI_DOC.matchAll(/^\| `dockmaster local ([a-z]+)/gm)].map(([, name]) => name ?? '');

    // Assess
    expect(subcommands).toContain('image');
    expect(summary).toEqual(subcommands);
    expect(documented).toEqual(subcommands);
  });
});
