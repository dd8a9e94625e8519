export { buildImage, buildIndex } from './build.js';
export type { BuildImageOptions, BuiltArtifact, BuiltImage, BuiltIndex, LayerSpec } from './build.js';
export { gzipStored } from './gzip.js';
export { writeOciLayout } from './layout.js';
export { pushImage } from './push.js';
export type { ImagePushTarget } from './push.js';
export { seededBytes } from './seeded-bytes.js';
export { tarSingleFile } from './tar.js';
