import { UserFacingError } from '../errors.js';
import { formatConfigIssue, type ConfigIssue } from './issue.js';

/** A configuration file with problems; the message lists every problem, one `file:line:col path message` per line. */
class ConfigInvalidError extends UserFacingError {
  public readonly issues: ConfigIssue[];

  public constructor(issues: ConfigIssue[]) {
    super('CONFIG_INVALID', issues.map(formatConfigIssue).join('\n'));
    this.name = 'ConfigInvalidError';
    this.issues = issues;
  }
}

export { ConfigInvalidError };
