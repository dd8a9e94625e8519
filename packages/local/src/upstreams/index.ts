export { regexExample } from './regex-example.js';
export { seedUpstream } from './seed-upstream.js';
export type { SeededImage, SeedUpstreamOptions, SeedUpstreamResult } from './seed-upstream.js';
export { startUpstream } from './start-upstream.js';
export type { RunningUpstream } from './start-upstream.js';
export { sampleTags } from './tag-samples.js';
export type { SampleTag } from './tag-samples.js';
