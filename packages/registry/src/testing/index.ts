export { DistributionUnavailableError, isDistributionAvailable, startDistribution } from './distribution.js';
export type { RunningDistribution, StartDistributionOptions } from './distribution.js';
export { storedBlobExists, waitUntilBlobsStored } from './stored-blobs.js';
