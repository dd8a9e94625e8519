// Root barrel: the client, manifest helpers and image builders. Process-spawning test helpers live in
// "@dockmaster/registry/testing" so production bundles never pull them in.
export * from './client/index.js';
export * from './manifest/index.js';
export * from './oci/index.js';
