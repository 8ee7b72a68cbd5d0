/**
 * `assess --rehearse`: rehearses each migrations folder the change touches, from the last migration
 * at the base to the last at the head (version order; sqitch.plan order; Prisma folder order), and
 * turns failed steps into `database/rehearsal` findings.
 */
import type { ChangeSet, RepoReader } from '../core/change.js';
import type { Report } from '../core/rule.js';
import { UsageError } from '../core/errors.js';
import { matchAny } from '../core/glob.js';
import type { RehearseHook } from '../engine/assess.js';
import { compareVersions, recognise, type Framework } from '../surfaces/database/frameworks.js';
import { parseSqitchPlan } from '../surfaces/database/sqitch.js';
import rehearsalRule from '../surfaces/database/rules/rehearsal.js';
import { openPglite, openPostgres } from './driver.js';
import { pairMigrations, prismaPairs, sqitchLayout, sqitchPairs, type MigrationPair } from './migrations.js';
import { rehearse, type Query, type RehearsalReport } from './rehearse.js';

type Messages = 'upFailed' | 'verifyFailed' | 'oldQuery' | 'downFailed' | 'notInverse' | 'rowsLost' | 'reupFailed';

/**
 * `oneDir` (`lint --rehearse`): rehearse one migrations folder only, `dir` when given; a tree with
 * several folders and no `dir` is a usage error naming them (a whole tree's migrations are not run at once).
 */
export function rehearseHook(opts: {
  databaseUrl?: string | undefined;
  oneDir?: boolean;
  dir?: string | undefined;
}): RehearseHook {
  return async ({ changes, repo, config, reporter }) => {
    let dirs = migrationDirs(changes, config.database.migrations);
    if (opts.oneDir || opts.dir !== undefined) dirs = oneDir(dirs, opts.dir);
    if (dirs.length === 0) return [];
    const report = reporter(rehearsalRule) as Report<Messages>;
    const queries = await readQueries(repo, config.database.queries);
    const reports: RehearsalReport[] = [];
    for (const { dir, framework } of dirs) {
      const head = await readPairs(repo, 'head', dir, framework);
      const base = await readPairs(repo, 'base', dir, framework);
      const pairs = head.pairs;
      if (pairs.length === 0) continue;
      const baseVersions = base.pairs.map((p) => p.version);
      // Plan or folder order for sqitch and Prisma; the highest version otherwise.
      const from =
        framework === 'sqitch' || framework === 'prisma'
          ? ([...pairs].reverse().find((p) => baseVersions.includes(p.version))?.version ?? '0')
          : (baseVersions.sort(compareVersions).at(-1) ?? '0');
      // Nothing planned after the base (a sqitch.plan that only gained a tag, an edited old migration): nothing to run.
      if (from === pairs.at(-1)!.version) continue;
      const r = await rehearse({
        pairs,
        from,
        to: pairs.at(-1)!.version,
        queries,
        format: framework,
        skipped: head.skipped,
        open: opts.databaseUrl ? () => openPostgres(opts.databaseUrl!) : openPglite,
      });
      reports.push(r);
      toFindings(r, report, pairs.at(-1)!.down?.path ?? pairs.at(-1)!.up.path);
    }
    return reports;
  };
}

export function toFindings(r: RehearsalReport, report: Report<Messages>, lastDown: string): void {
  for (const s of r.steps) {
    // not-possible (Prisma has no down): the down-migration rule reports the missing down.
    if (s.ok || s.status === 'not-possible') continue;
    const f = s.failed;
    const at = f ? { file: f.file, line: f.line } : { file: lastDown, line: 1 };
    const data = f
      ? { statement: `${f.file}:${f.line} (${f.statement})`, error: f.error }
      : { statement: s.detail, error: s.detail };
    switch (s.step) {
      case 'up':
        report('upFailed', data, at);
        break;
      case 'verify':
        report('verifyFailed', data, at);
        break;
      case 'old-queries':
        for (const q of s.queries ?? [])
          report(
            'oldQuery',
            { query: `${q.file}:${q.line} (${q.query})`, error: q.error },
            { file: q.file, line: q.line },
          );
        break;
      case 'down':
        report('downFailed', data, at);
        break;
      case 'schema':
        report('notInverse', { diff: s.detail }, at);
        break;
      case 'rows':
        report('rowsLost', { tables: s.detail }, at);
        break;
      case 're-up':
        report('reupFailed', data, at);
        break;
      default:
        // start, base, seed: the rehearsal could not run; say so rather than pass silently.
        report('upFailed', { statement: s.step, error: s.detail }, at);
    }
  }
}

function oneDir(
  dirs: Array<{ dir: string; framework: Framework }>,
  dir: string | undefined,
): Array<{ dir: string; framework: Framework }> {
  const known = () => dirs.map((d) => `${d.dir || '.'} (${d.framework})`).join(', ') || 'none';
  if (dir !== undefined) {
    const want = dir.replace(/^\.\/?/, '').replace(/\/+$/, '');
    const found = dirs.filter((d) => d.dir === want);
    if (!found.length)
      throw new UsageError(`--migrations: no migrations folder ${JSON.stringify(dir)} (found: ${known()})`);
    return found;
  }
  if (dirs.length > 1)
    throw new UsageError(
      `--rehearse runs one migrations folder at a time; choose one with --migrations DIR (found: ${known()})`,
    );
  return dirs;
}

/** Folders holding the change's migrations (sqitch: the project root; Prisma: the migrations folder). */
function migrationDirs(changes: ChangeSet, globs: readonly string[]): Array<{ dir: string; framework: Framework }> {
  const dirs = new Map<string, Framework>();
  for (const f of changes.files) {
    if (f.newText === undefined) continue;
    if (/(^|\/)sqitch\.plan$/.test(f.path)) {
      dirs.set(f.path.replace(/\/?sqitch\.plan$/, ''), 'sqitch');
      continue;
    }
    const m = recognise(f.path, f.newText, globs);
    if (m && m.direction !== 'verify' && m.direction !== 'repeatable' && !dirs.has(m.dir)) dirs.set(m.dir, m.framework);
  }
  return [...dirs].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([dir, framework]) => ({ dir, framework }));
}

/** The pairs of one migrations folder on one side of the change. */
async function readPairs(
  repo: RepoReader,
  side: 'base' | 'head',
  dir: string,
  framework: Framework,
): Promise<{ pairs: MigrationPair[]; skipped: Array<{ file: string; reason: string }> }> {
  const skipped: Array<{ file: string; reason: string }> = [];
  const join = (...p: string[]) => [dir, ...p].filter(Boolean).join('/');
  if (framework === 'sqitch') {
    const layout = sqitchLayout(await repo.readText(side, join('sqitch.conf')));
    const plan = await repo.readText(side, join(layout.plan));
    if (plan === undefined) return { pairs: [], skipped };
    // Every script the plan can name, read before pairing (reworked changes: name@tag.sql).
    const files: Record<string, string> = {};
    const parsed = parseSqitchPlan(plan, join(layout.plan));
    for (const c of parsed.changes)
      for (const sfx of ['', ...(c.reworked ? c.tagsAfter.map((t) => `@${t}`) : [])])
        for (const kind of ['deploy', 'revert', 'verify'] as const) {
          const rel = `${layout[kind]}/${c.name}${sfx}.sql`;
          const t = await repo.readText(side, join(rel));
          if (t !== undefined) files[rel] = t;
        }
    return { pairs: sqitchPairs(plan, (rel) => files[rel], { root: dir || '.', skipped, layout }), skipped };
  }
  if (framework === 'prisma') {
    const files: Record<string, string> = {};
    let entries: Array<{ name: string; type: 'blob' | 'tree' }> = [];
    try {
      entries = await repo.listDir(side, dir || '.');
    } catch {
      return { pairs: [], skipped };
    }
    for (const e of entries) {
      if (e.type !== 'tree') continue;
      for (const f of ['migration.sql', 'down.sql']) {
        const t = await repo.readText(side, join(e.name, f));
        if (t !== undefined) files[join(e.name, f)] = t;
      }
    }
    return { pairs: prismaPairs(files), skipped };
  }
  return { pairs: pairMigrations(await readSqlFiles(repo, side, dir), skipped), skipped };
}

async function readSqlFiles(repo: RepoReader, side: 'base' | 'head', dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let entries: Array<{ name: string; type: 'blob' | 'tree' }>;
  try {
    entries = await repo.listDir(side, dir || '.');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.type !== 'blob' || !/\.sql$/i.test(e.name)) continue;
    const path = dir ? `${dir}/${e.name}` : e.name;
    const text = await repo.readText(side, path);
    if (text !== undefined) out[path] = text;
  }
  return out;
}

/** Query files at head matching the globs, under each glob's fixed folder. */
async function readQueries(repo: RepoReader, globs: readonly string[]): Promise<Query[]> {
  const out: Query[] = [];
  const seen = new Set<string>();
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 8) return;
    for (const e of await repo.listDir('head', dir || '.').catch(() => [])) {
      const p = dir ? `${dir}/${e.name}` : e.name;
      if (e.type === 'tree') await walk(p, depth + 1);
      else if (matchAny(p, [...globs]) && !seen.has(p)) {
        seen.add(p);
        const text = await repo.readText('head', p);
        if (text !== undefined) out.push({ file: p, text });
      }
    }
  };
  for (const g of globs) {
    const segs = g.split('/');
    const i = segs.findIndex((x) => /[*?[{]/.test(x));
    await walk(segs.slice(0, i < 0 ? segs.length - 1 : i).join('/'), 0);
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : 1));
}
