import { upstreamRegistryHost } from '@dockmaster/core/prepopulate';
import { upstreamEndpointFrom } from '@dockmaster/core/topology';
import type { SecretReader } from './secrets.js';
import type { RegistryEndpoint, RegistryEndpointProvider } from './registry-endpoint.js';
import { isRecord } from '@dockmaster/core/shared';

/**
 * The upstream's credentials could not be had: the secret could not be read (missing, no permission), or it
 * does not hold `username` and `accessToken`. Reported as a failed copy, never with the secret's value.
 */
class UpstreamCredentialsError extends Error {
  public readonly credentialArn: string;

  public constructor(credentialArn: string, problem: string, options?: ErrorOptions) {
    super(`The upstream credentials in ${credentialArn} ${problem}`, options);
    this.name = 'UpstreamCredentialsError';
    this.credentialArn = credentialArn;
  }
}

type UpstreamEndpointOptions = {
  /** The entry's `upstream` host, e.g. mcr.microsoft.com. */
  upstream: string;
  /** The entry's secret: JSON with `username` and `accessToken`, as ECR pull-through cache secrets hold. */
  credentialArn?: string;
  readSecret: SecretReader;
  /** The value of DOCKMASTER_UPSTREAM_ENDPOINTS (the caller reads it: handlers/ for the worker, the CLI for itself); none: the real upstreams. */
  endpointOverrides?: string;
};

const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';

/**
 * Why the secret could not be read, without its value: an AWS error's message names the secret and the
 * permission, but a JSON parse error's message quotes the text it could not parse, so only its kind is told.
 */
const readProblem = (error: unknown): string => {
  if (!(error instanceof Error)) return 'could not be read';
  if (error.name === 'TransformParameterError') return 'are not JSON; store {"username": "...", "accessToken": "..."}';
  const aws = error.cause instanceof Error && '$metadata' in error.cause ? error.cause : '$metadata' in error ? error : undefined;
  const reason = aws === undefined ? error.name : `${aws.name}: ${aws.message}`;
  return `could not be read (${reason}); check that the secret exists and that the prepopulate worker may read it (secretsmanager:GetSecretValue)`;
};

/** Where the upstream's registry API is: `https://<registry host>`, unless the local stack points it elsewhere. */
const upstreamBaseUrl = (upstream: string, overrides: string | undefined): string =>
  upstreamEndpointFrom(overrides, upstream) ?? `https://${upstreamRegistryHost(upstream)}`;

/**
 * The upstream registry of a copy-mode entry, logged in with its secret when it has one (Basic credentials; the
 * client switches to Bearer tokens when the registry asks). The secret is read on every call through the
 * reader's cache, so a rotated secret is used once the cache lets go of the old value; the endpoint object stays
 * the same while the credentials do, so clients built on it are reused.
 */
const createUpstreamEndpoint = ({ upstream, credentialArn, readSecret, endpointOverrides }: UpstreamEndpointOptions): RegistryEndpointProvider => {
  let current: RegistryEndpoint | undefined;
  return async () => {
    const baseUrl = upstreamBaseUrl(upstream, endpointOverrides);
    if (credentialArn === undefined) {
      if (current?.baseUrl !== baseUrl) current = { baseUrl };
      return current;
    }
    let value: unknown;
    try {
      value = await readSecret(credentialArn);
    } catch (error) {
      throw new UpstreamCredentialsError(credentialArn, readProblem(error), { cause: error });
    }
    if (!isRecord(value) || !nonEmptyString(value.username) || !nonEmptyString(value.accessToken)) {
      throw new UpstreamCredentialsError(credentialArn, 'are not a JSON object with the strings "username" and "accessToken", the form ECR pull-through cache secrets use');
    }
    const { username, accessToken } = value;
    if (current?.baseUrl !== baseUrl || current.credentials?.username !== username || current.credentials.password !== accessToken) {
      current = { baseUrl, credentials: { username, password: accessToken } };
    }
    return current;
  };
};

export { createUpstreamEndpoint, upstreamBaseUrl, UpstreamCredentialsError };
export type { UpstreamEndpointOptions };
