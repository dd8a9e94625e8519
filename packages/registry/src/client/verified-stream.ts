import { Transform } from 'node:stream';
import { hasherFor } from '../manifest/digest.js';
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

/** verifyingTransform for Node streams (no web-stream conversion on the node-http path). */
function verifyingNodeTransform(digest: string, expectedSize: number | undefined, request: RegistryRequestInfo): Transform {
  const { hash, algorithm } = hasherFor(digest);
  return sizedTransform(digest, expectedSize, request, (chunk) => hash.update(chunk), () => {
    const actual = `${algorithm}:${hash.digest('hex')}`;
    return actual === digest
      ? undefined
      : new RegistryError({
          message: `Blob ${digest} from ${request.url} hashed to ${actual}: the registry served corrupt or wrong content`,
          code: RegistryErrorCode.DigestMismatch,
          request,
        });
  });
}

/** Only counts bytes against `expectedSize`: for bytes whose digest the receiving registry verifies itself. */
function countingTransform(digest: string, expectedSize: number | undefined, request: RegistryRequestInfo): Transform {
  return sizedTransform(digest, expectedSize, request, () => undefined, () => undefined);
}

function sizedTransform(
  digest: string,
  expectedSize: number | undefined,
  request: RegistryRequestInfo,
  onChunk: (chunk: Buffer) => void,
  verdict: () => RegistryError | undefined,
): Transform {
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (expectedSize !== undefined && bytes > expectedSize) {
        callback(sizeMismatch(digest, expectedSize, bytes, request, 'at least '));
        return;
      }
      onChunk(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      if (expectedSize !== undefined && bytes !== expectedSize) {
        callback(sizeMismatch(digest, expectedSize, bytes, request, ''));
        return;
      }
      callback(verdict() ?? null);
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

export { countingTransform, verifyingNodeTransform, verifyingTransform };
