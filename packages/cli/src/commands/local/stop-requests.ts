/** Signals that stop a foreground stack: Ctrl-C, `kill` (what a CI script sends), a closed terminal. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** How often the parent is looked at; a stop a quarter of a second late costs nothing. */
const PARENT_POLL_MS = 250;

/**
 * Calls `stop` once: on the first stop signal, or when the process that started this one has exited. The parent
 * is watched because a signal does not always arrive: npm forwards only SIGINT and SIGTERM to its script, and a
 * parent that is killed outright (SIGKILL, or SIGHUP to npm) forwards nothing. The stack would then run on,
 * reparented to PID 1, with its registries, until `local down`. Node has no parent-death signal
 * (prctl PR_SET_PDEATHSIG), hence the poll of `process.ppid`. Returns a function that stops listening.
 */
const onStopRequest = (stop: (reason: string) => void, options: { watchParent: boolean }): (() => void) => {
  const parent = process.ppid;
  let requested = false;
  const request = (reason: string): void => {
    if (requested) return;
    requested = true;
    stop(reason);
  };
  const handlers = STOP_SIGNALS.map((signal) => {
    const handler = (): void => request(signal);
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  const poll = options.watchParent
    ? setInterval(() => {
        if (process.ppid !== parent) request(`the parent process (pid ${parent}) has exited`);
      }, PARENT_POLL_MS).unref()
    : undefined;
  return () => {
    clearInterval(poll);
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
};

export { onStopRequest, STOP_SIGNALS };
