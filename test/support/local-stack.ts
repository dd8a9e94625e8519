import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DescribeImagesCommand, ECRClient, ListImagesCommand } from '@aws-sdk/client-ecr';
import type { BusDelivery } from '@dockmaster/local/bus';
import { pushOciLayout, writeDemoImage } from '@dockmaster/local/demo';
import { startLocalStack, type LocalStack, type StartLocalStackOptions } from '@dockmaster/local/stack';
import { EXAMPLE_CONFIG, REPOSITORY_ROOT } from './paths.js';

/*
 * The set-up every end-to-end and reliability test repeats, once: a local stack on its own state directory (the example
 * configuration, another file, or the example with a YAML tail appended), an ECR client on its endpoint, the
 * bus deliveries recorded from the start, optionally the demo image to push; and one stop() that removes it all.
 */


type DemoImage = Awaited<ReturnType<typeof writeDemoImage>>;

interface TestStackOptions {
  /** Names the temporary state directory (`dockmaster-<prefix>-...`). */
  prefix: string;
  /** The configuration file; the example's by default. */
  configPath?: string;
  /** YAML appended to the example, written to `<prefix>.yaml` in the state directory (configPath is then ignored). */
  appendToExample?: string;
  /** Writes the demo image (an OCI layout) for push(). */
  demoImage?: boolean;
  /** Replaces the in-process import of the workers (the reliability tests' own handler factories). */
  loadWorker?: StartLocalStackOptions['loadWorker'];
}

interface TestStack {
  stack: LocalStack;
  stateDir: string;
  configPath: string;
  /** Region and credentials of the local AWS endpoint (which does not check them), for further SDK clients. */
  clientConfig: { region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  ecr: ECRClient;
  /** host:port of the registry front, as docker and skopeo name it. */
  registryHost: string;
  /** Every bus delivery since the stack started. */
  deliveries: BusDelivery[];
  /** The demo image (startTestStack({ demoImage: true }) only; throws otherwise). */
  readonly image: DemoImage;
  /** Pushes the demo image as `repository:tag` with skopeo, as a developer would. */
  push(repository: string, tag: string): Promise<void>;
  /** The repository's tags as ECR lists them, sorted. */
  tagsOf(repositoryName: string): Promise<string[]>;
  /** Tag -> digest, as ECR describes the repository's tagged images. */
  digestsOf(repositoryName: string): Promise<Record<string, string>>;
  /** Stops the stack and removes its state directory and the demo image. */
  stop(): Promise<void>;
}

const startTestStack = async (options: TestStackOptions): Promise<TestStack> => {
  const stateDir = await mkdtemp(path.join(tmpdir(), `dockmaster-${options.prefix}-`));
  let stack: LocalStack | undefined;
  let ecr: ECRClient | undefined;
  let image: DemoImage | undefined;
  const stop = async (): Promise<void> => {
    ecr?.destroy();
    await stack?.stop();
    await rm(stateDir, { recursive: true, force: true });
    if (image !== undefined) await rm(image.layoutDir, { recursive: true, force: true });
  };
  try {
    let configPath = options.configPath ?? EXAMPLE_CONFIG;
    if (options.appendToExample !== undefined) {
      configPath = path.join(stateDir, `${options.prefix}.yaml`);
      await writeFile(configPath, `${await readFile(EXAMPLE_CONFIG, 'utf8')}${options.appendToExample}`);
    }
    const started = await startLocalStack({ configPath, stateDir, ...(options.loadWorker === undefined ? {} : { loadWorker: options.loadWorker }) });
    stack = started;
    const deliveries: BusDelivery[] = [];
    started.bus.onDelivery((delivery) => void deliveries.push(delivery));
    const clientConfig = { region: started.config.registry.region, credentials: { accessKeyId: 'e2e', secretAccessKey: 'e2e' } };
    const client = new ECRClient({ ...clientConfig, endpoint: started.urls.aws });
    ecr = client;
    if (options.demoImage === true) image = await writeDemoImage();
    const registryHost = new URL(started.urls.registry).host;
    const demo = (): DemoImage => {
      if (image === undefined) throw new Error('the demo image needs startTestStack({ demoImage: true })');
      return image;
    };
    return {
      stack: started,
      stateDir,
      configPath,
      clientConfig,
      ecr: client,
      registryHost,
      deliveries,
      get image() {
        return demo();
      },
      push: async (repository, tag) => {
        await pushOciLayout(demo().layoutDir, demo().ref, registryHost, repository, tag);
      },
      tagsOf: async (repositoryName) => {
        const listed = await client.send(new ListImagesCommand({ repositoryName }));
        return (listed.imageIds ?? []).flatMap((id) => (id.imageTag === undefined ? [] : [id.imageTag])).sort();
      },
      digestsOf: async (repositoryName) => {
        const described = await client.send(new DescribeImagesCommand({ repositoryName }));
        return Object.fromEntries((described.imageDetails ?? []).flatMap((detail) => (detail.imageTags ?? []).map((tag) => [tag, detail.imageDigest ?? ''])));
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};

/** Whether a registry answers `GET /v2/` at `url` within two seconds. */
const answers = async (url: string): Promise<boolean> => {
  try {
    const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
};

export { answers, EXAMPLE_CONFIG, REPOSITORY_ROOT, startTestStack };
export type { TestStack, TestStackOptions };
