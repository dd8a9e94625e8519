import * as z from 'zod';
import { operation } from '../aws-endpoint/service.js';
import type { EcrEndpointService } from '../aws-endpoint/server.js';
import { invalidParameter } from './ecr-errors.js';
import { TAG_STATUS_FILTERS } from './image-index.js';
import type { LocalEcr } from './local-ecr.js';
import { IMAGE_STATUS_FILTERS } from './storage-class.js';
import { IMAGE_TAG_MUTABILITIES } from './tag-mutability.js';

/** Input shapes of the ECR operations the local endpoint serves (botocore ECR model constraints that matter locally). */

const repositoryName = z.string().min(1);
const registryId = z.string().optional();
const maxResults = z.number().int().min(1).max(1000).optional();
const nextToken = z.string().optional();
const imageId = z.object({ imageDigest: z.string().optional(), imageTag: z.string().optional() });
const tagStatusFilter = z
  .object({ tagStatus: z.enum(TAG_STATUS_FILTERS).optional(), imageStatus: z.enum(IMAGE_STATUS_FILTERS).optional() })
  .optional();
const exclusionFilters = z.array(z.object({ filterType: z.literal('WILDCARD'), filter: z.string() })).optional();
const repositoryOnly = z.object({ registryId, repositoryName });

const schemas = {
  CreateRepository: z.object({
    registryId,
    repositoryName,
    imageTagMutability: z.enum(IMAGE_TAG_MUTABILITIES).optional(),
    imageTagMutabilityExclusionFilters: exclusionFilters,
    imageScanningConfiguration: z.object({ scanOnPush: z.boolean().optional() }).optional(),
    encryptionConfiguration: z.object({ encryptionType: z.string(), kmsKey: z.string().optional() }).optional(),
    tags: z.array(z.object({ Key: z.string(), Value: z.string() })).optional(),
  }),
  DescribeRepositories: z.object({ registryId, repositoryNames: z.array(repositoryName).min(1).max(100).optional(), maxResults, nextToken }),
  DeleteRepository: z.object({ registryId, repositoryName, force: z.boolean().optional() }),
  DescribeImages: z.object({ registryId, repositoryName, imageIds: z.array(imageId).min(1).max(100).optional(), filter: tagStatusFilter, maxResults, nextToken }),
  ListImages: z.object({ registryId, repositoryName, filter: tagStatusFilter, maxResults, nextToken }),
  BatchGetImage: z.object({ registryId, repositoryName, imageIds: z.array(imageId).min(1).max(100), acceptedMediaTypes: z.array(z.string()).min(1).max(100).optional() }),
  PutImage: z.object({
    registryId,
    repositoryName,
    imageManifest: z.string().min(1),
    imageManifestMediaType: z.string().optional(),
    imageTag: z.string().optional(),
    imageDigest: z.string().optional(),
  }),
  BatchDeleteImage: z.object({ registryId, repositoryName, imageIds: z.array(imageId).min(1).max(100) }),
  UpdateImageStorageClass: z.object({ registryId, repositoryName, imageId, targetStorageClass: z.string().min(1) }),
  SetRepositoryPolicy: z.object({ registryId, repositoryName, policyText: z.string().min(0), force: z.boolean().optional() }),
  PutImageScanningConfiguration: z.object({ registryId, repositoryName, imageScanningConfiguration: z.object({ scanOnPush: z.boolean().optional() }) }),
  PutImageTagMutability: z.object({ registryId, repositoryName, imageTagMutability: z.enum(IMAGE_TAG_MUTABILITIES), imageTagMutabilityExclusionFilters: exclusionFilters }),
  PutLifecyclePolicy: z.object({ registryId, repositoryName, lifecyclePolicyText: z.string().min(100) }),
  DescribeImageScanFindings: z.object({ registryId, repositoryName, imageId, maxResults, nextToken }),
  GetAuthorizationToken: z.object({ registryIds: z.array(z.string()).optional() }),
  DescribePullThroughCacheRules: z.object({ registryId, ecrRepositoryPrefixes: z.array(z.string()).min(1).max(100).optional(), maxResults, nextToken }),
  GetDownloadUrlForLayer: z.object({ registryId, repositoryName, layerDigest: z.string() }),
  BatchCheckLayerAvailability: z.object({ registryId, repositoryName, layerDigests: z.array(z.string()).min(1).max(100) }),
};

/** The ECR JSON API over a LocalEcr, ready for startAwsEndpoint({ ecr }). */
function ecrService(ecr: LocalEcr): EcrEndpointService {
  return {
    downloadLayer: (path, query) => ecr.downloadLayer(path, query),
    faults: ecr.faults.api,
    registryId: ecr.registryId,
    region: ecr.region,
    operations: {
      CreateRepository: operation(schemas.CreateRepository, invalidParameter, (input) => ecr.createRepository(input)),
      DescribeRepositories: operation(schemas.DescribeRepositories, invalidParameter, (input) => ecr.describeRepositories(input)),
      DeleteRepository: operation(schemas.DeleteRepository, invalidParameter, (input) => ecr.deleteRepository(input)),
      DescribeImages: operation(schemas.DescribeImages, invalidParameter, (input) => ecr.describeImages(input)),
      ListImages: operation(schemas.ListImages, invalidParameter, (input) => ecr.listImages(input)),
      BatchGetImage: operation(schemas.BatchGetImage, invalidParameter, (input) => ecr.batchGetImage(input)),
      PutImage: operation(schemas.PutImage, invalidParameter, (input) => ecr.putImage(input)),
      BatchDeleteImage: operation(schemas.BatchDeleteImage, invalidParameter, (input) => ecr.batchDeleteImage(input)),
      UpdateImageStorageClass: operation(schemas.UpdateImageStorageClass, invalidParameter, (input) => ecr.updateImageStorageClass(input)),
      SetRepositoryPolicy: operation(schemas.SetRepositoryPolicy, invalidParameter, (input) => ecr.setRepositoryPolicy(input)),
      GetRepositoryPolicy: operation(repositoryOnly, invalidParameter, (input) => ecr.getRepositoryPolicy(input)),
      DeleteRepositoryPolicy: operation(repositoryOnly, invalidParameter, (input) => ecr.deleteRepositoryPolicy(input)),
      PutImageScanningConfiguration: operation(schemas.PutImageScanningConfiguration, invalidParameter, (input) => ecr.putImageScanningConfiguration(input)),
      PutImageTagMutability: operation(schemas.PutImageTagMutability, invalidParameter, (input) => ecr.putImageTagMutability(input)),
      PutLifecyclePolicy: operation(schemas.PutLifecyclePolicy, invalidParameter, (input) => ecr.putLifecyclePolicy(input)),
      GetLifecyclePolicy: operation(repositoryOnly, invalidParameter, (input) => ecr.getLifecyclePolicy(input)),
      DeleteLifecyclePolicy: operation(repositoryOnly, invalidParameter, (input) => ecr.deleteLifecyclePolicy(input)),
      DescribeImageScanFindings: operation(schemas.DescribeImageScanFindings, invalidParameter, (input) => ecr.describeImageScanFindings(input)),
      GetAuthorizationToken: operation(schemas.GetAuthorizationToken, invalidParameter, () => ecr.getAuthorizationToken()),
      DescribePullThroughCacheRules: operation(schemas.DescribePullThroughCacheRules, invalidParameter, (input) => ecr.describePullThroughCacheRules(input)),
      GetDownloadUrlForLayer: operation(schemas.GetDownloadUrlForLayer, invalidParameter, (input, context) => ecr.getDownloadUrlForLayer(input, context.endpointUrl)),
      BatchCheckLayerAvailability: operation(schemas.BatchCheckLayerAvailability, invalidParameter, (input) => ecr.batchCheckLayerAvailability(input)),
    },
  };
}

export { ecrService };
