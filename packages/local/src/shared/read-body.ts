/**
 * Reads a whole request or response body, up to `limit` bytes: undefined once it exceeds them, which stops
 * reading (the stream is destroyed), so a hostile or runaway body never fills memory. Every body the local
 * stack buffers (AWS JSON requests, control API requests, manifests and tag lists in the registry front) goes
 * through here; each caller decides how to answer a body that is too large.
 */
async function readBodyUpTo(stream: AsyncIterable<unknown>, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += bytes.length;
    if (size > limit) return undefined;
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}

export { readBodyUpTo };
