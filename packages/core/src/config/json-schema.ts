import * as z from 'zod';
import { DockmasterConfigSchema } from './schema.js';

/*
 * The JSON Schema published at docs/config.schema.json, generated from the zod schema so the two cannot drift.
 * io 'input': fields with defaults are optional, as they are in the file. Cross-field checks (unique prefixes,
 * defined teams, real calendar dates) are beyond JSON Schema: `dockmaster validate` runs them.
 */

const CONFIG_SCHEMA_ID = 'https://dockmaster.dev/schemas/config.schema.json';

const configJsonSchema = (): Record<string, unknown> => {
  const { $schema, title, description, ...rest } = z.toJSONSchema(DockmasterConfigSchema, { io: 'input', target: 'draft-2020-12' });
  // Identification first, so the file reads well from the top.
  return { $schema, $id: CONFIG_SCHEMA_ID, title, description, ...rest };
};

/** The file content of docs/config.schema.json. */
const renderConfigJsonSchema = (): string => `${JSON.stringify(configJsonSchema(), null, 2)}\n`;

export { CONFIG_SCHEMA_ID, configJsonSchema, renderConfigJsonSchema };
