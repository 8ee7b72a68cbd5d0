import * as z from 'zod/mini';
import { ConfigSchema } from './config-schema.js';
import { DeclarationSchema } from './declaration.js';

/**
 * JSON Schemas of `.rollwright.yaml` and of change declarations, generated from the zod schemas that
 * validate them, for editors (the `# yaml-language-server: $schema=` line `rollwright init` writes)
 * and other tools. Committed under schema/; a test fails when they drift from the zod schemas.
 * The input side is described (what a person writes), defaults included.
 */
export const SCHEMA_BASE_URL = 'https://unpkg.com/@rollwright/cli/schema';
export const CONFIG_SCHEMA_FILE = 'config.schema.json';
export const DECLARATION_SCHEMA_FILE = 'declaration.schema.json';

const options = { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' } as const;

export function configJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(ConfigSchema, options) as Record<string, unknown>;
  return {
    $schema,
    $id: `${SCHEMA_BASE_URL}/${CONFIG_SCHEMA_FILE}`,
    title: 'rollwright configuration (.rollwright.yaml)',
    description: 'How rollwright assesses this repository: environments, rules, ignores, the ledger. See docs/configuration.md.',
    ...rest,
  };
}

export function declarationJsonSchema(): Record<string, unknown> {
  const { $schema, ...change } = z.toJSONSchema(DeclarationSchema, options) as Record<string, unknown>;
  // The refinement "exactly one of object or file" has no zod-generated form: written out here.
  const accept = (change.properties as Record<string, { items?: Record<string, unknown> }>).accept?.items;
  if (accept) accept.oneOf = [{ required: ['object'] }, { required: ['file'] }];
  return {
    $schema,
    $id: `${SCHEMA_BASE_URL}/${DECLARATION_SCHEMA_FILE}`,
    title: 'rollwright change declaration (.rollwright/changes/<id>.yaml)',
    description: 'How a production change would be undone, under the key change:. See docs/gate.md.',
    type: 'object',
    properties: { change },
    required: ['change'],
    additionalProperties: false,
  };
}

/** The committed text of a schema file: stable key order, two-space indent, a final newline. */
export function schemaText(schema: Record<string, unknown>): string {
  return JSON.stringify(schema, null, 2) + '\n';
}
