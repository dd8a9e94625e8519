/** Exit codes are part of the CLI's contract: pipelines branch on them. */
const ExitCode = {
  Ok: 0,
  /** The input was read and judged: not valid, not compliant, nothing to do. */
  Failed: 1,
  /** The command could not judge: usage error, unreadable or malformed input. */
  Usage: 2,
} as const;
type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export { ExitCode };
