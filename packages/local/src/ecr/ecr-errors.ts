import { AwsServiceError } from '../aws-endpoint/aws-service-error.js';

/** ECR's error messages, worded like the real service's so logs and tests read the same locally. */

function repositoryNotFound(name: string, registryId: string): AwsServiceError {
  return new AwsServiceError('RepositoryNotFoundException', `The repository with name '${name}' does not exist in the registry with id '${registryId}'`);
}

function invalidParameter(message: string): AwsServiceError {
  return new AwsServiceError('InvalidParameterException', message);
}

function invalidNextToken(): AwsServiceError {
  return invalidParameter("Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid NextToken'");
}

function imageNotFound(imageId: { imageDigest?: string | undefined; imageTag?: string | undefined }, repository: string, registryId: string): AwsServiceError {
  return new AwsServiceError(
    'ImageNotFoundException',
    `The image with imageId {imageDigest:'${imageId.imageDigest ?? 'null'}', imageTag:'${imageId.imageTag ?? 'null'}'} does not exist within the repository with name '${repository}' in the registry with id '${registryId}'`,
  );
}

export { imageNotFound, invalidNextToken, invalidParameter, repositoryNotFound };
