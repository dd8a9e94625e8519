import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** Reads a Secrets Manager secret whose value is JSON; an interface so tests and the local stack can stand in. */
type SecretReader = (arn: string) => Promise<unknown>;

type SecretReaderOptions = {
  /** Default: a client for the secret's Region (from its ARN), created on the first read. */
  client?: SecretsManagerClient;
  /** How long a value is reused: a rotated secret is picked up within this time. */
  maxAgeSeconds?: number;
};

/** A secret is read at most once per five minutes per worker instance, however many images a run copies. */
const SECRET_MAX_AGE_SECONDS = 300;

/** `arn:aws:secretsmanager:<region>:<account>:secret:<name>`: GetSecretValue must be sent to the secret's Region. */
const regionOf = (arn: string): string | undefined => /^arn:[^:]+:secretsmanager:([a-z0-9-]+):/.exec(arn)?.[1];

/**
 * Secrets through Powertools Parameters' SecretsProvider (cached, JSON-parsed), one provider per Region. The
 * value is only ever handed back, never logged; a failed read throws the provider's error, which names the
 * secret, not its value. The provider and its SDK client are loaded on the first read: a worker with no
 * copy-mode secret never pays for them at cold start.
 */
const createSecretReader = ({ client, maxAgeSeconds = SECRET_MAX_AGE_SECONDS }: SecretReaderOptions = {}): SecretReader => {
  const providers = new Map<string, Promise<SecretsProvider>>();
  const providerFor = (region: string | undefined): Promise<SecretsProvider> => {
    const key = client === undefined ? (region ?? '') : '';
    let provider = providers.get(key);
    if (provider === undefined) {
      provider = import('@aws-lambda-powertools/parameters/secrets').then(({ SecretsProvider: Provider }) =>
        client !== undefined ? new Provider({ awsSdkV3Client: client }) : new Provider(region === undefined ? {} : { clientConfig: { region } }),
      );
      providers.set(key, provider);
    }
    return provider;
  };
  return async (arn) => (await providerFor(regionOf(arn))).get(arn, { maxAge: maxAgeSeconds, transform: 'json' });
};

export { createSecretReader, SECRET_MAX_AGE_SECONDS };
export type { SecretReader, SecretReaderOptions };
