import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InputError, UsageError } from '../../core/errors.js';
import { matchAny } from '../../core/glob.js';
import { oneOf, parse } from '../options.js';
import type { CommandResult } from '../command.js';

export const help = `Usage: rollwright rehearse [--dir DIR] [--format F] [--from N] [--to M] [--database-url URL] [flags]

Rehearse migrations on PostgreSQL: on a fresh database, apply the migrations up to --from, seed
every table, apply the migrations after it up to --to, prepare the old application's queries
against the new schema, apply the downs, compare the schema with the one before (pg_catalog),
count the rows lost, and apply the ups again. sqitch projects run in sqitch.plan order, each
deploy followed by its verify script; Prisma migrations have no down, so the down and the schema
comparison are reported as not possible (the rehearsal is then incomplete, not passed).

Flags:
      --dir DIR            migrations folder, or the sqitch project holding sqitch.plan or sqitch.conf
                           (default: the first of db/migrations, migrations, prisma/migrations)
      --format F           sqitch, prisma, golang-migrate, flyway, dbmate or plain (default: detected:
                           sqitch.plan/sqitch.conf -> sqitch, <folder>/migration.sql -> prisma, else by file names)
      --from N             base version, sqitch change or @tag, or Prisma folder or its timestamp
                           (default: the one before the last; 0: an empty database)
      --to M               last one to rehearse (default: the last)
      --database-url URL   a real PostgreSQL server (a fresh database is created and dropped);
                           default: embedded PGlite. Also read from ROLLWRIGHT_DATABASE_URL.
      --queries GLOB       the old application's queries (repeatable; default: database.queries in .rollwright.yaml)
  -o, --output FORMAT      text (default) or json
  -h, --help               show this help

Exit codes: 0 every step passed, 1 a step failed or could not run, 2 usage or input error, 3 internal error.`;

export async function run(argv: string[]): Promise<CommandResult> {
  const { values } = parse(argv, {
    dir: { type: 'string' },
    format: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'database-url': { type: 'string' },
    queries: { type: 'string', multiple: true },
    output: { type: 'string', short: 'o' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return { stdout: help + '\n', exitCode: 0 };
  const format = oneOf('--output', values.output as string | undefined, ['text', 'json'] as const, 'text');
  const { readMigrationDir, FORMATS } = await import('../../rehearse/migrations.js');
  const layout = values.format === undefined ? undefined : oneOf('--format', values.format as string, FORMATS, 'plain');
  for (const f of ['from', 'to'] as const) {
    const v = values[f] as string | undefined;
    // A version, a sqitch change name (`users`, `app/users`, `users@v1.0`) or a Prisma folder.
    if (v !== undefined && !/^[\p{L}\p{N}_.@/+-]+$/u.test(v))
      throw new UsageError(`--${f}: ${JSON.stringify(v)} is not a migration version or change name`);
  }
  const dir =
    (values.dir as string | undefined) ??
    ['db/migrations', 'migrations', 'prisma/migrations'].find((d) => existsSync(d)) ??
    'migrations';
  const { pairs, skipped, format: detected } = readMigrationDir(dir, layout);
  if (pairs.length === 0) throw new InputError('no up migrations found', dir);
  const queries = readQueries((values.queries as string[] | undefined) ?? (await configQueries()));
  const url = (values['database-url'] as string | undefined) ?? process.env.ROLLWRIGHT_DATABASE_URL;
  const { openPglite, openPostgres } = await import('../../rehearse/driver.js');
  const { rehearse, renderRehearsal } = await import('../../rehearse/rehearse.js');
  const report = await rehearse({
    pairs,
    skipped,
    format: detected,
    queries,
    ...(values.from !== undefined ? { from: values.from as string } : {}),
    ...(values.to !== undefined ? { to: values.to as string } : {}),
    open: url ? () => openPostgres(url) : openPglite,
  });
  return { stdout: renderRehearsal(report, format), exitCode: report.ok ? 0 : 1 };
}

/** `database.queries` of ./.rollwright.yaml, if there is one. */
async function configQueries(): Promise<string[]> {
  const file = existsSync('.rollwright.yaml')
    ? '.rollwright.yaml'
    : existsSync('.rollwright.yml')
      ? '.rollwright.yml'
      : undefined;
  if (!file) return [];
  const [{ parseSingleYaml }, { ConfigSchema }] = await Promise.all([
    import('../../core/yaml.js'),
    import('../../core/config-schema.js'),
  ]);
  const { value, error } = parseSingleYaml(readFileSync(file, 'utf8'));
  if (error) throw new InputError(`config does not parse: ${error.reason}`, file, error.line, error.column);
  const parsed = ConfigSchema.safeParse(value ?? {});
  if (!parsed.success) throw new InputError(parsed.error.issues[0]!.message, file);
  return parsed.data.database.queries;
}

/** Files under the current directory matching the globs, sorted. */
function readQueries(globs: string[]): Array<{ file: string; text: string }> {
  if (globs.length === 0) return [];
  const out: Array<{ file: string; text: string }> = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === '.git') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const rel = relative('.', p).split('\\').join('/');
        if (matchAny(rel, globs)) out.push({ file: rel, text: readFileSync(p, 'utf8') });
      }
    }
  };
  // Only the folders the globs can match under: never the whole tree.
  const roots = new Set(
    globs.map((g) => {
      const segs = g.split('/');
      const i = segs.findIndex((x) => /[*?[{]/.test(x));
      return segs.slice(0, i < 0 ? segs.length - 1 : i).join('/') || '.';
    }),
  );
  for (const r of [...roots].sort())
    if (![...roots].some((o) => o !== r && r.startsWith(o + '/'))) if (existsSync(r)) walk(r);
  return out.sort((a, b) => (a.file < b.file ? -1 : 1));
}
