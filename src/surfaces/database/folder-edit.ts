/**
 * An edit of applied migrations read against the whole folder: the schema a database has after applying
 * the folder's old migrations (in order) and then the new ones it has not recorded, against the schema a
 * new database gets from the folder at head.
 */
import { asSchemaEdit, compareEndStates, EndState, unseenApart } from './folder-effect.js';
import type { MigrationFile } from './frameworks.js';
import { opsOf, phasesOf, type MigrationChange } from './model.js';
import type { Op, ParsedSql } from './sql/vocabulary.js';
import { statementKey } from './statement-key.js';

/** One up migration of a folder, in the framework's order, with its up text parsed (undefined: unreadable). */
export interface FolderStep {
  file: MigrationFile;
  p?: ParsedSql;
}

/** Operations on rows (or code the reader cannot see into): not schema, and not moved by a squash. */
const ROWS = new Set<Op['kind']>(['update-all', 'update-where', 'delete', 'truncate', 'insert', 'opaque-body']);

/**
 * Sets, on each edited migration of one folder (`list`, its steps at head `head` and at the base `base`), what the folder's end
 * states make of the edit (`edited.folder`), and drops from its assessed statements those that ran on the
 * databases that applied the folder: a statement of the base folder's text (moved or folded here) ran
 * there in its own migration; when the end states are the same and the edit adds no rows, none of the
 * edit's statements reaches those databases, and a new database runs them on the tables its first
 * migrations just created.
 */
export function compareFolder(list: readonly MigrationChange[], head: readonly FolderStep[], base: readonly FolderStep[]): void {
  const edited = list.filter((m) => m.edited);
  // Compared where every edited migration's old text ran whole and every text of the folder was read by
  // one parser (types as one parser names them); else the edit is read file by file.
  if (edited.length === 0 || edited.some((m) => !m.edited!.ranWhole)) return;
  if (base.length === 0 || base.some((s) => !s.p || s.p.error)) return;
  if (new Set([...base, ...head].map((s) => s.p!.dialect)).size > 1) return;
  const ids = new Set(base.map((s) => s.file.version));
  const folderDialect = base[0]!.p!.dialect;
  const applied = new EndState(folderDialect);
  for (const s of base) applied.run(s.file.path, s.p!.statements);
  for (const s of head) if (!ids.has(s.file.version)) applied.run(s.file.path, s.p!.statements);
  const fresh = new EndState(folderDialect);
  for (const s of head) fresh.run(s.file.path, s.p!.statements);
  const diffs = compareEndStates(applied, fresh);
  const apart = unseenApart(applied, fresh);
  const order = new Map(head.map((s, i) => [s.file.path, i] as const));
  edited.sort((a, b) => (order.get(a.file.path) ?? 0) - (order.get(b.file.path) ?? 0));
  const owner = (from: readonly string[]) => edited.find((m) => from.includes(m.file.path)) ?? edited[0]!;
  const unknown = new Set([...apart].map((p) => owner([p]).file.path));
  for (const m of edited) {
    const mine = diffs.filter((d) => owner(d.from) === m);
    const real = mine.filter((d) => !d.redundant);
    const dialect = m.up.dialect;
    const ran = new Set(base.flatMap((s) => s.p!.statements.map((st) => statementKey(st.text, dialect))));
    const notRan = m.up.statements.filter((st) => !ran.has(statementKey(st.text, dialect)));
    // A changed statement keeps only the operations the old one did not do (an INSERT whose values changed
    // keeps none): whether it writes rows is read from the whole statement.
    const whole = new Map((m.edited!.head ?? []).map((st) => [st.line, st] as const));
    // A statement whose effect the reader cannot see (a CALL, a CREATE EXTENSION) that one run has and the
    // other has not: not known to leave the same database.
    const rows = notRan.some((st) => (whole.get(st.line) ?? st).ops.some((o) => ROWS.has(o.kind))) || unknown.has(m.file.path);
    const keep = real.length > 0 || rows ? notRan : [];
    const schema = asSchemaEdit(real);
    const before = m.edited!.schema;
    if (schema) m.edited!.schema = schema;
    else delete m.edited!.schema;
    m.edited!.folder = {
      moved: keep.length < m.up.statements.length || (!!before && !schema),
      redundant: mine.flatMap((d) => (d.redundant ? [d.redundant] : [])),
    };
    if (keep.length === m.up.statements.length) continue;
    m.up = { ...m.up, statements: keep };
    m.upOps = opsOf(m.up);
    m.phases = phasesOf(m.upOps);
    m.edited!.statements = keep.length;
  }
}
