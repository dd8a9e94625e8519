import { createServer } from 'node:net';

/**
 * Asks the kernel for a free loopback port. The stack reserves its URLs up front because they depend on
 * each other (ECR hands out the registry front's URL; the workers' environment names every endpoint).
 */
const freeLoopbackPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address !== null && typeof address === 'object' ? resolve(address.port) : reject(new Error('no free loopback port'))));
    });
  });

export { freeLoopbackPort };
