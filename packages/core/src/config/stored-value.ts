import { parse } from 'yaml';

/**
 * What the deploy (and the local stack) stores for a validated configuration file: its data as compact JSON,
 * which drops comments, keeps the item small and takes the workers' fast path (parseCompactJsonConfig).
 * Apart from ./stored-config.ts, which the workers import, so that their bundles do not evaluate yaml at init.
 */
const storedConfigValue = (validatedText: string): string => JSON.stringify(parse(validatedText));

export { storedConfigValue };
