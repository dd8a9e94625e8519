import { hasherFor } from '../manifest/index.js';
import { RegistryError, RegistryErrorCode } from './errors.js';
import type { RegistryRequestInfo } from './errors.js';

/**
 * Passes bytes through unchanged and errors the stream at the end when they do not hash to `digest`
 * or their count differs from `expectedSize`. Consumers must read to the end to get the verdict.
 */
function verifyingTransform(digest: string, expectedSize: number | undefined, request: RegistryRequestInfo): TransformStream<Uint8Array, Uint8Array> {
  const { hash, algorithm } = hasherFor(digest);
  let bytes = 0;
  return new TransformStream({
    transform(chunk, controller) {
      hash.update(chunk);
      bytes += chunk.length;
      if (expectedSize !== undefined && bytes > expectedSize) {
        controller.error(sizeMismatch(digest, expectedSize, bytes, request, 'at least '));
        return;
      }
      controller.enqueue(chunk);
    },
    flush(controller) {
      if (expectedSize !== undefined && bytes !== expectedSize) {
        controller.error(sizeMismatch(digest, expectedSize, bytes, request, ''));
        return;
      }
      const actual = `${algorithm}:${hash.digest('hex')}`;
      if (actual !== digest) {
        controller.error(
          new RegistryError({
            message: `Blob ${digest} from ${request.url} hashed to ${actual}: the registry served corrupt or wrong content`,
            code: RegistryErrorCode.DigestMismatch,
            request,
          }),
        );
      }
    },
  });
}

function sizeMismatch(digest: string, expected: number, actual: number, request: RegistryRequestInfo, qualifier: string): RegistryError {
  return new RegistryError({
    message: `Blob ${digest} from ${request.url} is ${qualifier}${actual} bytes, expected ${expected}`,
    code: RegistryErrorCode.SizeMismatch,
    request,
  });
}

export { verifyingTransform };
