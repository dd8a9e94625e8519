import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchGetImageCommand, type ECRClient, GetDownloadUrlForLayerCommand, type Image, type ImageFailure } from '@aws-sdk/client-ecr';
import { sha256Digest } from '@dockmaster/registry/manifest';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { MediaType } from '../src/adapters/oci-manifest.js';

type EcrMock = AwsClientStub<ECRClient>;

/** The digest of a blob the test writes as text (UTF-8) or bytes. */
const sha256 = (content: string | Buffer): string => sha256Digest(typeof content === 'string' ? Buffer.from(content, 'utf8') : content);

type PlatformImage = { platform: string; labels: Record<string, string> };

type IndexEntry = {
  mediaType: string;
  digest: string;
  size: number;
  platform: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
};

/**
 * Images as ECR would hold them (manifests by digest, blobs served over HTTP like S3 pre-signed URLs), wired
 * into an aws-sdk-client-mock ECR stub. The blobs go through a real HTTP server, so the adapter's streaming
 * download, size cap and digest check run for real.
 */
class FakeEcr {
  readonly #manifests = new Map<string, { mediaType: string; text: string }>();
  readonly #blobs = new Map<string, Buffer>();
  #server: Server | undefined;
  #baseUrl = '';

  public async start(): Promise<void> {
    this.#server = createServer((request, response) => {
      const blob = this.#blobs.get(decodeURIComponent((request.url ?? '').replace('/blobs/', '')));
      response.writeHead(blob ? 200 : 404).end(blob);
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.#baseUrl = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }

  public addBlob(content: string | Buffer, digest = sha256(content)): string {
    this.#blobs.set(digest, Buffer.from(content));
    return digest;
  }

  /** A single-platform image whose config carries these labels; returns its manifest digest. */
  public addImage(options: { labels: Record<string, string> | null; annotations?: Record<string, string>; mediaType?: string; configDigest?: string }): string {
    const config = JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: options.labels } });
    const configDigest = options.configDigest ?? sha256(config);
    this.addBlob(config, configDigest);
    const mediaType = options.mediaType ?? MediaType.OciManifest;
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: Buffer.byteLength(config) },
      layers: [],
      ...(options.annotations ? { annotations: options.annotations } : {}),
    });
    return this.#addManifest(mediaType, manifest);
  }

  /** A multi-platform index (plus a BuildKit attestation manifest, which must be ignored); returns its digest. */
  public addIndex(platforms: PlatformImage[], options: { mediaType?: string } = {}): string {
    const attestation = this.addImage({ labels: null });
    const mediaType = options.mediaType ?? MediaType.OciIndex;
    const manifests: IndexEntry[] = platforms.map(({ platform, labels }) => {
      const [os, architecture, variant] = platform.split('/');
      const digest = this.addImage({ labels });
      return { mediaType: MediaType.OciManifest, digest, size: this.#manifests.get(digest)?.text.length ?? 0, platform: { os, architecture, ...(variant ? { variant } : {}) } };
    });
    manifests.push({
      mediaType: MediaType.OciManifest,
      digest: attestation,
      size: this.#manifests.get(attestation)?.text.length ?? 0,
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': manifests[0]?.digest ?? '' },
    });
    return this.#addManifest(mediaType, JSON.stringify({ schemaVersion: 2, mediaType, manifests }));
  }

  /** Answers BatchGetImage and GetDownloadUrlForLayer from the stored images. */
  public install(ecrMock: EcrMock): void {
    ecrMock.on(BatchGetImageCommand).callsFake((input: { imageIds?: { imageDigest?: string }[]; acceptedMediaTypes?: string[] }) => {
      const images: Image[] = [];
      const failures: ImageFailure[] = [];
      for (const imageId of input.imageIds ?? []) {
        const stored = this.#manifests.get(imageId.imageDigest ?? '');
        if (stored && (input.acceptedMediaTypes ?? []).includes(stored.mediaType)) {
          images.push({ imageId, imageManifest: stored.text, imageManifestMediaType: stored.mediaType });
        } else {
          failures.push({ imageId, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });
        }
      }
      return { images, failures };
    });
    ecrMock.on(GetDownloadUrlForLayerCommand).callsFake((input: { layerDigest?: string }) => ({
      downloadUrl: `${this.#baseUrl}/blobs/${encodeURIComponent(input.layerDigest ?? '')}`,
      layerDigest: input.layerDigest,
    }));
  }

  #addManifest(mediaType: string, text: string): string {
    const digest = sha256(text);
    this.#manifests.set(digest, { mediaType, text });
    return digest;
  }
}

export { FakeEcr, sha256 };
export type { EcrMock, PlatformImage };
