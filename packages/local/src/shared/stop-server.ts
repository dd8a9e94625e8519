/** The part of a node:http server (or dynalite's) that stopping needs. */
interface StoppableServer {
  close: (callback: () => void) => unknown;
  /** node:http has it; optional so servers from other libraries (dynalite) qualify too. */
  closeAllConnections?: () => void;
}

/**
 * A `stop()` for a local server: closes it and drops its open connections (keep-alive sockets and held
 * long-polls would otherwise keep it open), once; later calls get the same promise.
 */
function stopOnce(server: StoppableServer): () => Promise<void> {
  let stopped: Promise<void> | undefined;
  return () =>
    (stopped ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections?.();
    }));
}

export { stopOnce };
export type { StoppableServer };
