import { redactSecrets } from './redact.js';

/** How a line reads: an event arriving, an action a worker took, something to look at, a failure. */
const LineKind = {
  Event: 'event',
  Action: 'action',
  Info: 'info',
  Warning: 'warning',
  Error: 'error',
} as const;
type LineKind = (typeof LineKind)[keyof typeof LineKind];

interface LiveLogOptions {
  /** Where finished lines go (stdout in the foreground stack, a file when detached); default: nowhere. */
  write?: (line: string) => void;
  /** ANSI colours; only when writing to a terminal. */
  colour?: boolean;
  /** Lines kept in memory for `status`; default 200. */
  keep?: number;
}

const ANSI: Record<LineKind, string> = {
  event: '\u001b[36m',
  action: '\u001b[32m',
  info: '\u001b[2m',
  warning: '\u001b[33m',
  error: '\u001b[31m',
};
const RESET = '\u001b[0m';

const clockTime = (date: Date): string => date.toISOString().slice(11, 23);

/** The stack's live log: one readable, timestamped line per event and per action. Secrets are masked. */
class LiveLog {
  private readonly options: LiveLogOptions;
  private readonly lines: string[] = [];

  public constructor(options: LiveLogOptions = {}) {
    this.options = options;
  }

  public line(kind: LineKind, text: string): string {
    const plain = `${clockTime(new Date())} ${redactSecrets(text)}`;
    this.lines.push(plain);
    if (this.lines.length > (this.options.keep ?? 200)) this.lines.shift();
    this.options.write?.(this.options.colour === true ? `${ANSI[kind]}${plain}${RESET}` : plain);
    return plain;
  }

  public event(text: string): string {
    return this.line(LineKind.Event, text);
  }

  public action(text: string): string {
    return this.line(LineKind.Action, text);
  }

  public info(text: string): string {
    return this.line(LineKind.Info, text);
  }

  public warning(text: string): string {
    return this.line(LineKind.Warning, text);
  }

  public error(text: string): string {
    return this.line(LineKind.Error, text);
  }

  /** The most recent lines, without colour. */
  public recent(): string[] {
    return [...this.lines];
  }
}

export { LineKind, LiveLog };
export type { LiveLogOptions };
