import { crc32 } from 'node:zlib';

const MAX_STORED_BLOCK = 0xffff;

/**
 * gzip with deflate "stored" (uncompressed) blocks. zlib's compressed output may change between zlib builds,
 * which would change layer digests; stored blocks are fully specified by RFC 1951. Layer payloads are random
 * anyway, so compression would gain nothing.
 */
function gzipStored(data: Uint8Array): Uint8Array {
  const blockCount = Math.max(1, Math.ceil(data.length / MAX_STORED_BLOCK));
  const out = new Uint8Array(10 + blockCount * 5 + data.length + 8);
  const view = new DataView(out.buffer);
  // Magic, CM=deflate, no flags, MTIME=0, XFL=0, OS=255 (unknown) so no field depends on the machine.
  out.set([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff], 0);
  let at = 10;
  for (let block = 0; block < blockCount; block += 1) {
    const chunk = data.subarray(block * MAX_STORED_BLOCK, (block + 1) * MAX_STORED_BLOCK);
    out[at] = block === blockCount - 1 ? 0x01 : 0x00; // BFINAL bit, BTYPE=00 (stored)
    view.setUint16(at + 1, chunk.length, true);
    view.setUint16(at + 3, ~chunk.length & 0xffff, true);
    out.set(chunk, at + 5);
    at += 5 + chunk.length;
  }
  view.setUint32(at, crc32(data), true);
  view.setUint32(at + 4, data.length % 2 ** 32, true);
  return out;
}

export { gzipStored };
