import { AwsServiceError } from './aws-service-error.js';

interface Page<T> {
  items: T[];
  nextToken: string | undefined;
}

/**
 * Offset pagination with an opaque token, as the AWS list APIs expose it. The token carries the
 * offset in base64url JSON; a token that does not decode is the caller's mistake.
 */
function paginate<T>(items: readonly T[], options: { maxResults: number; nextToken?: string | undefined; invalidTokenError: () => AwsServiceError }): Page<T> {
  const offset = options.nextToken === undefined ? 0 : decodeOffset(options.nextToken, options.invalidTokenError);
  const end = offset + options.maxResults;
  return {
    items: items.slice(offset, end),
    nextToken: end < items.length ? Buffer.from(JSON.stringify({ offset: end })).toString('base64url') : undefined,
  };
}

function decodeOffset(token: string, invalidTokenError: () => AwsServiceError): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'offset' in parsed && Number.isSafeInteger(parsed.offset) && Number(parsed.offset) >= 0) {
      return Number(parsed.offset);
    }
  } catch {
    // falls through to the service's own "invalid token" error
  }
  throw invalidTokenError();
}

export { paginate };
export type { Page };
