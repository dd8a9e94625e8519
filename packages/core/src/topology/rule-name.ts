import { RULE_NAME_PATTERN } from './limits.js';

const MAX_RULE_NAME_LENGTH = 64;

/** FNV-1a, 32 bit: a short stable suffix; not for security, node:crypto would make core impure. */
const shortHash = (text: string): string => {
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
};

/**
 * A valid EventBridge rule name built from free text: characters outside [.-_A-Za-z0-9] become '-',
 * and names over 64 characters are cut and made unique again with a hash of the full name.
 */
const ruleName = (text: string): string => {
  const safe = text.replace(/[^.\-_A-Za-z0-9]/g, '-');
  const name = safe.length <= MAX_RULE_NAME_LENGTH ? safe : `${safe.slice(0, MAX_RULE_NAME_LENGTH - 9)}-${shortHash(text)}`;
  if (!RULE_NAME_PATTERN.test(name)) throw new Error(`internal: rule name "${name}" is not valid`);
  return name;
};

export { ruleName };
