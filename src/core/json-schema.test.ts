/**
 * schema/*.json are generated from the zod schemas (UPDATE_SCHEMAS=1 rewrites them) and validate the
 * bundled example's config and declarations with a real JSON Schema validator (ajv).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseSingleYaml } from './yaml.js';
import {
  CONFIG_SCHEMA_FILE,
  configJsonSchema,
  DECLARATION_SCHEMA_FILE,
  declarationJsonSchema,
  schemaText,
} from './json-schema.js';
import { ROOT } from '../testing/cli.js';

const files: Array<[string, () => Record<string, unknown>]> = [
  [CONFIG_SCHEMA_FILE, configJsonSchema],
  [DECLARATION_SCHEMA_FILE, declarationJsonSchema],
];

describe('schema/', () => {
  it.each(files)('%s matches the zod schema (regenerate with UPDATE_SCHEMAS=1)', (name, make) => {
    const path = join(ROOT, 'schema', name);
    const want = schemaText(make());
    if (process.env.UPDATE_SCHEMAS) writeFileSync(path, want);
    expect(readFileSync(path, 'utf8'), `schema/${name} is out of date: UPDATE_SCHEMAS=1 npx vitest run src/core/json-schema.test.ts`).toBe(want);
  });

  const ajv = new (Ajv2020 as unknown as typeof Ajv2020.default)({ strict: false, allErrors: true });
  const yaml = (path: string) => parseSingleYaml(readFileSync(path, 'utf8')).value;
  const example = join(ROOT, 'examples', 'gitops');

  it('the example config validates; a typo does not', () => {
    const validate = ajv.compile(configJsonSchema());
    expect(validate(yaml(join(example, 'base', '.rollwright.yaml'))), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ enviroments: {} })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ keyword: 'additionalProperties', params: { additionalProperty: 'enviroments' } });
    expect(validate({ ignore: [{ paths: ['x/**'] }] })).toBe(false);
  });

  it("the example's declarations validate; an accept entry without a reason does not", () => {
    const validate = ajv.compile(declarationJsonSchema());
    const history = join(example, 'history');
    const decls = readdirSync(history).flatMap((step) => {
      const dir = join(history, step, 'files', '.rollwright', 'changes');
      try {
        return readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => join(dir, f));
      } catch {
        return [];
      }
    });
    expect(decls.length).toBeGreaterThan(2);
    for (const d of decls) expect(validate(yaml(d)), `${d}: ${JSON.stringify(validate.errors)}`).toBe(true);
    expect(validate({ change: { accept: [{ rule: 'kubernetes/image-changed', file: 'a.yaml' }] } })).toBe(false);
    expect(validate({ change: { accept: [{ rule: 'kubernetes/image-changed', file: 'a.yaml', reason: 'ok' }] } })).toBe(true);
    const both = { rule: 'kubernetes/image-changed', file: 'a.yaml', object: 'apps/Deployment/a/b', reason: 'ok' };
    expect(validate({ change: { accept: [both] } })).toBe(false);
  });
});
