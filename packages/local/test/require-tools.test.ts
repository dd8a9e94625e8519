import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

/*
 * `npm start` and `npm test` on a fresh machine: their pre-scripts find what is missing on PATH and install it
 * from Debian's packages (root or passwordless sudo) or stop with the exact command. The machine's own
 * apt-get must not run here, so PATH holds only a scratch directory: an `apt-get` stand-in that records its
 * arguments and, on install, puts the commands in place as the packages would; and `sudo -n` that runs its
 * command (a developer machine is not root).
 */

const SCRIPT = fileURLToPath(new URL('../scripts/require-tools.ts', import.meta.url));
const PACKAGE_JSON = fileURLToPath(new URL('../../../package.json', import.meta.url));
const NOBODY = 65_534;

let scratch: string | undefined;

afterEach(() => {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

const executable = (file: string, text: string): void => {
  writeFileSync(file, text);
  chmodSync(file, 0o755);
};

/** A PATH of one directory, readable by anyone (the non-root case runs as nobody). */
const scratchPath = (contents: { aptGet?: boolean; sudo?: boolean; tools?: string[] }): { bin: string; aptLog: string } => {
  scratch = mkdtempSync(path.join(tmpdir(), 'dockmaster-tools-'));
  chmodSync(scratch, 0o755);
  const bin = path.join(scratch, 'bin');
  const aptLog = path.join(scratch, 'apt-get.log');
  executable(path.join(scratch, 'noop'), '#!/bin/sh\nexit 0\n');
  mkdirSync(bin);
  chmodSync(bin, 0o755);
  for (const tool of contents.tools ?? []) executable(path.join(bin, tool), '#!/bin/sh\nexit 0\n');
  if (contents.aptGet === true) {
    // Installing docker-registry, skopeo and awscli gives the commands docker-registry, skopeo and aws.
    executable(
      path.join(bin, 'apt-get'),
      `#!/bin/sh\necho "$*" >> ${aptLog}\nif [ "$1" = install ]; then for p in "$@"; do case "$p" in awscli) p=aws;; -*|install) continue;; esac; /bin/cp ${scratch}/noop ${bin}/$p; done; fi\n`,
    );
  }
  if (contents.sudo === true) executable(path.join(bin, 'sudo'), '#!/bin/sh\n[ "$1" = -n ] && shift\nexec "$@"\n');
  return { bin, aptLog };
};

const requireTools = (script: string, bin: string, options: { asNobody?: boolean } = {}) => {
  const nobody = options.asNobody === true && process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
  const result = spawnSync(process.execPath, [SCRIPT, script], { env: { PATH: bin, HOME: tmpdir() }, encoding: 'utf8', ...nobody });
  return { code: result.status, stderr: result.stderr, stdout: result.stdout };
};

describe('the tools npm start and npm test need', () => {
  it('are checked before npm start and npm test', () => {
    // Act
    const { scripts } = JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { scripts: Record<string, string> };

    // Assess
    expect(scripts.prestart).toBe('node packages/local/scripts/require-tools.ts start');
    expect(scripts.pretest).toBe('node packages/local/scripts/require-tools.ts test');
  });

  it('cost nothing and print nothing when they are installed', () => {
    // Prepare
    const { bin, aptLog } = scratchPath({ aptGet: true, tools: ['docker-registry', 'skopeo', 'aws'] });

    // Act
    const result = requireTools('test', bin);

    // Assess
    expect(result).toEqual({ code: 0, stderr: '', stdout: '' });
    expect(existsSync(aptLog)).toBe(false);
  });

  it('are installed with apt-get when missing, saying what and why', () => {
    // Prepare: skopeo is there; docker-registry and the AWS CLI are not.
    const { bin, aptLog } = scratchPath({ aptGet: true, sudo: true, tools: ['skopeo'] });

    // Act
    const result = requireTools('test', bin);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('npm test needs docker-registry (the CNCF Distribution registry: the local stack runs its registries with it) and aws (the AWS CLI');
    expect(result.stderr).toMatch(/Installing the Debian package\(s\) docker-registry, awscli with (sudo -n )?apt-get/);
    expect(readFileSync(aptLog, 'utf8').trim().split('\n')).toEqual(['update -qq', 'install -y -qq --no-install-recommends docker-registry awscli']);
    expect(existsSync(path.join(bin, 'aws'))).toBe(true);
  });

  it('stop npm start at once with the exact command when installing needs a root password', () => {
    // Prepare: apt-get exists, but neither root nor sudo.
    const { bin, aptLog } = scratchPath({ aptGet: true });

    // Act
    const result = requireTools('start', bin, { asNobody: true });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('npm start needs docker-registry (');
    expect(result.stderr).toContain('Installing them needs root. Run this, then npm start again:\n  sudo apt-get update && sudo apt-get install -y docker-registry skopeo\n');
    expect(result.stderr).not.toContain('awscli');
    expect(existsSync(aptLog)).toBe(false);
  });

  it('name the packages to install on a machine without apt-get', () => {
    // Prepare
    const { bin } = scratchPath({ tools: ['docker-registry'] });

    // Act
    const result = requireTools('start', bin);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Install skopeo with your system's package manager (on Debian or Ubuntu: sudo apt-get update && sudo apt-get install -y skopeo)");
  });
});
