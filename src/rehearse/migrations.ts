/**
 * A migrations folder as an ordered list of up/down pairs: golang-migrate, Flyway (V/U), dbmate (one
 * file, two sections) and plain numbered files (ups only), ordered by version; sqitch projects in
 * `sqitch.plan` order (deploy/revert/verify); Prisma migration folders in folder-name order (no down).
 * Read from disk or from memory.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { compareVersions, dbmateSection, recognise, type Framework } from '../surfaces/database/frameworks.js';
import { checkSqitchPlan, parseSqitchPlan } from '../surfaces/database/sqitch.js';

export interface MigrationFileText {
  path: string;
  text: string;
}

export interface MigrationPair {
  version: string;
  name: string;
  framework?: Framework;
  up: MigrationFileText;
  down?: MigrationFileText;
  /** The framework has no down migration: why, and what to do instead (Prisma). */
  noDown?: string;
  /** sqitch: the verify script, run after the deploy; it must not raise. */
  verify?: MigrationFileText;
  /** sqitch: the tags planned right after this change (`--from @v1.0`). */
  tags?: string[];
}

export const FORMATS = ['sqitch', 'prisma', 'golang-migrate', 'flyway', 'dbmate', 'plain'] as const;

/** Prisma has no down migrations (prisma.io/docs/orm/prisma-migrate/workflows/generating-down-migrations). */
export const PRISMA_NO_DOWN =
  'Prisma has no down migrations: a rollback is a new forward migration; `prisma migrate diff --from-migrations ... --to-migrations ... --script` can generate a down script (put it in the folder as down.sql to rehearse it)';

export interface MigrationDir {
  pairs: MigrationPair[];
  skipped: Array<{ file: string; reason: string }>;
  format: Framework;
}

/**
 * The layout of a migrations folder: sqitch when it holds `sqitch.plan`, Prisma when its subfolders
 * hold `migration.sql`, else the framework most of its `.sql` files are named for.
 */
export function detectFormat(dir: string): Framework | undefined {
  if (existsSync(join(dir, 'sqitch.plan')) || existsSync(join(dir, 'sqitch.conf'))) return 'sqitch';
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  if (entries.some((e) => e.isDirectory() && existsSync(join(dir, e.name, 'migration.sql')))) return 'prisma';
  if (entries.some((e) => e.isFile() && e.name === 'migration_lock.toml')) return 'prisma';
  return undefined;
}

export function readMigrationDir(dir: string, format?: Framework): MigrationDir {
  const root = dir.replace(/\/+$/, '') || '.';
  if (!existsSync(root)) throw new InputError('cannot read the migrations folder: ENOENT', dir);
  const detected = format ?? detectFormat(root);
  if (detected === 'sqitch') return readSqitchDir(root);
  if (detected === 'prisma') return readPrismaDir(root);
  const r = readFlatDir(root);
  if (!format) {
    const counts = new Map<Framework, number>();
    for (const p of r.pairs) counts.set(p.framework!, (counts.get(p.framework!) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'plain';
    return { ...r, format: top };
  }
  const pairs = r.pairs.filter((p) => p.framework === format);
  for (const p of r.pairs)
    if (p.framework !== format)
      r.skipped.push({ file: p.up.path, reason: `a ${p.framework} migration, not ${format} (--format)` });
  return { pairs, skipped: r.skipped, format };
}

/** Reads a file of the folder, or undefined when it does not exist; a data dump is refused. */
function readSmall(path: string, skipped: Array<{ file: string; reason: string }>): string | undefined {
  let st;
  try {
    st = statSync(path);
  } catch {
    return undefined;
  }
  if (!st.isFile()) return undefined;
  if (st.size > MAX_MIGRATION_BYTES) {
    skipped.push({
      file: path,
      reason: `${st.size} bytes: larger than ${MAX_MIGRATION_BYTES}, not a migration (a data dump?)`,
    });
    return undefined;
  }
  return readFileSync(path, 'utf8');
}

/** Where a sqitch project keeps its plan and scripts, relative to its root (sqitch.conf `[core]`). */
export interface SqitchLayout {
  plan: string;
  deploy: string;
  revert: string;
  verify: string;
}

/**
 * The `[core]` settings of sqitch.conf (git-config syntax) that move the plan and the scripts:
 * `top_dir` (default `.`), `plan_file` (default `<top_dir>/sqitch.plan`), `deploy_dir`, `revert_dir`,
 * `verify_dir` (default `<top_dir>/deploy` ...). Other sections are ignored.
 */
export function sqitchLayout(conf: string | undefined): SqitchLayout {
  const core: Record<string, string> = {};
  let section = '';
  for (const raw of (conf ?? '').split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)[#;].*$/, '').trim();
    const sec = /^\[\s*([^\]\s]+)(?:\s+"[^"]*")?\s*\]$/.exec(line);
    if (sec) {
      section = sec[1]!.toLowerCase();
      continue;
    }
    const kv = /^([\w-]+)\s*=\s*(.*)$/.exec(line);
    if (kv && section === 'core') core[kv[1]!.toLowerCase()] = kv[2]!.replace(/^"(.*)"$/, '$1');
  }
  const clean = (p: string) => p.replace(/^\.\/+/, '').replace(/\/+$/, '') || '.';
  const top = clean(core.top_dir ?? '.');
  const under = (name: string) => (top === '.' ? name : `${top}/${name}`);
  return {
    plan: clean(core.plan_file ?? under('sqitch.plan')),
    deploy: clean(core.deploy_dir ?? under('deploy')),
    revert: clean(core.revert_dir ?? under('revert')),
    verify: clean(core.verify_dir ?? under('verify')),
  };
}

function readSqitchDir(root: string): MigrationDir {
  const skipped: Array<{ file: string; reason: string }> = [];
  const conf = existsSync(`${root}/sqitch.conf`) ? readSmall(`${root}/sqitch.conf`, skipped) : undefined;
  const layout = sqitchLayout(conf);
  const planPath = `${root}/${layout.plan}`;
  const plan = readSmall(planPath, skipped);
  if (plan === undefined) throw new InputError(`no ${layout.plan} in the folder (sqitch deploys in plan order)`, root);
  return {
    pairs: sqitchPairs(plan, (rel) => readSmall(`${root}/${rel}`, skipped), { root, skipped, layout }),
    skipped,
    format: 'sqitch',
  };
}

/**
 * A sqitch project as pairs in plan order: `deploy/<change>.sql` up, `revert/<change>.sql` down,
 * `verify/<change>.sql` verify. A reworked change's earlier scripts are `<change>@<tag>.sql`. A plan line
 * `-change` reverts a change: its revert script runs as the up and its deploy script as the down.
 */
export function sqitchPairs(
  planText: string,
  read: (relative: string) => string | undefined,
  opts: { root?: string; skipped?: Array<{ file: string; reason: string }>; layout?: SqitchLayout } = {},
): MigrationPair[] {
  const root = opts.root ?? '.';
  const layout = opts.layout ?? sqitchLayout(undefined);
  const planPath = `${root}/${layout.plan}`;
  const plan = parseSqitchPlan(planText, planPath);
  const { problems, external } = checkSqitchPlan(plan);
  if (problems.length) throw new InputError(problems.map((p) => p.message).join('; '), planPath, problems[0]!.line);
  for (const e of external)
    opts.skipped?.push({ file: planPath, reason: `dependency ${e} is another project's: not checked` });
  return plan.changes.map((c, index) => {
    const tags = [...plan.tags].filter(([, at]) => at === index).map(([t]) => t);
    // The earlier instance of a reworked change: its scripts carry the tag planned after it.
    const suffixes = c.reworked && c.tagsAfter.length ? [...c.tagsAfter].reverse().map((t) => `@${t}`) : [''];
    const script = (kind: 'deploy' | 'revert' | 'verify'): MigrationFileText | undefined => {
      for (const sfx of suffixes) {
        const rel = `${layout[kind]}/${c.name}${sfx}.sql`;
        const text = read(rel);
        if (text !== undefined) return { path: `${root}/${rel}`, text };
      }
      return undefined;
    };
    const deploy = script('deploy');
    const revert = script('revert');
    const verify = script('verify');
    const expected = `${root}/${layout.deploy}/${c.name}${suffixes[0]}.sql`;
    // `change@tag`: the change as it was at the tag (sqitch's notation), for the earlier instance of a reworked change.
    const version = c.reworked && c.tagsAfter[0] ? `${c.name}@${c.tagsAfter[0]}` : c.name;
    if (c.op === 'revert') {
      if (!revert) throw new InputError(`no revert script for the planned revert of "${c.name}"`, planPath, c.line);
      return {
        version: `-${c.name}`,
        name: c.name,
        framework: 'sqitch' as const,
        up: revert,
        ...(deploy ? { down: deploy } : {}),
        ...(tags.length ? { tags } : {}),
      };
    }
    if (!deploy) throw new InputError(`no deploy script ${expected} for change "${c.name}"`, planPath, c.line);
    return {
      version,
      name: c.name,
      framework: 'sqitch' as const,
      up: deploy,
      ...(revert ? { down: revert } : {}),
      ...(verify ? { verify } : {}),
      ...(tags.length ? { tags } : {}),
    };
  });
}

function readPrismaDir(root: string): MigrationDir {
  const skipped: Array<{ file: string; reason: string }> = [];
  const files: Record<string, string> = {};
  for (const e of readdirSync(root, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!e.isDirectory()) {
      if (e.name !== 'migration_lock.toml')
        skipped.push({ file: `${root}/${e.name}`, reason: 'not a Prisma migration folder' });
      continue;
    }
    for (const f of ['migration.sql', 'down.sql']) {
      const t = readSmall(`${root}/${e.name}/${f}`, skipped);
      if (t !== undefined) files[`${root}/${e.name}/${f}`] = t;
    }
    if (files[`${root}/${e.name}/migration.sql`] === undefined)
      skipped.push({ file: `${root}/${e.name}`, reason: 'no migration.sql in this folder' });
  }
  return { pairs: prismaPairs(files), skipped, format: 'prisma' };
}

/**
 * Prisma migration folders (`<dir>/<timestamp>_<name>/migration.sql`), in folder-name order as
 * `prisma migrate deploy` applies them. No down: a `down.sql` beside it (the file Prisma's guide
 * generates with `migrate diff`) is rehearsed when present.
 */
export function prismaPairs(files: Record<string, string>): MigrationPair[] {
  const out: MigrationPair[] = [];
  for (const path of Object.keys(files).sort()) {
    const m = /^(?:(.*)\/)?([^/]+)\/migration\.sql$/.exec(path);
    if (!m) continue;
    const folder = m[2]!;
    const downPath = `${m[1] !== undefined ? `${m[1]}/` : ''}${folder}/down.sql`;
    const down = files[downPath];
    out.push({
      version: folder,
      name: folder.replace(/^\d+_/, ''),
      framework: 'prisma',
      up: { path, text: files[path]! },
      ...(down !== undefined ? { down: { path: downPath, text: down } } : { noDown: PRISMA_NO_DOWN }),
    });
  }
  return out.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}

/** Files larger than this are not migrations (a data dump): reported, not run. */
export const MAX_MIGRATION_BYTES = 8 * 1024 * 1024;

function readFlatDir(dir: string): Omit<MigrationDir, 'format'> {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new InputError(`cannot read the migrations folder: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, dir);
  }
  const files: Record<string, string> = {};
  const skipped: Array<{ file: string; reason: string }> = [];
  for (const n of names) {
    if (!/\.sql$/i.test(n)) continue;
    const p = join(dir, n);
    const st = statSync(p);
    if (!st.isFile()) continue;
    if (st.size > MAX_MIGRATION_BYTES) {
      skipped.push({
        file: n,
        reason: `${st.size} bytes: larger than ${MAX_MIGRATION_BYTES}, not a migration (a data dump?)`,
      });
      continue;
    }
    files[`${dir}/${n}`] = readFileSync(p, 'utf8');
  }
  return { pairs: pairMigrations(files, skipped), skipped };
}

/** Pairs the files of one folder (names relative to it). */
export function pairMigrations(
  files: Record<string, string>,
  skipped: Array<{ file: string; reason: string }> = [],
): MigrationPair[] {
  const byVersion = new Map<string, MigrationPair>();
  const downs = new Map<string, { path: string; text: string }>();
  for (const [path, text] of Object.entries(files)) {
    const m = recognise(path, text, ['**/*.sql', '*.sql']);
    if (!m) {
      skipped.push({ file: path, reason: 'not a migration file' });
      continue;
    }
    if (m.direction === 'repeatable' || m.direction === 'verify') {
      skipped.push({ file: path, reason: `${m.framework} ${m.direction} script: not rehearsed` });
      continue;
    }
    if (m.direction === 'down') {
      downs.set(m.version, { path, text });
      continue;
    }
    if (byVersion.has(m.version)) throw new InputError(`two up migrations with version ${m.version}`, path);
    if (m.direction === 'both')
      byVersion.set(m.version, {
        version: m.version,
        name: m.name,
        framework: m.framework,
        up: { path, text: dbmateSection(text, 'up') },
        ...(/^--\s*migrate:down/m.test(text) ? { down: { path, text: dbmateSection(text, 'down') } } : {}),
      });
    else byVersion.set(m.version, { version: m.version, name: m.name, framework: m.framework, up: { path, text } });
  }
  for (const [v, d] of downs) {
    const p = byVersion.get(v);
    if (p) p.down = d;
    else skipped.push({ file: d.path, reason: `down migration without an up of version ${v}` });
  }
  return [...byVersion.values()].sort((a, b) => compareVersions(a.version, b.version));
}
