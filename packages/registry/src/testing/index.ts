export { DistributionUnavailableError, isDistributionAvailable, startDistribution } from './distribution.js';
export type { RunningDistribution, StartDistributionOptions } from './distribution.js';
