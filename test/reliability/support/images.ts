import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COMPLIANT_LABELS, pushOciLayout } from '@dockmaster/local/demo';
import { buildImage, writeOciLayout } from '@dockmaster/registry';

/** Distinct small images (one per name) carrying the labels the example's production policy requires. */
interface ImageSet {
  digestOf(name: string): string;
  /** Pushes one of them with skopeo through the local registry front, as a developer would. */
  push(name: string, registryHost: string, repository: string, tag: string): Promise<void>;
  remove(): Promise<void>;
}

const writeImages = async (names: readonly string[]): Promise<ImageSet> => {
  const images = Object.fromEntries(
    names.map((name) => [name, buildImage({ repositoryHint: name, labels: { ...COMPLIANT_LABELS }, layers: [{ seed: `dockmaster-reliability-${name}`, size: 4 * 1024 }] })]),
  );
  const layoutDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-reliability-images-'));
  await writeOciLayout(layoutDir, images);
  return {
    digestOf: (name) => {
      const image = images[name];
      if (image === undefined) throw new Error(`no image named ${name}`);
      return image.manifestDigest;
    },
    push: async (name, registryHost, repository, tag) => {
      await pushOciLayout(layoutDir, name, registryHost, repository, tag);
    },
    remove: () => rm(layoutDir, { recursive: true, force: true }),
  };
};

export { writeImages };
export type { ImageSet };
