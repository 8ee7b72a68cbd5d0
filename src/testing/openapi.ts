/**
 * The API's OpenAPI description (src/server/openapi.yaml) as a test oracle: responses validated with
 * ajv's JSON Schema 2020-12 validator (the dialect of OpenAPI 3.1) against the operation's declared
 * response for their status and content type, and query parameters checked against those declared.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { expect } from 'vitest';

const SPEC = parseYaml(readFileSync(join(__dirname, '..', 'server', 'openapi.yaml'), 'utf8')) as {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }> }>
  >;
  components: {
    schemas: Record<string, unknown>;
    responses: Record<string, { content: Record<string, { schema: unknown }> }>;
    parameters: Record<string, { name: string; in: string }>;
  };
};
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'openapi', components: SPEC.components });
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
const validators = new Map<string, ReturnType<typeof ajv.compile>>();

/** Checks a response against the operation's declared response for its status and content type. */
export function conforms(path: string, method: string, r: { status: number; body: unknown; headers: Headers }): void {
  const op = SPEC.paths[path]?.[method];
  expect(op, `${method} ${path} is not in openapi.yaml`).toBeDefined();
  let resp = op!.responses[String(r.status)];
  expect(resp, `${method} ${path} does not declare status ${r.status}`).toBeDefined();
  if (resp!.$ref) resp = SPEC.components.responses[resp!.$ref.split('/').pop()!]!;
  const type = r.headers.get('content-type')!.split(';')[0]!;
  const media = resp!.content?.[type];
  expect(media, `${method} ${path} ${r.status} does not declare ${type}`).toBeDefined();
  const key = `${method} ${path} ${r.status} ${type}`;
  let v = validators.get(key);
  if (!v) {
    const schema = JSON.parse(JSON.stringify(media!.schema).replace(/"#\/components\//g, '"openapi#/components/'));
    v = ajv.compile(schema);
    validators.set(key, v);
  }
  if (!v(r.body)) throw new Error(`${key}: ${ajv.errorsText(v.errors)}\n${JSON.stringify(r.body).slice(0, 500)}`);
}

/** Every query parameter a test sends is one the operation declares. */
export function declaresQuery(path: string, method: string, q: URLSearchParams): void {
  const op = SPEC.paths[path]?.[method] as unknown as {
    parameters?: Array<{ $ref?: string; name?: string; in?: string }>;
  };
  const declared = new Set(
    (op?.parameters ?? [])
      .map((p) => (p.$ref ? SPEC.components.parameters[p.$ref.split('/').pop()!]! : p))
      .filter((p) => p.in === 'query')
      .map((p) => p.name),
  );
  for (const name of q.keys()) expect(declared, `${method} ${path} does not declare ?${name}`).toContain(name);
}
