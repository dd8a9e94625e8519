/*
 * `npm start` and `npm test` (the prestart and pretest scripts): the system tools they need, installed from
 * Debian's packages when missing, as root or through passwordless sudo, saying what and why; otherwise a stop
 * at once with the exact command to run. Run by Node itself (type stripping, no tsx: it must be quick, and
 * it runs before anything else), so it imports nothing but node: modules. `.ci/run` does its own install.
 *
 *   node packages/local/scripts/require-tools.ts start|test
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

type Tool = { command: string; debianPackage: string; why: string };

const TOOLS = {
  registry: { command: 'docker-registry', debianPackage: 'docker-registry', why: 'the CNCF Distribution registry: the local stack runs its registries with it' },
  skopeo: { command: 'skopeo', debianPackage: 'skopeo', why: 'pushes and pulls images, as a developer does against the local stack' },
  awsCli: { command: 'aws', debianPackage: 'awscli', why: 'the AWS CLI: the tests run the commands docs/local-stack.md shows' },
} as const satisfies Record<string, Tool>;

/** What each npm script needs. */
const NEEDED: Record<string, readonly Tool[]> = {
  start: [TOOLS.registry, TOOLS.skopeo],
  test: [TOOLS.registry, TOOLS.skopeo, TOOLS.awsCli],
};

const onPath = (command: string): boolean =>
  (process.env.PATH ?? '').split(path.delimiter).some((directory) => {
    if (directory === '') return false;
    try {
      accessSync(path.join(directory, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

const succeeds = (command: string, args: string[]): boolean => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

const list = (words: readonly string[]): string => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`);

/** How to install: directly as root, through sudo when it needs no password, or not at all (undefined). */
const privilege = (): string[] | undefined => {
  if (process.getuid?.() === 0) return [];
  if (onPath('sudo') && succeeds('sudo', ['-n', 'true'])) return ['sudo', '-n'];
  return undefined;
};

const run = (prefix: readonly string[], args: string[]): boolean => {
  const [command = '', ...rest] = [...prefix, ...args];
  const result = spawnSync(command, rest, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
};

const main = (script: string): number => {
  const needed = NEEDED[script];
  if (needed === undefined) {
    process.stderr.write(`usage: node require-tools.ts ${Object.keys(NEEDED).join('|')}\n`);
    return 2;
  }
  const missing = needed.filter((tool) => !onPath(tool.command));
  if (missing.length === 0) return 0;

  const packages = missing.map((tool) => tool.debianPackage);
  const what = missing.map((tool) => `${tool.command} (${tool.why})`);
  const command = `sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`;
  process.stderr.write(`npm ${script} needs ${list(what)}: not found on PATH.\n`);
  if (!onPath('apt-get')) {
    process.stderr.write(`Install ${list(missing.map((tool) => tool.command))} with your system's package manager (on Debian or Ubuntu: ${command}), then run npm ${script} again.\n`);
    return 1;
  }
  const prefix = privilege();
  if (prefix === undefined) {
    process.stderr.write(`Installing them needs root. Run this, then npm ${script} again:\n  ${command}\n`);
    return 1;
  }
  process.stderr.write(`Installing the Debian package(s) ${packages.join(', ')} with ${[...prefix, 'apt-get'].join(' ')}...\n`);
  const installed = run(prefix, ['apt-get', 'update', '-qq']) && run(prefix, ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages]);
  const stillMissing = missing.filter((tool) => !onPath(tool.command));
  if (!installed || stillMissing.length > 0) {
    process.stderr.write(`The install did not give ${list(stillMissing.map((tool) => tool.command)) || 'what was asked for'}. Run this, then npm ${script} again:\n  ${command}\n`);
    return 1;
  }
  process.stderr.write(`Installed ${packages.join(', ')}.\n`);
  return 0;
};

if (import.meta.main) process.exitCode = main(process.argv[2] ?? '');

export { NEEDED, TOOLS };
