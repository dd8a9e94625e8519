/**
 * Last line of defence: the live log only prints names, tags and digests, but a reason text from a worker or a
 * registry can quote a header or URL. Credentials in those forms are masked before a line is written.
 */
const SECRET_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]{8,}/gi, '$1 ***'],
  [/\b(password|secret|token|sig|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token)=([^&\s"']+)/gi, '$1=***'],
  [/\bAWS:[A-Za-z0-9+/=._-]{8,}/g, 'AWS:***'],
];

const redactSecrets = (text: string): string => SECRET_PATTERNS.reduce((current, [pattern, replacement]) => current.replace(pattern, replacement), text);

export { redactSecrets };
