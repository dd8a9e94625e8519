const BLOCK = 512;

function writeField(header: Uint8Array, offset: number, length: number, text: string): void {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > length) throw new Error(`tar header field "${text}" is longer than ${length} bytes`);
  header.set(bytes, offset);
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/**
 * A ustar archive holding one regular file, with fixed mode, owner and mtime so the bytes are reproducible.
 * Written by hand because one fixed entry is ~30 lines and a tar library would add a dependency for tests only.
 */
function tarSingleFile(name: string, content: Uint8Array): Uint8Array {
  const header = new Uint8Array(BLOCK);
  writeField(header, 0, 100, name);
  writeField(header, 100, 8, octal(0o644, 8));
  writeField(header, 108, 8, octal(0, 8));
  writeField(header, 116, 8, octal(0, 8));
  writeField(header, 124, 12, octal(content.length, 12));
  writeField(header, 136, 12, octal(0, 12));
  writeField(header, 148, 8, '        '); // checksum is computed with this field as spaces
  writeField(header, 156, 1, '0');
  writeField(header, 257, 6, 'ustar\0');
  writeField(header, 263, 2, '00');
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  writeField(header, 148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);

  const padded = Math.ceil(content.length / BLOCK) * BLOCK;
  // Header, content padded to a block, then two zero blocks ending the archive.
  const archive = new Uint8Array(BLOCK + padded + 2 * BLOCK);
  archive.set(header, 0);
  archive.set(content, BLOCK);
  return archive;
}

export { tarSingleFile };
