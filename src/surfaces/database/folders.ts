import type { SurfaceContext } from '../../core/surface.js';
import { compareVersions, dbmateSection, recognise, type MigrationFile } from './frameworks.js';
import { settledLater } from './edit-effect.js';
import { compareFolder, type FolderStep } from './folder-edit.js';
import { brokenByEdit, FolderHistory, type HistoryStep } from './history.js';
import { opsOf, phasesOf, type MigrationChange } from './model.js';
import invalidSql from './rules/invalid-sql.js';
import migrationEdited from './rules/migration-edited.js';
import { applyOps, cloneSchema, emptySchema } from './schema.js';
import type { ParsedSql } from './sql/vocabulary.js';

/*
 * A changed migration's folder read as the databases that run it: the schema each migration finds, and
 * what an edit of an applied migration does to the migrations after it on a new database.
 */

/** Operations whose rules read the schema before the migration (a column's type or nullability, an index). */
const NEEDS_SCHEMA = new Set<string>([
  'alter-column-type',
  'set-not-null',
  'drop-default',
  'drop-index',
  'drop-index-concurrently',
  'drop-constraint',
]);

/** The changed migrations grouped by framework and folder. */
export function byFolder(migrations: readonly MigrationChange[]): Iterable<MigrationChange[]> {
  const byDir = new Map<string, MigrationChange[]>();
  for (const m of migrations) {
    const k = `${m.file.framework}\0${m.file.dir}`;
    const list = byDir.get(k);
    if (list) list.push(m);
    else byDir.set(k, [m]);
  }
  return byDir.values();
}

/**
 * Gives each migration that needs it the schema before it ran: the base's migrations of its folder
 * (in the framework's order), then the change's earlier migrations of the folder. Read only for the
 * folders whose changed migrations hold an operation that needs it.
 */
export async function attachSchemas(
  ctx: SurfaceContext,
  migrations: MigrationChange[],
  walk: FolderWalk,
): Promise<void> {
  for (const list of byFolder(migrations)) {
    if (!list.some((m) => m.upOps.some((o) => NEEDS_SCHEMA.has(o.kind) || FolderHistory.follows(o)))) continue;
    if (list[0]!.file.framework === 'sqitch') continue; // plan order, not names: not modelled here
    const changed = new Map(list.map((m) => [m.file.path, m] as const));
    const schema = emptySchema();
    const history = new FolderHistory();
    for (const { file, p } of await walk.head(list)) {
      const m = changed.get(file.path);
      if (m) m.before = cloneSchema(schema);
      if (m && !m.edited) {
        // Checked on PostgreSQL only (what fails there was run on PostgreSQL 15 in the tests).
        const fails = !m.up.error && m.up.dialect === 'postgres' ? history.run(file.path, m.up.statements) : undefined;
        if (fails) m.fails = fails;
        else if (m.up.error || m.up.dialect !== 'postgres') history.lose();
        applyOps(schema, m.upOps);
        continue;
      }
      if (!p) {
        history.lose();
        continue;
      }
      if (!p.error) applyOps(schema, opsOf(p));
      // An edited migration: the databases that applied its old text and the new ones differ from here
      // on (what the edit breaks on new databases is the edit's finding).
      if (p.error || p.dialect !== 'postgres' || m?.edited) history.lose();
      else history.run(file.path, p.statements);
    }
  }
}

/**
 * A migration with a statement that fails on every database that ran its folder's history: reported at
 * that statement, and that statement and those after it are not assessed as if they ran. The framework
 * stops the migration at the error (PostgreSQL runs a multi-statement query as one implicit transaction,
 * so the statements before it are rolled back with it) and records it as failed.
 */
export function stopAtFailures(ctx: SurfaceContext, migrations: MigrationChange[]): void {
  const report = ctx.reporter(invalidSql);
  for (const m of migrations) {
    if (!m.fails) continue;
    const { statement: st, object, how, from } = m.fails;
    const source =
      how === 'there'
        ? from
          ? `created by ${from}`
          : 'created earlier in the history'
        : from
          ? `dropped by ${from}`
          : "no migration of the folder creates it";
    report(
      'failsOnSchema',
      { object, state: how === 'there' ? 'already exists' : 'does not exist', source, after: String(m.up.statements.length - m.up.statements.indexOf(st) - 1) },
      { file: m.file.path, line: st.line },
    );
    const at = m.up.statements.indexOf(st);
    if (at < 0) continue;
    m.up = { ...m.up, statements: m.up.statements.slice(0, at) };
    m.upOps = opsOf(m.up);
    m.phases = phasesOf(m.upOps);
  }
}

/**
 * The migration folders of one assessment, read once: the up migrations of a folder at a side, in the
 * framework's order, each text parsed once (a text met again, at the other side or in another folder,
 * is not parsed again).
 */
export class FolderWalk {
  private readonly folders = new Map<string, Promise<FolderStep[]>>();
  private readonly parsed = new Map<string, Promise<ParsedSql> | ParsedSql>();

  constructor(
    private readonly ctx: SurfaceContext,
    private readonly globs: readonly string[],
    private readonly parseText: (text: string) => Promise<ParsedSql> | ParsedSql,
  ) {}

  /** The folder of `list` (changed migrations of one framework and folder) at head, with the changed ones. */
  head(list: readonly MigrationChange[]): Promise<FolderStep[]> {
    return this.at('head', list[0]!.file.framework, list[0]!.file.dir, list.map((m) => m.file));
  }

  at(side: 'base' | 'head', framework: MigrationFile['framework'], dir: string, extra: readonly MigrationFile[] = []): Promise<FolderStep[]> {
    const key = `${side}\0${framework}\0${dir}`;
    let hit = this.folders.get(key);
    if (!hit) {
      hit = this.read(side, framework, dir, extra);
      this.folders.set(key, hit);
    }
    return hit;
  }

  parse(text: string): Promise<ParsedSql> | ParsedSql {
    let hit = this.parsed.get(text);
    if (hit === undefined) {
      hit = this.parseText(text);
      this.parsed.set(text, hit);
      if (hit instanceof Promise) void hit.then((p) => this.parsed.set(text, p));
    }
    return hit;
  }

  private async read(side: 'base' | 'head', framework: MigrationFile['framework'], dir: string, extra: readonly MigrationFile[]): Promise<FolderStep[]> {
    const files = await filesOf(this.ctx, side, framework, dir, this.globs);
    for (const m of extra) if (!files.some((f) => f.path === m.path)) files.push(m);
    files.sort((x, y) => compareVersions(x.version, y.version) || (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
    return Promise.all(
      files.map(async (file) => {
        const text = await this.ctx.repo.readText(side, file.path);
        if (text === undefined) return { file };
        return { file, p: await this.parse(framework === 'dbmate' ? dbmateSection(text, 'up') : text) };
      }),
    );
  }
}

/** The up migrations of a framework's folder at a side (unsorted). */
async function filesOf(
  ctx: SurfaceContext,
  side: 'base' | 'head',
  framework: MigrationFile['framework'],
  dir: string,
  globs: readonly string[],
): Promise<MigrationFile[]> {
  const files: MigrationFile[] = [];
  const entries = await ctx.repo.listDir(side, dir || '.');
  for (const e of entries) {
    const path = dir ? `${dir}/${e.name}` : e.name;
    const mf: MigrationFile | undefined =
      framework === 'prisma'
        ? e.type === 'tree'
          ? recognise(`${path}/migration.sql`, undefined, globs)
          : undefined
        : e.type === 'blob'
          ? recognise(path, undefined, globs)
          : undefined;
    if (mf && mf.framework === framework && (mf.direction === 'up' || framework === 'plain')) files.push(mf);
  }
  return files;
}

/**
 * For each folder where the change edits an applied migration: the history a new database runs, at head
 * and with the edits undone, and the first later migration that the edit makes fail there (a drop of
 * what the edited migration no longer creates, without IF EXISTS), reported at that statement.
 */
export async function followEdits(ctx: SurfaceContext, migrations: MigrationChange[], walk: FolderWalk): Promise<void> {
  for (const list of byFolder(migrations)) {
    if (!list.some((m) => m.edited?.old) || list[0]!.file.framework === 'sqitch') continue;
    const changed = new Map(list.map((m) => [m.file.path, m] as const));
    const steps: HistoryStep[] = [];
    const head = await walk.head(list);
    for (const { file, p } of head) {
      if (!p) continue;
      if (p.error) break; // a new database stops here anyway (reported as invalid SQL when it is the change's)
      const old = changed.get(file.path)?.edited?.old;
      steps.push({ path: file.path, head: p.statements, ...(old ? { edited: old } : {}) });
    }
    // What a later migration touches again is settled there (or breaks there, below): not a lasting difference.
    for (let i = 0; i < steps.length; i++) {
      const m = changed.get(steps[i]!.path);
      if (!m?.edited?.schema) continue;
      const settled = settledLater(m.edited.schema, steps.slice(i + 1).flatMap((st) => st.head.flatMap((x) => x.ops)));
      if (settled) m.edited.schema = settled;
      else delete m.edited.schema;
    }
    const broken = brokenByEdit(steps);
    if (broken)
      ctx.reporter(migrationEdited)(
        broken.how === 'gone' ? 'breaksLater' : 'collidesLater',
        { path: broken.edited, later: broken.path, object: broken.object, line: String(broken.statement.line) },
        { file: broken.path, line: broken.statement.line },
      );
    // Where a new database runs the whole folder at head, the folder's end states compare (else the
    // edit is read file by file, above).
    else if (head.every((s) => s.p && !s.p.error))
      compareFolder(list, head, await walk.at('base', list[0]!.file.framework, list[0]!.file.dir));
  }
}
