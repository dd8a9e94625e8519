/**
 * Exit codes are part of the CLI's contract: pipelines branch on them. One table for every command, shown as is
 * in docs/cli.md (a test compares the two).
 */
const EXIT_CODES = {
  Ok: { code: 0, meaning: 'done: valid, compliant, printed' },
  Failed: { code: 1, meaning: 'judged and failed: invalid config, non-compliant tag, nothing to do, some items failed' },
  Usage: { code: 2, meaning: 'could not judge: usage error, unreadable file, malformed input (the message says which and how to fix it)' },
  /** sysexits EX_SOFTWARE: never confused with "invalid" or "usage". */
  Internal: { code: 70, meaning: 'a bug in Dockmaster (the message says so; `DOCKMASTER_DEBUG=1` prints the stack)' },
} as const;

const ExitCode = {
  Ok: EXIT_CODES.Ok.code,
  Failed: EXIT_CODES.Failed.code,
  Usage: EXIT_CODES.Usage.code,
  Internal: EXIT_CODES.Internal.code,
} as const;
type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * UserFacingError codes that mean "the configuration was read and is not valid": exit 1 like `validate`, in every
 * command. `LOCAL_CONFIG_INVALID` is the local stack's (packages/local/src/stack/config-file.ts). Every other
 * user-facing error is one the command could not judge past: exit 2.
 */
const INVALID_CONFIG_ERROR_CODES: readonly string[] = ['CONFIG_INVALID', 'LOCAL_CONFIG_INVALID'];

export { EXIT_CODES, ExitCode, INVALID_CONFIG_ERROR_CODES };
