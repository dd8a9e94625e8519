import { createHash } from 'node:crypto';

/** A message attribute as the SQS JSON API carries it (binary values base64-encoded). */
interface MessageAttributeValue {
  DataType: string;
  StringValue?: string | undefined;
  BinaryValue?: string | undefined;
  StringListValues?: string[] | undefined;
  BinaryListValues?: string[] | undefined;
}

function md5Hex(bytes: Buffer | string): string {
  return createHash('md5').update(bytes).digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * MD5OfMessageAttributes as SQS computes it (documented algorithm, no library implements it for
 * the server side): attributes sorted by name; per attribute the length-prefixed name, data type,
 * a transport byte (1 string, 2 binary) and the length-prefixed value.
 */
function md5OfMessageAttributes(attributes: Readonly<Record<string, MessageAttributeValue>>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  for (const name of names) {
    const attribute = attributes[name] as MessageAttributeValue;
    parts.push(lengthPrefixed(Buffer.from(name, 'utf8')), lengthPrefixed(Buffer.from(attribute.DataType, 'utf8')));
    if (attribute.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]), lengthPrefixed(Buffer.from(attribute.BinaryValue, 'base64')));
    } else {
      parts.push(Buffer.from([1]), lengthPrefixed(Buffer.from(attribute.StringValue ?? '', 'utf8')));
    }
  }
  return md5Hex(Buffer.concat(parts));
}

export { md5Hex, md5OfMessageAttributes };
export type { MessageAttributeValue };
