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

/** A small deterministic image carrying the required labels, written as an OCI layout skopeo can push. */
const writeDemoImage = async (): Promise<{ layoutDir: string; ref: string; digest: string }> => {
  const image = buildImage({
    repositoryHint: 'prod/payments/api',
    labels: { ...COMPLIANT_LABELS },
    layers: [
      { seed: 'dockmaster-demo-base', size: 64 * 1024 },
      { seed: 'dockmaster-demo-app', size: 16 * 1024 },
    ],
  });
  const layoutDir = await mkdtemp(path.join(tmpdir(), 'dockmaster-demo-image-'));
  await writeOciLayout(layoutDir, { [DEMO_REF]: image });
  return { layoutDir, ref: DEMO_REF, digest: image.manifestDigest };
};

export { COMPLIANT_LABELS, writeDemoImage };
