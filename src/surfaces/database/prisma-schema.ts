/**
 * The Prisma schema a Prisma migrations folder belongs to, read for what the application that runs on
 * it reads and writes: each model's table (`@@map`, else the model's name) and the columns of its
 * scalar fields (`@map`, else the field's name). Prisma Client selects every scalar field of a model by
 * default and writes only the fields of the model, so a column of a known table that no field maps is
 * neither read nor written by the application built from that schema. Relation fields (typed by another
 * model) have no column of their own.
 */
import type { SurfaceContext } from '../../core/surface.js';

export interface PrismaSchema {
  /** Where it was read (a path, or the folder of a multi-file schema). */
  path: string;
  /** Table (schema-qualified when `@@schema` names one other than public) to the columns its fields map. */
  tables: Map<string, Set<string>>;
}

/** `@map("x")` / `@map(name: "x")` (and `@@map`, `@@schema`): the quoted name. */
const mapped = (attr: string, line: string): string | undefined =>
  new RegExp(`${attr}\\(\\s*(?:name\\s*:\\s*)?"([^"]+)"`).exec(line)?.[1];

/** The models of a schema's text(s): tables and their mapped columns. */
export function readPrismaModels(texts: readonly string[]): Map<string, Set<string>> {
  const lines = texts.flatMap((t) => t.split('\n').map((l) => l.replace(/\/\/.*$/, '').trim()));
  const models = new Set<string>();
  for (const l of lines) {
    const m = /^model\s+(\w+)\s*\{/.exec(l);
    if (m) models.add(m[1]!);
  }
  const out = new Map<string, Set<string>>();
  let model: string | undefined;
  let table = '';
  let schema: string | undefined;
  let columns = new Set<string>();
  for (const l of lines) {
    if (model === undefined) {
      const m = /^model\s+(\w+)\s*\{/.exec(l);
      if (m) [model, table, schema, columns] = [m[1]!, m[1]!, undefined, new Set()];
      continue;
    }
    if (l === '}') {
      out.set(schema && schema !== 'public' ? `${schema}.${table}` : table, columns);
      model = undefined;
      continue;
    }
    if (l.startsWith('@@')) {
      table = (l.startsWith('@@map') && mapped('@@map', l)) || table;
      schema = (l.startsWith('@@schema') && mapped('@@schema', l)) || schema;
      continue;
    }
    const f = /^(\w+)\s+(\w+)/.exec(l);
    if (!f || models.has(f[2]!)) continue; // a relation field: its columns are the scalar fields it names
    columns.add(mapped('@map', l) ?? f[1]!);
  }
  return out;
}

/**
 * The base's Prisma schema of a Prisma migrations folder (`<dir>/migrations`): Prisma keeps the
 * migrations next to the schema, `<dir>/schema.prisma`, or next to the `.prisma` files of a multi-file
 * schema (in `<dir>` and its folders). Undefined when there is none: then nothing is said about what the
 * application reads.
 */
export async function basePrismaSchema(ctx: SurfaceContext, migrationsDir: string): Promise<PrismaSchema | undefined> {
  if (!/(^|\/)migrations$/.test(migrationsDir)) return undefined;
  const dir = migrationsDir.replace(/\/?migrations$/, '');
  const at = (name: string) => (dir ? `${dir}/${name}` : name);
  const single = await ctx.repo.readText('base', at('schema.prisma'));
  if (single !== undefined) return { path: at('schema.prisma'), tables: readPrismaModels([single]) };
  if (!dir) return undefined;
  const texts: string[] = [];
  for (const e of await ctx.repo.listDir('base', dir)) {
    if (e.type === 'blob' && e.name.endsWith('.prisma')) texts.push((await ctx.repo.readText('base', at(e.name))) ?? '');
    else if (e.type === 'tree' && e.name !== 'migrations')
      for (const s of await ctx.repo.listDir('base', at(e.name)))
        if (s.type === 'blob' && s.name.endsWith('.prisma'))
          texts.push((await ctx.repo.readText('base', at(`${e.name}/${s.name}`))) ?? '');
  }
  return texts.length > 0 ? { path: `${dir}/*.prisma`, tables: readPrismaModels(texts) } : undefined;
}

/**
 * Whether the schema knows the table and none of its fields maps the column (compared as written, and
 * also without case: a match either way counts as mapped).
 */
export function unmapped(schema: PrismaSchema, table: string, column: string): boolean {
  let cols = schema.tables.get(table);
  if (!cols) {
    const same = [...schema.tables.keys()].filter((t) => t.toLowerCase() === table.toLowerCase());
    if (same.length !== 1) return false;
    cols = schema.tables.get(same[0]!)!;
  }
  const c = column.toLowerCase();
  return ![...cols].some((x) => x.toLowerCase() === c);
}
