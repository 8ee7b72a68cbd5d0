/**
 * What an edit of an applied migration leaves different between databases: those that applied the old
 * text keep its schema (the framework never runs the migration again there), those that run the new
 * text get the new one. Read as facts about the schema (a column with its type and nullability, a
 * rename, an index, a constraint), so that an edit that only re-formats, re-quotes or comments leaves
 * no difference. Data statements (INSERT, UPDATE, DELETE) are not schema and are left to the rules.
 */
import { firstCertainFailure, readClickHouse, type ClickHouseOp, type ClickHouseStatement } from './sql/clickhouse.js';
import { firstRerunFailure } from './history.js';
import type { Op, Statement } from './sql/vocabulary.js';
import { tableKey } from './schema.js';
import { statementKey } from './statement-key.js';

export const NOT_SCHEMA = new Set<Op['kind']>([
  'update-all',
  'update-where',
  'delete',
  'truncate',
  'insert',
  'begin',
  'commit',
  'opaque-body',
]);

/** A fact about the schema a text leaves, with the objects (tables, `table.column`) it is about. */
interface Fact {
  fact: string;
  objects: string[];
}

/** The objects an operation is about: its table, and its column (and a rename's new name) on that table. */
export function objectsOf(o: Op): string[] {
  const t = tableKey(o.table).toLowerCase();
  const out = [t];
  if (o.column) out.push(`${t}.${o.column.toLowerCase()}`);
  if (o.kind === 'rename-column' && o.name) out.push(`${t}.${o.name.toLowerCase()}`);
  if (o.kind === 'rename-table' && o.name) out.push(tableKey(o.name).toLowerCase());
  for (const c of o.columns ?? []) out.push(`${t}.${c.toLowerCase()}`);
  return out;
}

/** The schema facts one operation leaves, in words a reader of the finding recognises. */
export function factsOf(o: Op): Fact[] {
  if (NOT_SCHEMA.has(o.kind)) return [];
  const t = tableKey(o.table);
  const col = o.column ? `${t}.${o.column}` : t;
  const objects = objectsOf(o);
  const one = (fact: string): Fact[] => [{ fact, objects }];
  switch (o.kind) {
    case 'create-table':
      return (o.defs ?? []).map((d) => ({
        fact: `${t}.${d.name} ${d.type}${d.notNull ? ' NOT NULL' : ''}`,
        objects: [`${t.toLowerCase()}.${d.name.toLowerCase()}`],
      }));
    case 'rename-column':
      return one(`${col} renamed to ${o.name ?? '?'}`);
    case 'rename-table':
      return one(`${t} renamed to ${o.name ?? '?'}`);
    case 'add-column':
    case 'add-column-default':
    case 'add-column-volatile-default':
    case 'add-column-required':
      return one(`${col} ${o.detail ?? ''}${o.kind === 'add-column-required' ? ' NOT NULL' : ''}`.trim());
    case 'drop-column':
      return one(`${col} dropped`);
    case 'drop-table':
      return one(`${t} dropped`);
    case 'set-not-null':
      return one(`${col} NOT NULL`);
    case 'drop-not-null':
      return one(`${col} nullable`);
    case 'alter-column-type':
      return one(`${col} of type ${o.detail ?? '?'}`);
    case 'create-index':
    case 'create-index-concurrently':
      return one(`${o.unique ? 'unique ' : ''}index ${o.name ?? '?'} on ${t} (${(o.columns ?? []).join(', ')})`);
    default:
      return one([o.kind.replace(/-/g, ' '), o.table && t, o.column, o.name, o.detail].filter(Boolean).join(' '));
  }
}

/** The object a CREATE makes or a DROP removes (a table, view, routine, index or type), to cancel pairs. */
function objectOf(o: Op): string | undefined {
  const name = (o.name ?? o.table ?? '').replace(/^public\./, '').toLowerCase();
  switch (o.kind) {
    case 'create-table':
    case 'drop-table':
      return `table:${tableKey(o.table).toLowerCase()}`;
    case 'create-view':
    case 'create-function':
    case 'drop-view':
      return `routine:${(o.table ?? o.name ?? '').replace(/^public\./, '').toLowerCase()}`;
    case 'create-index':
    case 'create-index-concurrently':
    case 'drop-index':
    case 'drop-index-concurrently':
      return `index:${name}`;
    case 'create-type':
    case 'drop-type':
      return `type:${name}`;
    default:
      return undefined;
  }
}

/**
 * The facts of the schema a text leaves: what it creates and later drops in the same text (a helper
 * procedure, a scratch table) leaves nothing.
 */
function leftBy(ops: readonly Op[]): Fact[] {
  const out: Array<Fact & { object?: string }> = [];
  for (const o of ops) {
    const object = objectOf(o);
    if (object && o.kind.startsWith('drop-') && out.some((f) => f.object === object)) {
      for (let i = out.length - 1; i >= 0; i--) if (out[i]!.object === object) out.splice(i, 1);
      continue;
    }
    for (const f of factsOf(o)) out.push(object && !o.kind.startsWith('drop-') ? { ...f, object } : f);
  }
  return out;
}

/** The facts of a ClickHouse operation (its DDL only; mutations of data are not schema). */
function clickhouseFactsOf(o: ClickHouseOp): Fact[] {
  switch (o.kind) {
    case 'renameColumn':
      return [{ fact: `${o.table}.${o.from} renamed to ${o.to}`, objects: [] }];
    case 'createTable':
    case 'expand':
    case 'dropTable':
    case 'modifyColumn':
    case 'renameTables':
    case 'exchange':
      return [{ fact: JSON.stringify(o), objects: [] }];
    default:
      return [];
  }
}

export interface SchemaEdit {
  /** What databases that applied the old text have, and the new text does not leave. */
  old: string[];
  /** What the new text leaves, and databases that applied the old text lack. */
  new: string[];
  /** The objects each difference is about (old's, then new's), to let later migrations settle it. */
  objects?: string[][];
}

function difference(oldFacts: Fact[], newFacts: Fact[]): SchemaEdit | undefined {
  const left = new Map<string, Fact[]>();
  for (const f of oldFacts) left.set(f.fact, [...(left.get(f.fact) ?? []), f]);
  const added: Fact[] = [];
  for (const f of newFacts) {
    const same = left.get(f.fact);
    if (same && same.length > 0) same.shift();
    else added.push(f);
  }
  const removed = [...left.values()].flat();
  if (removed.length === 0 && added.length === 0) return undefined;
  return {
    old: removed.map((f) => f.fact),
    new: added.map((f) => f.fact),
    objects: [...removed, ...added].map((f) => f.objects),
  };
}

/**
 * The difference left once the later migrations of the folder have run: a fact about an object that a
 * later migration touches (drops, alters, renames or creates again) is settled there, or is that later
 * migration's business on a new database (see the history rules), not a lasting difference.
 */
export function settledLater(edit: SchemaEdit, laterOps: readonly Op[]): SchemaEdit | undefined {
  if (!edit.objects || laterOps.length === 0) return edit;
  const touched = new Set(laterOps.filter((o) => !NOT_SCHEMA.has(o.kind)).flatMap((o) => objectsOf(o).slice(1)));
  for (const o of laterOps)
    if (o.kind === 'drop-table' || o.kind === 'rename-table') touched.add(tableKey(o.table).toLowerCase());
  const keep = (i: number) => !edit.objects![i]!.some((x) => touched.has(x));
  const old = edit.old.filter((_, i) => keep(i));
  const neu = edit.new.filter((_, i) => keep(edit.old.length + i));
  if (old.length === 0 && neu.length === 0) return undefined;
  const objects = edit.objects.filter((_, i) => keep(i));
  return { old, new: neu, objects };
}

/** The schema difference between the old text's operations (those that ran) and the new text's. */
export function schemaEdit(oldOps: readonly Op[], newOps: readonly Op[]): SchemaEdit | undefined {
  return difference(leftBy(oldOps), leftBy(newOps));
}

/** The same, for ClickHouse statements' operations. */
export function clickhouseSchemaEdit(
  oldOps: readonly ClickHouseOp[],
  newOps: readonly ClickHouseOp[],
): SchemaEdit | undefined {
  const d = difference(oldOps.flatMap(clickhouseFactsOf), newOps.flatMap(clickhouseFactsOf));
  if (!d) return undefined;
  // Only renames are named in words; the other ClickHouse DDL by its kind and table.
  const words = (f: string) => {
    if (!f.startsWith('{')) return f;
    const o = JSON.parse(f) as { kind: string; table?: string; view?: string; what?: string; column?: string };
    return [o.kind, o.table ?? o.view, o.column, o.what].filter(Boolean).join(' ');
  };
  return { old: d.old.map(words), new: d.new.map(words) };
}

/** A short list for a message: the first few, then how many more. */
export function listFacts(facts: readonly string[], none: string): string {
  if (facts.length === 0) return none;
  const shown = facts.slice(0, 4).join('; ');
  return facts.length > 4 ? `${shown} (and ${facts.length - 4} more)` : shown;
}

/**
 * The changed statements of an edit without the renames the old text already did from the same name (a
 * rename whose target only changed: `RENAME a TO b` edited to `RENAME a TO c`): on a database that runs
 * the new text the old name goes away as it did before, so the running version's failure on it is not
 * the edit's; what differs (b against c) is the schema difference the edit finding names.
 */
export function withoutRetargetedRenames<S extends { ops: Op[] }>(changed: readonly S[], oldOps: readonly Op[]): S[] {
  const renamedBefore = new Set<string>();
  for (const o of oldOps) {
    if (o.kind === 'rename-column') renamedBefore.add(`c\0${tableKey(o.table)}\0${o.column ?? ''}`);
    if (o.kind === 'rename-table') renamedBefore.add(`t\0${tableKey(o.table)}`);
  }
  if (renamedBefore.size === 0) return changed.slice();
  const keyOf = (o: Op) =>
    o.kind === 'rename-column'
      ? `c\0${tableKey(o.table)}\0${o.column ?? ''}`
      : o.kind === 'rename-table'
        ? `t\0${tableKey(o.table)}`
        : undefined;
  return changed.map((st) => {
    const ops = st.ops.filter((o) => {
      const k = keyOf(o);
      return k === undefined || !renamedBefore.has(k);
    });
    return ops.length === st.ops.length ? st : { ...st, ops };
  });
}

/**
 * The statements of an edited ClickHouse migration that the edit added or changed: those whose text the
 * old file had (whitespace and comments aside) ran before and are not the change's, and a column rename
 * whose target only changed is not a new rename either.
 */
export function changedClickHouse<S extends { text: string; ops: ClickHouseOp[] }>(
  statements: readonly S[],
  old: readonly S[],
): S[] {
  const norm = (t: string) => statementKey(t, 'clickhouse');
  const before = new Map<string, number>();
  for (const st of old) before.set(norm(st.text), (before.get(norm(st.text)) ?? 0) + 1);
  const renamed = new Set<string>();
  for (const st of old) for (const o of st.ops) if (o.kind === 'renameColumn') renamed.add(`${o.table}\0${o.from}`);
  const out: S[] = [];
  for (const st of statements) {
    const n = before.get(norm(st.text)) ?? 0;
    if (n > 0) {
      before.set(norm(st.text), n - 1);
      continue;
    }
    const ops = st.ops.filter((o) => !(o.kind === 'renameColumn' && renamed.has(`${o.table}\0${o.from}`)));
    out.push(ops.length === st.ops.length ? st : { ...st, ops });
  }
  return out;
}

/** The migration-edited finding for an edit: its message and data. */
export function editFinding(
  path: string,
  from: string,
  statements: number,
  schema: SchemaEdit | undefined,
): { id: 'edited' | 'editedSchema' | 'editedNothingNew'; data: Record<string, string> } {
  const data = { path, from, count: String(statements) };
  if (schema) {
    const kept = listFacts(schema.old, '');
    const left = listFacts(schema.new, '');
    const difference =
      kept && left
        ? `they keep ${kept}, where the new text leaves ${left}`
        : kept
          ? `they keep ${kept}, which the new text no longer leaves`
          : `they miss what only the new text does (${left})`;
    return { id: 'editedSchema', data: { ...data, difference } };
  }
  return { id: statements > 0 ? 'edited' : 'editedNothingNew', data };
}

/**
 * A ClickHouse migration's statements, and when it is an edit of one that existed at the same path
 * (`oldText`), only those the edit added or changed, with the edit's finding. Such a migration is run by
 * hand, statement by statement and without a transaction, stopping at the first error: when the old text
 * fails on every database at a statement the edit changed or removed (see `firstCertainFailure`), what
 * followed it never ran anywhere, so every statement of the new text that is not one of those that ran
 * before it is new. The new text stops in its turn at its first statement that runs into the next (a
 * syntax error): none after it runs, and that statement is `stopped` when the change brings the missing
 * `;` (the old text did not lack one before the same next statement), undefined when it lacked it too.
 */
export function readClickHouseEdit(
  path: string,
  text: string,
  oldText: string | undefined,
  folded: readonly string[] = [],
): {
  statements: ClickHouseStatement[];
  stopped?: ClickHouseStatement;
  edit?: ReturnType<typeof editFinding> | { id: 'editedStoppedBefore' | 'editedSameSchema'; data: Record<string, string> };
} {
  const all = readClickHouse(text);
  const stop = all.findIndex((st) => st.runsInto);
  const statements = stop < 0 ? all : all.slice(0, stop + 1);
  const old = oldText === undefined ? [] : readClickHouse(oldText);
  // The `;` was missing before the same statement in the old text: the file stopped there before too.
  const stillStops = stop >= 0 && old.some((st) => st.runsInto?.next === all[stop]!.runsInto!.next);
  const split = (changed: ClickHouseStatement[]) => ({
    statements: changed.filter((st) => !st.runsInto),
    ...(changed.at(-1)?.runsInto && !stillStops ? { stopped: changed.at(-1)! } : {}),
  });
  if (oldText === undefined) return split(statements);
  const failed = firstCertainFailure(old);
  const norm = (t: string) => statementKey(t, 'clickhouse');
  if (failed && !all.some((st) => norm(st.text) === norm(old[failed.index]!.text))) {
    const changed = changedClickHouse(statements, old.slice(0, failed.index));
    // A new text that stops in its turn does not fix the old one (its own stop is reported, when new).
    if (stop >= 0) return { ...split(changed), edit: editFinding(path, path, changed.length, undefined) };
    const data = { path, line: String(old[failed.index]!.line), why: failed.why, count: String(changed.length) };
    return { ...split(changed), edit: { id: 'editedStoppedBefore', data } };
  }
  // What the old text ran: nothing from its own statement that ran into the next. Later migrations of the
  // folder that the change deletes, folded into this one: a database that applied the folder ran their
  // statements there, so they are neither new nor a difference here.
  const oldStop = old.findIndex((st) => st.runsInto);
  const oldRan = oldStop < 0 ? old : old.slice(0, oldStop);
  const ran = [...oldRan, ...folded.flatMap((t) => readClickHouse(t))];
  const schema = clickhouseSchemaEdit(
    ran.flatMap((st) => st.ops),
    statements.flatMap((st) => st.ops),
  );
  const changed = changedClickHouse(statements, ran);
  if (!schema && changed.length < changedClickHouse(statements, oldRan).length)
    return { ...split(changed), edit: { id: 'editedSameSchema', data: { path, from: path, redundant: '' } } };
  return { ...split(changed), edit: editFinding(path, path, changed.length, schema) };
}

/**
 * Applied migrations squashed into a new one (a new Prisma folder, a new version) that the change adds
 * beside their deletion: a database that applied them records their ids, not the new one, so the
 * framework runs the new one there as new. Its statements that were in the deleted migrations ran there
 * already; it fails at the first of them that cannot run twice (a rename of a column already renamed, a
 * CREATE of what exists). Returns that statement and the deleted migrations it repeats, or undefined
 * when the new migration repeats none of them or every one re-runs cleanly.
 */
export function squashedRerun(
  statements: readonly Statement[],
  gone: ReadonlyArray<{ path: string; statements: readonly string[] }>,
  key: (text: string) => string,
): { fails: Statement; from: string[] } | undefined {
  const ran = new Map<string, string>();
  for (const g of gone) for (const t of g.statements) ran.set(key(t), g.path);
  const again = statements.filter((st) => ran.has(key(st.text)));
  const fails = again.length > 0 ? firstRerunFailure(again) : undefined;
  if (!fails) return undefined;
  return { fails, from: [...new Set(again.map((st) => ran.get(key(st.text))!))] };
}
