import type { PullThroughCacheConfig } from '@dockmaster/core/config';
import { RegistryClient } from '@dockmaster/registry/client';
import { startDistribution } from '@dockmaster/registry/testing';
import type { RunningDistribution } from '@dockmaster/registry/testing';
import { seedUpstream } from './seed-upstream.js';
import type { SeededImage } from './seed-upstream.js';

interface RunningUpstream {
  /** Stands in for `prefixConfig.upstream` (e.g. registry.k8s.io). */
  upstream: string;
  registry: RunningDistribution;
  /** `http://127.0.0.1:<port>`: the remote URL a pull-through-cache instance proxies. */
  url: string;
  host: string;
  images: SeededImage[];
  stop(): Promise<void>;
}

/** A throw-away Distribution registry standing in for one rule's upstream, seeded with its allow-list. */
async function startUpstream(prefixConfig: PullThroughCacheConfig, options: { extraTags?: Readonly<Record<string, readonly string[]>> } = {}): Promise<RunningUpstream> {
  const registry = await startDistribution({ name: `upstream-${prefixConfig.prefix}` });
  try {
    const { images } = await seedUpstream({
      client: new RegistryClient({ baseUrl: registry.url }),
      prefixConfig,
      ...(options.extraTags === undefined ? {} : { extraTags: options.extraTags }),
    });
    return { upstream: prefixConfig.upstream, registry, url: registry.url, host: registry.host, images, stop: () => registry.stop() };
  } catch (error) {
    await registry.stop();
    throw error;
  }
}

export { startUpstream };
export type { RunningUpstream };
