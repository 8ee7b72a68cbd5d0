import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InputError, UsageError } from '../../core/errors.js';
import { matchAny } from '../../core/glob.js';
import { FORMATS, readMigrationDir } from '../../rehearse/migrations.js';
import { defineCommand } from '../define.js';
import { DATABASE_URL, outputOption } from '../flags.js';

export const command = defineCommand({
  name: 'rehearse',
  usage: ['rollwright rehearse [--dir DIR] [--format F] [--from N] [--to M] [--database-url URL] [flags]'],
  description: `Rehearse migrations on PostgreSQL: on a fresh database, apply the migrations up to --from, seed
every table, apply the migrations after it up to --to, prepare the old application's queries
against the new schema, apply the downs, compare the schema with the one before (pg_catalog),
count the rows lost, and apply the ups again. sqitch projects run in sqitch.plan order, each
deploy followed by its verify script; Prisma migrations have no down, so the down and the schema
comparison are reported as not possible (the rehearsal is then incomplete, not passed).`,
  options: {
    dir: {
      type: 'string',
      metavar: 'DIR',
      defaultText: 'the first of db/migrations, migrations, prisma/migrations',
      description: 'migrations folder, or the sqitch project holding sqitch.plan or sqitch.conf',
    },
    format: {
      type: 'string',
      metavar: 'F',
      choices: FORMATS,
      description: 'the migration layout',
      defaultText: 'detected: sqitch.plan/sqitch.conf -> sqitch, <folder>/migration.sql -> prisma, else by file names',
    },
    from: {
      type: 'string',
      metavar: 'N',
      parse: migrationName,
      defaultText: 'the one before the last; 0: an empty database',
      description: 'base version, sqitch change or @tag, or Prisma folder or its timestamp',
    },
    to: {
      type: 'string',
      metavar: 'M',
      parse: migrationName,
      defaultText: 'the last',
      description: 'last one to rehearse',
    },
    'database-url': DATABASE_URL,
    queries: {
      type: 'string',
      metavar: 'GLOB',
      repeatable: true,
      defaultText: 'database.queries in .rollwright.yaml',
      description: "the old application's queries",
    },
    output: outputOption(['text', 'json']),
  },
  exitCodes: {
    0: 'every step passed',
    1: 'a step failed or could not run',
    2: 'usage or input error',
    3: 'internal error',
  },
  async run(opts) {
    const dir =
      opts.dir ?? ['db/migrations', 'migrations', 'prisma/migrations'].find((d) => existsSync(d)) ?? 'migrations';
    const { pairs, skipped, format: detected } = readMigrationDir(dir, opts.format);
    if (pairs.length === 0) throw new InputError('no up migrations found', dir);
    const queries = readQueries(opts.queries ?? (await configQueries()));
    const url = opts.databaseUrl ?? process.env.ROLLWRIGHT_DATABASE_URL;
    const { openPglite, openPostgres } = await import('../../rehearse/driver.js');
    const { rehearse, renderRehearsal } = await import('../../rehearse/rehearse.js');
    const { startProgress } = await import('../progress.js');
    const progress = startProgress(
      `rehearsing the migrations of ${dir} (up, down, up) on ${url ? 'PostgreSQL' : 'embedded PostgreSQL'}…`,
    );
    const report = await rehearse({
      pairs,
      skipped,
      format: detected,
      queries,
      ...(opts.from !== undefined ? { from: opts.from } : {}),
      ...(opts.to !== undefined ? { to: opts.to } : {}),
      open: url ? () => openPostgres(url) : openPglite,
    }).finally(() => progress.done());
    return { stdout: renderRehearsal(report, opts.output), exitCode: report.ok ? 0 : 1 };
  },
});

/** A version, a sqitch change name (`users`, `app/users`, `users@v1.0`) or a Prisma folder. */
function migrationName(value: string, flag: string): string {
  if (!/^[\p{L}\p{N}_.@/+-]+$/u.test(value))
    throw new UsageError(`${flag}: ${JSON.stringify(value)} is not a migration version or change name`);
  return value;
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
