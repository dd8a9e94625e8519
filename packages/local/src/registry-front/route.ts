/** The Distribution API endpoints the front tells apart (OCI distribution-spec "Endpoints"). */
type RegistryRoute =
  | { kind: 'base' }
  | { kind: 'catalog' }
  | { kind: 'manifest'; name: string; reference: string }
  | { kind: 'blob'; name: string; digest: string }
  /** `session` is '' for the POST that starts an upload (or mounts a blob). */
  | { kind: 'upload'; name: string; session: string }
  | { kind: 'tags'; name: string }
  | { kind: 'unknown' };

// The name is greedy and the endpoint suffix anchored at the end, as Distribution's router does,
// so a repository may itself contain a `blobs` or `manifests` path component.
const MANIFEST = /^\/v2\/(.+)\/manifests\/([^/]+)$/;
const UPLOAD = /^\/v2\/(.+)\/blobs\/uploads\/([^/]*)$/;
const BLOB = /^\/v2\/(.+)\/blobs\/([^/]+)$/;
const TAGS = /^\/v2\/(.+)\/tags\/list$/;

function parseRegistryPath(pathname: string): RegistryRoute {
  if (pathname === '/v2/' || pathname === '/v2') return { kind: 'base' };
  if (pathname === '/v2/_catalog') return { kind: 'catalog' };
  const manifest = MANIFEST.exec(pathname);
  if (manifest?.[1] !== undefined && manifest[2] !== undefined) return { kind: 'manifest', name: manifest[1], reference: decodeURIComponent(manifest[2]) };
  const upload = UPLOAD.exec(pathname);
  if (upload?.[1] !== undefined && upload[2] !== undefined) return { kind: 'upload', name: upload[1], session: upload[2] };
  const blob = BLOB.exec(pathname);
  if (blob?.[1] !== undefined && blob[2] !== undefined) return { kind: 'blob', name: blob[1], digest: decodeURIComponent(blob[2]) };
  const tags = TAGS.exec(pathname);
  if (tags?.[1] !== undefined) return { kind: 'tags', name: tags[1] };
  return { kind: 'unknown' };
}

/** Tags cannot contain ':', digests always do (`sha256:...`). */
function isDigestReference(reference: string): boolean {
  return reference.includes(':');
}

export { isDigestReference, parseRegistryPath };
export type { RegistryRoute };
