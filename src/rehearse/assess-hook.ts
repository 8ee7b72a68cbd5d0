/**
 * `assess --rehearse`: rehearses each migrations folder the change touches, from the highest version
 * at the base to the highest at the head, and turns failed steps into `database/rehearsal` findings.
 */
import type { ChangeSet, RepoReader } from '../core/change.js';
import type { Report } from '../core/rule.js';
import { matchAny } from '../core/glob.js';
import type { RehearseHook } from '../engine/assess.js';
import { compareVersions, recognise } from '../surfaces/database/frameworks.js';
import rehearsalRule from '../surfaces/database/rules/rehearsal.js';
import { openPglite, openPostgres } from './driver.js';
import { pairMigrations } from './migrations.js';
import { rehearse, type Query, type RehearsalReport } from './rehearse.js';

type Messages = 'upFailed' | 'oldQuery' | 'downFailed' | 'notInverse' | 'rowsLost' | 'reupFailed';

export function rehearseHook(opts: { databaseUrl?: string | undefined }): RehearseHook {
  return async ({ changes, repo, config, reporter }) => {
    const dirs = migrationDirs(changes, config.database.migrations);
    if (dirs.length === 0) return [];
    const report = reporter(rehearsalRule) as Report<Messages>;
    const queries = await readQueries(repo, config.database.queries);
    const reports: RehearsalReport[] = [];
    for (const dir of dirs) {
      const head = await readSqlFiles(repo, 'head', dir);
      const base = await readSqlFiles(repo, 'base', dir);
      const baseVersions = pairMigrations(base).map((p) => p.version);
      const pairs = pairMigrations(head);
      if (pairs.length === 0) continue;
      const from = baseVersions.sort(compareVersions).at(-1) ?? '0';
      const r = await rehearse({
        pairs,
        from,
        to: pairs.at(-1)!.version,
        queries,
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
    if (s.ok) continue;
    const f = s.failed;
    const at = f ? { file: f.file, line: f.line } : { file: lastDown, line: 1 };
    const data = f
      ? { statement: `${f.file}:${f.line} (${f.statement})`, error: f.error }
      : { statement: s.detail, error: s.detail };
    switch (s.step) {
      case 'up':
        report('upFailed', data, at);
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

/** Folders holding the change's up migrations of frameworks with down files. */
function migrationDirs(changes: ChangeSet, globs: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const f of changes.files) {
    if (f.newText === undefined) continue;
    const m = recognise(f.path, f.newText, globs);
    if (
      m &&
      (m.framework === 'golang-migrate' ||
        m.framework === 'dbmate' ||
        m.framework === 'flyway' ||
        m.framework === 'plain')
    )
      dirs.add(m.dir);
  }
  return [...dirs].sort();
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
