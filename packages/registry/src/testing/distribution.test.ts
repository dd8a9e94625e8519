import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { isDistributionAvailable, startDistribution } from './distribution.js';

describe('startDistribution', () => {
  it('starts a real registry on loopback that answers /v2/ and cleans up its storage on stop', async () => {
    // Prepare
    expect(isDistributionAvailable(), 'docker-registry is missing: apt-get install -y docker-registry').toBe(true);

    // Act
    const registry = await startDistribution({ name: 'smoke' });
    const response = await fetch(`${registry.url}/v2/`);
    const catalog = await (await fetch(`${registry.url}/v2/_catalog`)).json();
    const storageExisted = existsSync(registry.rootDirectory);
    await registry.stop();
    await registry.stop();

    // Assess
    expect(registry.url).toBe(`http://127.0.0.1:${registry.port}`);
    expect(registry.host).toBe(`127.0.0.1:${registry.port}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect(catalog).toEqual({ repositories: [] });
    expect(storageExisted).toBe(true);
    expect(existsSync(registry.rootDirectory)).toBe(false);
    await expect(fetch(`${registry.url}/v2/`)).rejects.toThrow();
  });

  it('writes notifications and proxy settings into the config when asked', async () => {
    // Prepare
    const upstream = await startDistribution({ name: 'upstream' });

    // Act
    const proxy = await startDistribution({
      name: 'proxy',
      proxyRemoteUrl: upstream.url,
      notificationsUrl: 'http://127.0.0.1:9/events',
      notificationsHeaders: { Authorization: ['Bearer test'] },
    });
    const config = JSON.parse(await readFile(proxy.configPath, 'utf8'));
    const pushAttempt = await fetch(`${proxy.url}/v2/demo/app/blobs/uploads/`, { method: 'POST' });
    await proxy.stop();
    await upstream.stop();

    // Assess
    expect(config.proxy).toEqual({ remoteurl: upstream.url });
    expect(config.notifications.events.includereferences).toBe(true);
    expect(config.notifications.endpoints[0]).toMatchObject({ url: 'http://127.0.0.1:9/events', headers: { Authorization: ['Bearer test'] } });
    expect(pushAttempt.status).toBe(405);
  });
});
