import { AwsServiceError } from '../aws-endpoint/aws-service-error.js';
import { invalidParameter } from './ecr-errors.js';
import { isValidImageDigest } from './ecr-names.js';
import { requireRepository } from './ecr-state.js';
import type { EcrState } from './ecr-state.js';
import { isValidLayerSignature, layerSignature } from './signed-tokens.js';

/** Layers: BatchCheckLayerAvailability, GetDownloadUrlForLayer and the presigned download those URLs point at. */

// ECR-GUESS: ECR does not document how long its presigned layer URLs live; an hour is plenty for a pull.
const LAYER_URL_VALIDITY_MS = 60 * 60 * 1000;

async function batchCheckLayerAvailability(ecr: EcrState, input: { repositoryName: string; layerDigests: string[] }): Promise<object> {
  const state = requireRepository(ecr, input.repositoryName);
  const layers: Record<string, unknown>[] = [];
  const failures: Record<string, unknown>[] = [];
  for (const layerDigest of input.layerDigests) {
    if (!isValidImageDigest(layerDigest)) {
      failures.push({ layerDigest, failureCode: 'InvalidLayerDigest', failureReason: 'Invalid layer digest' });
      continue;
    }
    const blob = await ecr.store.headBlob(state.repositoryName, layerDigest);
    // ECR-GUESS: a layer the repository does not have is reported as a MissingLayerDigest failure, not as UNAVAILABLE.
    if (blob === undefined) failures.push({ layerDigest, failureCode: 'MissingLayerDigest', failureReason: 'Could not find layer with the given digest' });
    else layers.push({ layerDigest, layerAvailability: 'AVAILABLE', layerSize: blob.size, mediaType: 'application/octet-stream' });
  }
  return { layers, failures };
}

async function getDownloadUrlForLayer(ecr: EcrState, input: { repositoryName: string; layerDigest: string }, endpointUrl: string): Promise<object> {
  const state = requireRepository(ecr, input.repositoryName);
  if (!isValidImageDigest(input.layerDigest)) throw invalidParameter("Invalid parameter at 'layerDigest' failed to satisfy constraint: 'Invalid layer digest'");
  if ((await ecr.store.headBlob(state.repositoryName, input.layerDigest)) === undefined) {
    throw new AwsServiceError('LayersNotFoundException', `The specified layer ${input.layerDigest} does not exist in the repository with name '${state.repositoryName}' in the registry with id '${ecr.registryId}'`);
  }
  const expiresAtMs = ecr.clock.now() + LAYER_URL_VALIDITY_MS;
  const url = new URL(`/_layers/${state.repositoryName}/${input.layerDigest}`, endpointUrl);
  url.searchParams.set('expires', String(expiresAtMs));
  url.searchParams.set('sig', layerSignature(ecr.secret, state.repositoryName, input.layerDigest, expiresAtMs));
  return { downloadUrl: url.toString(), layerDigest: input.layerDigest };
}

/** Serves a GetDownloadUrlForLayer URL: `<repository>/<digest>?expires=&sig=`, no auth header needed. */
async function downloadLayer(ecr: Pick<EcrState, 'secret' | 'clock' | 'store'>, path: string, query: URLSearchParams): Promise<Response> {
  const separator = path.lastIndexOf('/');
  const repository = path.slice(0, separator);
  const digest = path.slice(separator + 1);
  if (separator < 0 || !isValidLayerSignature(ecr.secret, repository, digest, query, ecr.clock.now())) {
    // Like S3 for a bad or expired presigned URL.
    return new Response('<Error><Code>AccessDenied</Code><Message>Request has expired or the signature does not match</Message></Error>', {
      status: 403,
      headers: { 'content-type': 'application/xml' },
    });
  }
  return ecr.store.getBlob(repository, digest);
}

export { batchCheckLayerAvailability, downloadLayer, getDownloadUrlForLayer };
