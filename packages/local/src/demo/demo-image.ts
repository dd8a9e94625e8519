import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildImage, writeOciLayout } from '@dockmaster/registry';

/** Labels the example config's `production-services` policy requires, with valid values. */
const COMPLIANT_LABELS = {
  'org.opencontainers.image.revision': '3f2a9c1e5b7d4f6a8c0e2b4d6f8a0c2e4b6d8f0a',
  'org.opencontainers.image.source': 'https://github.com/acme/payments-api',
  'org.opencontainers.image.created': '2026-01-15T10:00:00Z',
} as const;

const DEMO_REF = 'demo';
/** The reference `dockmaster local image` writes: `oci:<dir>:app`. */
const LABELLED_IMAGE_REF = 'app';

/**
 * A small deterministic image (two layers, 80 kB) carrying the required labels, written as an OCI layout
 * skopeo can push (`oci:<layoutDir>:<ref>`). A newcomer has no image of their own; this is one the example
 * config's tag policy accepts.
 */
const writeLabelledImage = async (layoutDir: string, ref: string = LABELLED_IMAGE_REF): Promise<{ layoutDir: string; ref: string; digest: string }> => {
  const image = buildImage({
    repositoryHint: 'prod/payments/api',
    labels: { ...COMPLIANT_LABELS },
    layers: [
      { seed: 'dockmaster-demo-base', size: 64 * 1024 },
      { seed: 'dockmaster-demo-app', size: 16 * 1024 },
    ],
  });
  await writeOciLayout(layoutDir, { [ref]: image });
  return { layoutDir, ref, digest: image.manifestDigest };
};

/** The demo's image, in a fresh temporary directory. */
const writeDemoImage = async (): Promise<{ layoutDir: string; ref: string; digest: string }> =>
  writeLabelledImage(await mkdtemp(path.join(tmpdir(), 'dockmaster-demo-image-')), DEMO_REF);

export { COMPLIANT_LABELS, LABELLED_IMAGE_REF, writeDemoImage, writeLabelledImage };
