/*
 * IP parsing is written out here rather than taken from `node:net`: @dockmaster/core stays free of
 * Node built-ins, and EventBridge's rules (exactly one '/', strict dotted quads) are narrower than
 * what general-purpose parsers accept.
 */
import type { ValueMatcher } from './types.js';

type IpFamily = 4 | 6;
type IpAddress = { family: IpFamily; value: bigint };
type CidrRange = { family: IpFamily; first: bigint; last: bigint };

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

const DECIMAL_OCTET = /^(0|[1-9]\d{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Parses a dotted quad ("10.0.0.1"); leading zeros are refused as they are ambiguous (octal). */
const parseIpv4 = (text: string): bigint | undefined => {
  const octets = text.split('.');
  if (octets.length !== 4) return undefined;
  let value = 0n;
  for (const octet of octets) {
    if (!DECIMAL_OCTET.test(octet) || Number(octet) > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
};

/** Parses an IPv6 address in any RFC 4291 text form ("::", "2001:db8::1", "::ffff:10.0.0.1"). */
const parseIpv6 = (text: string): bigint | undefined => {
  let groupsText = text;
  if (text.includes('.')) {
    // An embedded IPv4 address stands for the last two 16-bit groups.
    const lastColon = text.lastIndexOf(':');
    const ipv4 = parseIpv4(text.slice(lastColon + 1));
    if (lastColon < 0 || ipv4 === undefined) return undefined;
    groupsText = `${text.slice(0, lastColon + 1)}${(ipv4 >> 16n).toString(16)}:${(ipv4 & 0xffffn).toString(16)}`;
  }
  const halves = groupsText.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string): string[] => (half === '' ? [] : half.split(':'));
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (![...head, ...tail].every((group) => HEX_GROUP.test(group))) return undefined;
  const compressed = halves.length === 2;
  if (compressed ? head.length + tail.length > 7 : head.length !== 8) return undefined;
  const groups = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  return groups.reduce((value, group) => (value << 16n) | BigInt(`0x${group}`), 0n);
};

const parseIp = (text: string): IpAddress | undefined => {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value };
};

/** Parses "10.0.0.0/24" or "2001:db8::/32"; host bits below the prefix are ignored. */
const parseCidr = (text: string): CidrRange | undefined => {
  const parts = text.split('/');
  if (parts.length !== 2) return undefined;
  const [addressText = '', prefixText = ''] = parts;
  const address = parseIp(addressText);
  if (!address || !/^(0|[1-9]\d{0,2})$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const bits = BITS[address.family];
  if (prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  const first = (address.value >> hostBits) << hostBits;
  return { family: address.family, first, last: first | ((1n << hostBits) - 1n) };
};

/** Matches string values that are IP addresses of the range's family inside the range. */
const cidrMatcher = (range: CidrRange): ValueMatcher => (value) => {
  if (typeof value !== 'string') return false;
  const address = parseIp(value);
  return address !== undefined && address.family === range.family && address.value >= range.first && address.value <= range.last;
};

export { cidrMatcher, parseCidr, parseIp };
export type { CidrRange, IpAddress };
