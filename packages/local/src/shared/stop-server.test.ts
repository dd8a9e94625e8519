import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { stopOnce } from './stop-server.js';

describe('stopOnce', () => {
  it('stops a server while a request is still held open, once, however often it is called', async () => {
    // Prepare: the handler never answers, like a long-poll ReceiveMessage (without dropping it, close() would wait for it).
    let held = (): void => undefined;
    const arrived = new Promise<void>((resolve) => (held = resolve));
    const server = createServer(() => held());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const clientOutcome = new Promise<string>((resolve) => {
      request({ host: '127.0.0.1', port }, () => resolve('answered'))
        .on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
        .end();
    });
    await arrived;
    let closeCalls = 0;
    const close = server.close.bind(server);
    server.close = ((callback?: (error?: Error) => void) => {
      closeCalls += 1;
      return close(callback);
    }) as typeof server.close;
    const stop = stopOnce(server);

    // Act
    const first = stop();
    const second = stop();
    await first;

    // Assess
    expect(second).toBe(first);
    expect(closeCalls).toBe(1);
    expect(server.listening).toBe(false);
    expect(await clientOutcome).toBe('ECONNRESET');
  });
});
