import { describe, expect, it } from 'vitest';
import { isDigestReference, parseRegistryPath } from './route.js';

describe('parseRegistryPath', () => {
  it.each([
    ['/v2/', { kind: 'base' }],
    ['/v2/_catalog', { kind: 'catalog' }],
    ['/v2/k8s/pause/manifests/3.9', { kind: 'manifest', name: 'k8s/pause', reference: '3.9' }],
    ['/v2/team/app/manifests/sha256:abc', { kind: 'manifest', name: 'team/app', reference: 'sha256:abc' }],
    ['/v2/team/app/blobs/uploads/', { kind: 'upload', name: 'team/app', session: '' }],
    ['/v2/team/app/blobs/uploads/0f1e-uuid', { kind: 'upload', name: 'team/app', session: '0f1e-uuid' }],
    ['/v2/team/app/blobs/sha256:abc', { kind: 'blob', name: 'team/app', digest: 'sha256:abc' }],
    ['/v2/a/blobs/b/manifests/v1', { kind: 'manifest', name: 'a/blobs/b', reference: 'v1' }],
    ['/v2/team/app/tags/list', { kind: 'tags', name: 'team/app' }],
    ['/v2/team/app', { kind: 'unknown' }],
    ['/health', { kind: 'unknown' }],
  ])('%s', (pathname, expected) => {
    // Act
    const route = parseRegistryPath(pathname);

    // Assess
    expect(route).toEqual(expected);
  });

  it('tells digests from tags', () => {
    // Act
    const answers = [isDigestReference('sha256:abc'), isDigestReference('v1.2.3')];

    // Assess
    expect(answers).toEqual([true, false]);
  });
});
