import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { UserFacingError } from '@dockmaster/core/errors';

const run = promisify(execFile);

/**
 * skopeo, as a developer pushes and pulls against the local registry: plain HTTP on loopback needs
 * `--tls-verify=false`, and the local front accepts anonymous pushes.
 */
const skopeo = async (args: string[]): Promise<string> => {
  try {
    const { stdout } = await run('skopeo', args, { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') throw new UserFacingError('SKOPEO_MISSING', 'skopeo is not installed; install it with `apt-get install -y skopeo` and run again');
    throw new Error(`skopeo ${args.join(' ')} failed: ${(failure.stderr ?? failure.message).trim()}`);
  }
};

/** Pushes `oci:<layout>:<ref>` to `<registryHost>/<repository>:<tag>` (all platforms, digests kept). */
const pushOciLayout = (layoutDir: string, ref: string, registryHost: string, repository: string, tag: string): Promise<string> =>
  skopeo(['copy', '--all', '--preserve-digests', '--dest-tls-verify=false', `oci:${layoutDir}:${ref}`, `docker://${registryHost}/${repository}:${tag}`]);

/** `skopeo inspect` by tag: a pull of the manifest (and the config), as a cluster's first pull starts. */
const inspectImage = async (registryHost: string, repository: string, tag: string): Promise<{ Digest: string }> =>
  JSON.parse(await skopeo(['inspect', '--tls-verify=false', `docker://${registryHost}/${repository}:${tag}`])) as { Digest: string };

export { inspectImage, pushOciLayout, skopeo };
