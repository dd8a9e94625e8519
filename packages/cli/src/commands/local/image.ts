import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { COMPLIANT_LABELS, LABELLED_IMAGE_REF, writeLabelledImage } from '@dockmaster/local/demo';
import { ExitCode } from '../../constants.js';
import { UsageError } from '../../errors.js';
import type { CliIo } from '../../io.js';
import { findRunningStack } from './running-stack.js';

const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

/** Refs of the OCI layout in `directory`, or undefined when it is not one. */
const layoutRefs = (directory: string): string[] | undefined => {
  try {
    const index = JSON.parse(readFileSync(path.join(directory, 'index.json'), 'utf8')) as { manifests?: Array<{ annotations?: Record<string, string> }> };
    return (index.manifests ?? []).map((manifest) => manifest.annotations?.[REF_NAME_ANNOTATION] ?? '');
  } catch {
    return undefined;
  }
};

/**
 * `dockmaster local image <layout-dir>`: writes a small image with the labels the example config requires, as
 * the OCI layout `oci:<layout-dir>:app`, for a first push with skopeo. Writes into a new or empty directory,
 * or over a layout this command wrote before (its only ref is `app`); never over anything else.
 */
const image = async (layoutDir: string, io: CliIo, usage: string): Promise<ExitCode> => {
  const directory = path.resolve(layoutDir);
  if (existsSync(directory) && readdirSync(directory).length > 0) {
    const refs = layoutRefs(directory);
    if (refs === undefined || refs.some((ref) => ref !== LABELLED_IMAGE_REF)) {
      throw new UsageError(`${layoutDir} exists and is not an image layout this command wrote; give a new or empty directory\nusage: ${usage}`);
    }
  }
  const written = await writeLabelledImage(directory);
  io.stdout(`wrote oci:${layoutDir}:${written.ref} (${written.digest}; labels ${Object.keys(COMPLIANT_LABELS).join(', ')})`);
  const running = findRunningStack();
  const registry = running === undefined ? '<registry>' : new URL(running.urls.registry).host;
  io.stdout(`push it with: skopeo copy --dest-tls-verify=false oci:${layoutDir}:${written.ref} docker://${registry}/<repository>:<tag>`);
  return ExitCode.Ok;
};

export { image };
