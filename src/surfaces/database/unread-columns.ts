/**
 * Columns a change drops that the running version does not use: for a Prisma migrations folder, the
 * columns of a table the base's Prisma schema models that none of its fields maps (the running version
 * neither selects nor writes them); and of those, the ones that hold only NULLs because the folder's
 * history added them nullable without a default and no later statement names them (no UPDATE, INSERT,
 * default, rename or code that could fill them).
 */
import { byFolder, type FolderWalk } from './folders.js';
import type { SurfaceContext } from '../../core/surface.js';
import type { MigrationChange } from './model.js';
import { basePrismaSchema, unmapped } from './prisma-schema.js';
import { tableKey } from './schema.js';
import type { Op, Statement } from './sql/vocabulary.js';

/** Types and clauses that fill a column added without a DEFAULT clause (a sequence, an identity, a generated value). */
const FILLS = /\b(GENERATED|AUTO_INCREMENT|IDENTITY|(SMALL|BIG)?SERIAL[248]?)\b/i;

/** Operations on the table they name and nothing else (no code that runs later, no view over other tables). */
const ON_TABLE: ReadonlySet<Op['kind']> = new Set<Op['kind']>([
  'create-table',
  'add-column',
  'add-column-default',
  'add-column-required',
  'add-column-volatile-default',
  'drop-column',
  'rename-column',
  'alter-column-type',
  'set-not-null',
  'drop-not-null',
  'drop-default',
  'create-index',
  'create-index-concurrently',
  'add-constraint',
  'add-constraint-not-valid',
  'update-all',
  'update-where',
  'insert',
  'delete',
]);

const named = (text: string, column: string) =>
  new RegExp(`(^|[^\\w$])${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w$])`, 'i').test(text.replace(/[`"]/g, ''));

/**
 * Follows one column through statements in the order they ran: the statement that adds it nullable
 * without a default or fill makes it all NULL; any other statement that names it (or renames or drops
 * its table, or that could not be read) may have filled it.
 */
class NullColumn {
  onlyNulls: string | undefined;
  constructor(
    private readonly table: string,
    private readonly column: string,
  ) {}

  clone(): NullColumn {
    const c = new NullColumn(this.table, this.column);
    c.onlyNulls = this.onlyNulls;
    return c;
  }

  run(path: string, statements: readonly Statement[]): void {
    for (const st of statements) {
      const adds = st.ops.some(
        (o) =>
          o.kind === 'add-column' && o.column === this.column && tableKey(o.table) === this.table,
      );
      const creates = st.ops.some((o) => o.kind === 'create-table' && tableKey(o.table) === this.table);
      const tableGone = st.ops.some(
        (o) => (o.kind === 'drop-table' || o.kind === 'rename-table') && tableKey(o.table) === this.table,
      );
      // A statement about other tables only (every operation read, on another table) that names a column
      // of the same name: `ALTER TABLE audit ADD COLUMN memo`.
      const elsewhere =
        st.ops.length > 0 && st.ops.every((o) => !!o.table && tableKey(o.table) !== this.table && ON_TABLE.has(o.kind));
      if (adds) this.onlyNulls = FILLS.test(st.text) ? undefined : `${path}:${st.line}`;
      else if (creates || tableGone || (named(st.text, this.column) && !elsewhere)) this.onlyNulls = undefined;
    }
  }
}

/**
 * Gives each Prisma migration that drops a column its `unread` columns, on the folders' one walk.
 * The history is read only for columns the base's schema does not map.
 */
export async function attachUnreadColumns(ctx: SurfaceContext, migrations: MigrationChange[], walk: FolderWalk): Promise<void> {
  for (const list of byFolder(migrations)) {
    if (list[0]!.file.framework !== 'prisma' || !list.some((m) => m.upOps.some((o) => o.kind === 'drop-column'))) continue;
    const orm = await basePrismaSchema(ctx, list[0]!.file.dir);
    if (!orm) continue;
    const wanted = new Map<MigrationChange, Array<{ key: string; follow: NullColumn }>>();
    for (const m of list)
      for (const o of m.upOps)
        if (o.kind === 'drop-column' && o.table && o.column && unmapped(orm, tableKey(o.table), o.column)) {
          const key = `${tableKey(o.table)}.${o.column}`;
          (m.unread ??= new Map()).set(key, { orm: orm.path });
          const all = wanted.get(m) ?? [];
          all.push({ key, follow: new NullColumn(tableKey(o.table), o.column) });
          wanted.set(m, all);
        }
    if (wanted.size === 0) continue;
    const changed = new Map(list.map((m) => [m.file.path, m] as const));
    const followed = [...wanted.values()].flat().map((w) => w.follow);
    for (const { file, p } of await walk.head(list)) {
      const m = changed.get(file.path);
      if (m) {
        // An edited migration ran as its old text where it was applied: what it left is not known here.
        if (m.edited) break;
        for (const { key, follow } of wanted.get(m) ?? []) {
          const drop = m.upOps.find((o) => o.kind === 'drop-column' && `${tableKey(o.table)}.${o.column}` === key)!;
          const copy = follow.clone();
          copy.run(file.path, m.up.statements.filter((st) => st.line < drop.line));
          if (copy.onlyNulls) m.unread!.get(key)!.onlyNulls = copy.onlyNulls;
        }
        for (const f of followed) f.run(file.path, m.up.statements);
        continue;
      }
      if (!p || p.error) break;
      for (const f of followed) f.run(file.path, p.statements);
    }
  }
}
