/*
 * Writes docs/config.schema.json from the zod schema (run: `npm run schema` at the repository root).
 * A test compares the file with the generator's output, so a schema change without regenerating fails CI.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigJsonSchema } from '../src/config/index.js';

const target = fileURLToPath(new URL('../../../docs/config.schema.json', import.meta.url));
writeFileSync(target, renderConfigJsonSchema());
console.log(`wrote ${target}`);
