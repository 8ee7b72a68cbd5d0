import type { ChangedFile } from '../../core/change.js';
import type { SurfaceContext } from '../../core/surface.js';
import {
  DBMATE_DOWN,
  dbmateSection,
  expectedDownPath,
  recognise,
  wrapsInTransaction,
  type MigrationFile,
} from './frameworks.js';
import { attachSchemas, FolderWalk, followEdits, stopAtFailures } from './folders.js';
import { readClickHouseEdit, schemaEdit, squashedRerun, withoutRetargetedRenames } from './edit-effect.js';
import { failsEverywhere, firstFailureAfter, firstRerunFailure, withoutOpsThatRan } from './history.js';
import { attachUnreadColumns } from './unread-columns.js';
import { newTableKey, opsOf, phasesOf, tablesCreated, type DbContext, type DownMigration, type MigrationChange } from './model.js';
import { databaseRules } from './rules/index.js';
import clickhouseStatement, { type ClickHouseFile } from './rules/clickhouse-statement.js';
import invalidSql from './rules/invalid-sql.js';
import migrationEdited from './rules/migration-edited.js';
import mysqlReducedCoverage from './rules/mysql-reduced-coverage.js';
import type { ParsedSql, Statement } from './sql/vocabulary.js';
import { statementKey } from './statement-key.js';

let warming = false;

const DIRECTION_WORD = {
  up: 'up migration',
  down: 'down migration',
  both: 'migration',
  repeatable: 'repeatable migration',
  verify: 'verify script',
} as const;
const ID_WORD = {
  prisma: 'its folder name (recorded in _prisma_migrations)',
  'golang-migrate': 'its version (recorded in schema_migrations)',
  flyway: 'its version (recorded in flyway_schema_history)',
  dbmate: 'its version (recorded in schema_migrations)',
  sqitch: 'its change name in sqitch.plan',
  plain: 'its version',
} as const;

/**
 * ClickHouse's dialect (a `clickhouse` folder, or its table engines and codecs): the PostgreSQL and
 * MySQL parsers cannot read it, and its DDL behaves differently (no transactions, mutations run
 * asynchronously), so the file is reported as not assessed rather than as invalid SQL.
 */
function isClickHouse(path: string, text: string): boolean {
  return (
    /(^|\/)clickhouse(\/|$)/i.test(path) ||
    /\bENGINE\s*=\s*(\w+)?MergeTree\b|\bCODEC\s*\(|\bLowCardinality\s*\(|\bReplicatedMergeTree\b/i.test(text)
  );
}
const SQL_PATH = /\.sql$/i;

/**
 * Every `.sql` file: which ones are migrations is decided with the config and the text (below).
 * The first claimed file starts loading the WebAssembly parser, so that its compilation overlaps the
 * git reads that follow; a change without SQL never starts it.
 */
export function claimsSql(path: string): boolean {
  if (!SQL_PATH.test(path)) return false;
  if (!warming) {
    warming = true;
    void import('./sql/postgres.js').then((m) => m.loadPgParser()).catch(() => undefined);
  }
  return true;
}

/** Reads the migrations of the change and runs the database rules on them. */
export async function assessMigrations(ctx: SurfaceContext): Promise<void> {
  const dctx = await buildDbContext(ctx);
  if (dctx) await ctx.run(databaseRules, dctx);
}

/**
 * The migrations the change adds or modifies, parsed and paired with their downs; the SQL files that
 * are not migrations are listed as skipped, and what does not parse is reported (invalid-sql).
 */
export async function buildDbContext(ctx: SurfaceContext): Promise<DbContext | undefined> {
  const globs = ctx.config.database.migrations;
  const recognised: Array<{ f: ChangedFile; m: MigrationFile }> = [];
  const renamed: Array<{ f: ChangedFile; m: MigrationFile; from: string }> = [];
  const clickhouse: ClickHouseFile[] = [];
  const deletedUps: Array<{ path: string; m: MigrationFile; text: string }> = [];
  const chFolds = clickhouseFolds(ctx.files, globs);
  for (let i = 0; i < ctx.files.length; i++) {
    const f = ctx.files[i]!;
    if (f.newText === undefined) {
      const m = recognise(f.path, f.oldText, globs);
      if (m && (m.direction === 'up' || m.direction === 'both') && f.oldText) deletedUps.push({ path: f.path, m, text: f.oldText });
      if (m && (m.direction === 'up' || m.direction === 'both'))
        ctx.skip(
          f.path,
          'migration deleted: a database that applied it keeps its effect; rollwright does not undo history',
        );
      else if (!m) ctx.skip(f.path, 'SQL file that is not a migration (no framework or configured folder claims it)');
      continue;
    }
    const m = recognise(f.path, f.newText, globs);
    if (!m) {
      ctx.skip(f.path, 'SQL file that is not a migration (no framework or configured folder claims it)');
      continue;
    }
    if (isClickHouse(f.path, f.newText)) {
      if (m.direction === 'down' || m.direction === 'verify') {
        ctx.reporter(invalidSql)('clickhouse', { what: DIRECTION_WORD[m.direction] }, { file: f.path, line: 1 });
        continue;
      }
      // Read statement by statement; what is not recognised is held, at its own line. An edit of a migration
      // that existed is read for what it makes different: its unchanged statements ran before.
      const { statements, stopped, edit } = readClickHouseEdit(f.path, f.newText, (f.oldPath ?? f.path) === f.path ? f.oldText : undefined, chFolds.get(f.path));
      if (edit) ctx.reporter(migrationEdited)(edit.id, edit.data, { file: f.path, line: 1 });
      // The file stops at a statement that runs into the next: what follows it is not read as applied.
      if (stopped?.runsInto) {
        const { line, what } = stopped.runsInto;
        const data = { what, start: String(stopped.line), line: String(line) };
        ctx.reporter(invalidSql)('clickhouseNoSemicolon', data, { file: f.path, line });
      }
      for (const s of statements)
        if (s.ops.some((o) => o.kind === 'unknown'))
          ctx.reporter(invalidSql)(
            'clickhouse',
            {
              what: `${DIRECTION_WORD[m.direction]} statement \`${s.text.length > 100 ? `${s.text.slice(0, 100)}...` : s.text}\``,
            },
            { file: f.path, line: s.line },
          );
      clickhouse.push({ path: f.path, statements });
      continue;
    }
    // A migration moved or renamed keeps its identity when the framework's id (Prisma's folder name,
    // the version of the others) is the same: the databases that applied it never run it again.
    const old = f.oldText !== undefined ? recognise(f.oldPath ?? f.path, f.oldText, globs) : undefined;
    if (old && f.oldPath && f.oldPath !== f.path && old.framework === m.framework && f.oldText === f.newText) {
      if (old.version === m.version) {
        ctx.skip(
          f.path,
          `migration moved from ${f.oldPath} unchanged: ${m.framework} identifies it by ${ID_WORD[m.framework]}, so a database that applied it does not run it again`,
        );
        continue;
      }
      if (m.framework !== 'sqitch' && m.framework !== 'plain') {
        // Same text, another id: a database that applied the old one runs it again (read below, statement
        // by statement, once the parser is loaded).
        renamed.push({ f, m, from: f.oldPath });
        continue;
      }
    }
    recognised.push({ f, m });
  }
  if (clickhouse.length > 0) await ctx.run([clickhouseStatement], { files: clickhouse });
  if (recognised.length === 0 && renamed.length === 0) return undefined;

  // The parser loads here, and only here: a change without SQL migrations never pays for it.
  const [
    { loadPgParser, parsePostgres, parsePostgresMany },
    { parseMysql, looksLikeMysql, doubleQuotedIdentifier, splitStatements },
  ] = await Promise.all([import('./sql/postgres.js'), import('./sql/mysql.js')]);
  const pg = ctx.config.database.dialect === 'postgres' ? await loadPgParser() : undefined;
  const mysqlFolders = new Map<string, Promise<boolean>>();
  for (const { f, m, from } of renamed) {
    // Runs again where the old id was applied: it fails there at its first statement that cannot run on
    // what the first run left (a CREATE of what exists, a DROP of what is gone), unless every one can.
    const text = m.framework === 'dbmate' ? dbmateSection(f.newText!, 'up') : f.newText!;
    let p = pg ? parsePostgres(pg, text) : await parseMysql(text);
    if (p.error && pg && looksLikeMysql(text)) p = await parseMysql(text);
    const mysqlTarget = await forMysql(ctx, m, mysqlFolders);
    const quoted = mysqlTarget ? p.statements.find((st) => doubleQuotedIdentifier(st.text) !== undefined) : undefined;
    const fails = p.error ? { line: p.error.line } : (quoted ?? firstRerunFailure(p.statements));
    const data = { path: f.path, from, framework: m.framework, id: ID_WORD[m.framework] };
    if (fails) ctx.reporter(migrationEdited)('renamedId', data, { file: f.path, line: fails.line });
    else if (p.statements.length > 0)
      ctx.reporter(migrationEdited)('renamedRerunsCleanly', data, { file: f.path, line: 1 });
  }
  // Applied migrations squashed into a new one of the same folder: where they were applied, it runs as new.
  for (let r = recognised.length - 1; r >= 0 && deletedUps.length > 0; r--) {
    const { f, m } = recognised[r]!;
    // A migration renamed to another id and edited is new to the framework too: its old text is one of them.
    const was = f.oldPath && f.oldText ? recognise(f.oldPath, f.oldText, globs) : undefined;
    const renamedFrom = was && was.framework === m.framework && was.version !== m.version ? [{ path: f.oldPath!, m: was, text: f.oldText! }] : [];
    const gone = [...renamedFrom, ...deletedUps].filter((d) => d.m.framework === m.framework && d.m.dir === m.dir);
    if ((f.status !== 'added' && renamedFrom.length === 0) || m.direction === 'repeatable' || gone.length === 0 || m.framework === 'sqitch' || m.framework === 'plain') continue;
    const my = await forMysql(ctx, m, mysqlFolders);
    let p = pg ? parsePostgres(pg, f.newText!) : await parseMysql(f.newText!);
    if (p.error && pg && looksLikeMysql(f.newText!)) p = await parseMysql(f.newText!);
    const key = (t: string) => statementKey(t, my ? 'mysql' : 'postgres');
    const squash = p.error ? undefined : squashedRerun(p.statements, gone.map((d) => ({ path: d.path, statements: splitStatements(d.text).map((st) => st.text) })), key);
    if (!squash) continue;
    const data = { path: f.path, from: squash.from.join(', '), framework: m.framework, id: ID_WORD[m.framework], line: String(squash.fails.line) };
    ctx.reporter(migrationEdited)('squashed', data, { file: f.path, line: squash.fails.line });
    recognised.splice(r, 1);
  }
  if (recognised.length === 0) return undefined;
  // A down in the change set is parsed once: as a file of the change and as the down of its up.
  const parsed = new Map<string, { text: string; p: ParsedSql }>();
  // The whole files of the change (all but dbmate's, which are parsed by section) are parsed up front,
  // many per parser call; the loop below takes their results from here: those that parsed, as they
  // are; those that did not, through `early` (a MySQL file is parsed again by the MySQL parser).
  const early = new Map<string, { text: string; p: ParsedSql }>();
  if (pg) {
    const whole: ChangedFile[] = [];
    for (let r = 0; r < recognised.length; r++) {
      const { f, m } = recognised[r]!;
      if (m.framework !== 'dbmate' && m.direction !== 'verify') whole.push(f);
    }
    const texts: string[] = new Array(whole.length);
    for (let i = 0; i < whole.length; i++) texts[i] = whole[i]!.newText!;
    const results = parsePostgresMany(pg, texts);
    for (let i = 0; i < whole.length; i++) {
      const p = results[i]!;
      (p.error ? early : parsed).set(whole[i]!.path, { text: texts[i]!, p });
    }
  }
  const badSql = ctx.reporter(invalidSql);
  const reduced = ctx.reporter(mysqlReducedCoverage);
  const reportedMysql = new Set<string>();
  const keep = (path: string, text: string, p: ParsedSql): ParsedSql => {
    if (p.dialect === 'mysql' && !reportedMysql.has(path)) {
      reportedMysql.add(path);
      reduced('reduced', { configured: ctx.config.database.dialect }, { file: path, line: 1 });
    }
    parsed.set(path, { text, p });
    return p;
  };
  // Synchronous when the result is at hand: an `await` per file costs a turn of the microtask queue.
  const parse = (path: string, text: string): ParsedSql | Promise<ParsedSql> => {
    const hit = parsed.get(path);
    if (hit !== undefined && hit.text === text) return hit.p;
    if (!pg) return parseMysql(text).then((my) => keep(path, text, my));
    const pre = early.get(path);
    const p = pre !== undefined && pre.text === text ? pre.p : parsePostgres(pg, text);
    if (p.error && looksLikeMysql(text))
      return parseMysql(text).then((my) => keep(path, text, !my.error || my.statements.length > 0 ? my : p));
    return keep(path, text, p);
  };
  const check = (path: string, p: ParsedSql, text: string, what: string) => {
    if (p.error)
      badSql(
        'syntax',
        { reason: p.error.message, dialect: p.dialect, column: p.error.column },
        { file: path, line: p.error.line, column: p.error.column },
      );
    else if (p.statements.length === 0)
      badSql(/\S/.test(text) ? 'onlyComments' : 'empty', { what }, { file: path, line: 1 });
  };
  const downOf = (path: string, p: ParsedSql): DownMigration => ({ path, parsed: p, ops: opsOf(p) });

  const migrations: MigrationChange[] = [];
  const newTables = new Set<string>();
  const byPath = new Map<string, ChangedFile>();
  for (let i = 0; i < ctx.files.length; i++) byPath.set(ctx.files[i]!.path, ctx.files[i]!);
  for (let r = 0; r < recognised.length; r++) {
    const { f, m } = recognised[r]!;
    const text = f.newText!;
    if (m.direction === 'verify') continue;
    if (m.direction === 'down') {
      let p = parse(f.path, text);
      if (p instanceof Promise) p = await p;
      check(f.path, p, text, 'down migration');
      continue;
    }
    const upText = m.framework === 'dbmate' ? dbmateSection(text, 'up') : text;
    let up = parse(f.path, upText);
    if (up instanceof Promise) up = await up;
    const mysqlTarget = await forMysql(ctx, m, mysqlFolders);
    const kd = mysqlTarget ? 'mysql' : 'postgres';
    // A statement that does not parse because it double-quotes a name: say why (MySQL reads a string).
    const upError = up.error;
    const quotedAt =
      upError && mysqlTarget
        ? splitStatements(upText)
            .filter((st) => st.line <= upError.line)
            .map((st) => ({ st, quoted: doubleQuotedIdentifier(st.text) }))
            .at(-1)
        : undefined;
    if (quotedAt?.quoted)
      badSql(
        'mysqlQuotes',
        { quoted: quotedAt.quoted },
        { file: f.path, line: quotedAt.st.line, column: quotedAt.st.column },
      );
    else check(f.path, up, upText, m.direction === 'repeatable' ? 'repeatable migration' : 'up migration');
    // An edit to a migration that existed at the base (same id): the databases that applied it do not run
    // it again, so only the statements the edit added or changed are the change's; they run only where
    // the migration has not been applied yet (a new database), which the edit finding says.
    let edited: MigrationChange['edited'];
    const creates = tablesCreated(up);
    const oldSame =
      f.oldText !== undefined && m.direction !== 'repeatable'
        ? recognise(f.oldPath ?? f.path, f.oldText, globs)
        : undefined;
    if (oldSame && oldSame.framework === m.framework && oldSame.version === m.version) {
      // Compared statement by statement, by text: the old file's statements are split without parsing
      // when it does not parse, and the new file's are those read before any syntax error (reported above).
      const oldUpText = m.framework === 'dbmate' ? dbmateSection(f.oldText!, 'up') : f.oldText!;
      let old = pg ? parsePostgres(pg, oldUpText) : await parseMysql(oldUpText);
      if (old.error && pg && looksLikeMysql(oldUpText)) old = await parseMysql(oldUpText);
      const oldSplit = old.error ? splitStatements(oldUpText) : old.statements;
      let ran = oldSplit.length;
      // On MySQL the old text stopped at its first statement that could not run (a double-quoted name is
      // a string there, or a syntax error): no database ran it or any after it, so they are all new.
      const quoted = mysqlTarget ? oldSplit.findIndex((st) => doubleQuotedIdentifier(st.text) !== undefined) : -1;
      if (quoted >= 0) ran = quoted;
      if (mysqlTarget && old.error) ran = Math.min(ran, Math.max(0, oldSplit.filter((st) => st.line <= old.error!.line).length - 1));
      // PostgreSQL parses a multi-statement query whole, runs it in one transaction: a syntax error or a certain failure leaves nothing.
      const fails = mysqlTarget || old.error ? undefined : failsEverywhere(old.statements);
      const wholeFailed = !mysqlTarget && (!!old.error || !!fails);
      if (wholeFailed) ran = 0;
      // The statement the old text stopped at, when the new text still has it unchanged: the new text stops
      // there too, so that statement and those after it run no more than before (not the change's).
      const stoppedAt = ran < oldSplit.length && !wholeFailed ? statementKey(oldSplit[ran]!.text, kd) : undefined;
      const stillStops = stoppedAt === undefined ? -1 : up.statements.findIndex((st) => statementKey(st.text, kd) === stoppedAt);
      const newRun = stillStops >= 0 ? up.statements.slice(0, stillStops) : up.statements;
      const before = new Map<string, number[]>();
      for (let i = 0; i < ran; i++) {
        const k = statementKey(oldSplit[i]!.text, kd);
        before.set(k, [...(before.get(k) ?? []), i]);
      }
      const kept = newRun.filter((st) => {
        const at = before.get(statementKey(st.text, kd));
        if (!at || at.length === 0) return true;
        at.shift();
        return false;
      });
      // The old statements that ran and that the edit changed or removed: what they did is not new either.
      const changedOld: Statement[] = [];
      for (const at of before.values())
        for (const i of at) {
          const st = oldSplit[i]!;
          if (!old.error) changedOld.push(st as Statement);
          else {
            const one = pg ? parsePostgres(pg, st.text) : await parseMysql(st.text);
            const read = one.error && pg && looksLikeMysql(st.text) ? await parseMysql(st.text) : one;
            changedOld.push(...read.statements);
          }
        }
      edited = { from: f.oldPath ?? f.path, statements: kept.length, head: up.statements };
      // MySQL: an old text that stopped at a statement was applied by no database (recorded failed), but what
      // ran before it stayed (DDL commits implicitly): where the new text fails on that, a repair by hand; else
      // an edit leaving that part as it was reaches every database. (An edit of what ran edits applied ones.)
      const again = mysqlTarget && ran > 0 && ran < oldSplit.length && !old.error ? firstFailureAfter(old.statements.slice(0, ran), up.statements, (st) => statementKey(st.text, kd)) : undefined;
      if (again) edited.partlyRan = { line: oldSplit[ran]!.line, failsAt: again.line };
      else if (wholeFailed) edited.neverApplied = { line: fails ? oldSplit[fails.index]!.line : old.error!.line, wholeFailed, ...(fails ? { why: fails.why } : {}) };
      else if (ran < oldSplit.length && changedOld.length === 0) edited.neverApplied = { line: oldSplit[ran]!.line };
      else if (!old.error) edited.old = old.statements;
      let changed = withoutOpsThatRan(kept, changedOld);
      // Every database that applied the old text ran all of it: what the new text leaves differently there
      // stays (the edit finding names it), and a rename whose target only changed is not a new rename.
      // Both read by the same parser, so that they compare operation by operation (types as one parser names them).
      const same = !old.error && old.dialect !== up.dialect ? await parseMysql(oldUpText) : old;
      if (!same.error && !up.error && ran === oldSplit.length) {
        edited.ranWhole = true;
        const oldOps = same.statements.flatMap((st) => st.ops);
        const schema = schemaEdit(oldOps, up.statements.flatMap((st) => st.ops));
        if (schema) edited.schema = schema;
        changed = withoutRetargetedRenames(changed, oldOps);
      }
      up = { ...up, statements: changed };
    }
    let down: DownMigration | undefined | null = null;
    let mismatchedDown: string | undefined;
    if (m.framework === 'dbmate') {
      if (DBMATE_DOWN.test(text)) {
        const dt = dbmateSection(text, 'down');
        down = downOf(f.path, await parse(f.path, dt));
        if (down.parsed.error) check(f.path, down.parsed, dt, 'down migration');
      } else down = undefined;
    } else if (m.framework === 'golang-migrate' || m.framework === 'sqitch') {
      // The down is usually in the change set: found without a turn of the event loop.
      const downPath = expectedDownPath(m)!;
      const inChange = byPath.get(downPath)?.newText;
      const found = inChange !== undefined ? { path: downPath, text: inChange } : await findDown(ctx, m, byPath);
      if (found.text !== undefined) {
        let p = parse(found.path, found.text);
        if (p instanceof Promise) p = await p;
        down = downOf(found.path, p);
      } else down = undefined;
      mismatchedDown = found.mismatch;
    } else if (m.framework === 'flyway' && m.direction === 'up') {
      const entries = await ctx.repo.listDir('head', m.dir || '.');
      const undo = entries.find(
        (e) =>
          e.type === 'blob' && new RegExp(`^U${escape(m.version)}__.+\\.sql$`).test(e.name.replace(/_/g, (x) => x)),
      );
      if (undo) {
        const path = m.dir ? `${m.dir}/${undo.name}` : undo.name;
        const t = byPath.get(path)?.newText ?? (await ctx.repo.readText('head', path));
        if (t !== undefined) down = downOf(path, await parse(path, t));
      }
    }
    // A migration for MySQL that quotes a name with double quotes: that statement is a syntax error on
    // MySQL (a string, not a name), whichever parser read it; it creates nothing.
    if (!up.error && mysqlTarget) {
      const kept = up.statements.filter((st) => {
        const quoted = doubleQuotedIdentifier(st.text);
        if (quoted) badSql('mysqlQuotes', { quoted }, { file: f.path, line: st.line, column: st.column });
        return !quoted;
      });
      if (kept.length !== up.statements.length) up = { ...up, statements: kept };
    }
    const upOps = opsOf(up);
    for (let i = 0; i < upOps.length; i++) {
      const o = upOps[i]!;
      if (o.kind === 'create-table' && o.table) newTables.add(newTableKey({ file: m }, o.table));
    }
    const transaction = wrapsInTransaction(m, text, up.statements.length, 'up');
    const change: MigrationChange = {
      file: m,
      status: f.status === 'added' || f.status === 'copied' ? 'added' : 'modified',
      up,
      upOps,
      down,
      phases: phasesOf(upOps),
    };
    if (mismatchedDown) change.mismatchedDown = mismatchedDown;
    if (edited) change.edited = edited;
    if (creates.size > 0) change.creates = creates;
    if (transaction) change.transaction = transaction;
    migrations.push(change);
  }
  const parseAny = async (text: string) => {
    if (!pg) return parseMysql(text);
    const p = parsePostgres(pg, text);
    return p.error && looksLikeMysql(text) ? parseMysql(text) : p;
  };
  // The texts parsed above are not parsed again by the folders' walk.
  const byText = new Map<string, ParsedSql>();
  for (const { text, p } of parsed.values()) byText.set(text, p);
  const walk = new FolderWalk(ctx, globs, (text) => byText.get(text) ?? parseAny(text));
  await attachSchemas(ctx, migrations, walk);
  stopAtFailures(ctx, migrations);
  await followEdits(ctx, migrations, walk);
  await attachUnreadColumns(ctx, migrations, walk);
  return { migrations, newTables, config: ctx.config };
}

/**
 * The ClickHouse migrations the change deletes, by the one edited migration of their folder they may be
 * folded into (a folder with more than one edited migration is read file by file).
 */
function clickhouseFolds(files: readonly ChangedFile[], globs: readonly string[]): Map<string, string[]> {
  const gone = new Map<string, string[]>();
  const edited = new Map<string, string[]>();
  for (const f of files) {
    const text = f.newText ?? f.oldText;
    const m = text !== undefined ? recognise(f.path, text, globs) : undefined;
    if (!m || !isClickHouse(f.path, text!)) continue;
    if (f.newText === undefined) gone.set(m.dir, [...(gone.get(m.dir) ?? []), f.oldText!]);
    else if (f.oldText !== undefined && (f.oldPath ?? f.path) === f.path) edited.set(m.dir, [...(edited.get(m.dir) ?? []), f.path]);
  }
  const out = new Map<string, string[]>();
  for (const [dir, paths] of edited) if (paths.length === 1 && gone.has(dir)) out.set(paths[0]!, gone.get(dir)!);
  return out;
}

/**
 * Whether the migration runs on MySQL (or MariaDB): Prisma's `provider = "mysql"` in the folder's
 * migration_lock.toml (the provider the folder was generated for), else a `mysql` folder on its path.
 * Read once per folder.
 */
function forMysql(ctx: SurfaceContext, m: MigrationFile, cache: Map<string, Promise<boolean>>): Promise<boolean> {
  let hit = cache.get(m.dir);
  if (!hit) {
    const byPath = /(^|\/)(mysql|mariadb)(\/|$)/i.test(m.path);
    hit =
      m.framework === 'prisma'
        ? ctx.repo.readText('head', m.dir ? `${m.dir}/migration_lock.toml` : 'migration_lock.toml').then((t) => {
            const provider = t && /^\s*provider\s*=\s*"([^"]+)"/m.exec(t)?.[1];
            return provider ? provider === 'mysql' : byPath;
          })
        : Promise.resolve(byPath);
    cache.set(m.dir, hit);
  }
  return hit;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\./g, '[._]');
}

/** The down of a golang-migrate or sqitch up, from the change set or the head tree. */
async function findDown(
  ctx: SurfaceContext,
  m: MigrationFile,
  byPath: ReadonlyMap<string, ChangedFile>,
): Promise<{ path: string; text?: string; mismatch?: string }> {
  const path = expectedDownPath(m)!;
  const changed = byPath.get(path);
  const text = changed ? changed.newText : await ctx.repo.readText('head', path);
  if (text !== undefined) return { path, text };
  if (m.framework !== 'golang-migrate') return { path };
  // A down with the same version and another name, or the same name and another version.
  const entries = await ctx.repo.listDir('head', m.dir || '.');
  for (const e of entries) {
    const d = /^(\d+)_(.+)\.down\.sql$/i.exec(e.name);
    if (!d) continue;
    if (d[1] === m.version || d[2] === m.name) return { path, mismatch: m.dir ? `${m.dir}/${e.name}` : e.name };
  }
  return { path };
}
