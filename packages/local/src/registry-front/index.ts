export type { EcrControlPlane } from './control-plane.js';
export { cacheRepositoryCreatedEvent, imageDeleteEvent, imagePushEvent, pullThroughCacheActionEvent } from './ecr-events.js';
export type { EcrEvent, EventContext } from './ecr-events.js';
export type { RegistryFaults } from './faults.js';
export { startRegistryFront } from './registry-front.js';
export type { PullThroughCacheRoute, RegistryFrontOptions, RunningRegistryFront } from './registry-front.js';
