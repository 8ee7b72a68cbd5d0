/**
 * A rehearsal: on a fresh database, apply the migrations up to the base, seed every table, apply the
 * change's up migrations, prepare the old application's queries against the new schema, apply the
 * downs, compare the schema with the one before (pg_catalog), count the rows lost, and apply the ups
 * again. Every step is timed; the first failure of a step is reported with its statement.
 */
import { redactSqlError, redactSqlLiterals } from '../core/redact.js';
import { MissingPackageError, UsageError } from '../core/errors.js';
import { compareVersions } from '../surfaces/database/frameworks.js';
import type { Db, DbTiming } from './driver.js';
import type { MigrationPair } from './migrations.js';
import { describeDiff, diffSchemas, isEmptyDiff, snapshot, type Schema, type SchemaDiff } from './schema.js';
import { seed } from './seed.js';

export const REHEARSAL_SCHEMA = 'rollwright.rehearsal/v1';

export type StepName =
  'start' | 'base' | 'seed' | 'up' | 'verify' | 'old-queries' | 'down' | 'schema' | 'rows' | 're-up';

/** `not-possible`: the step could not run (Prisma has no down, so neither down nor the schema comparison ran). */
export type StepStatus = 'passed' | 'failed' | 'not-possible';

export interface FailedStatement {
  file: string;
  line: number;
  statement: string;
  error: string;
}

export interface Step {
  step: StepName;
  /** status === 'passed'. */
  ok: boolean;
  status: StepStatus;
  ms: number;
  detail: string;
  /** The statement that failed, for base/up/down/re-up. */
  failed?: FailedStatement;
  /** old-queries: each query that worked at the base and fails after up. */
  queries?: Array<{ file: string; line: number; query: string; error: string }>;
  /** schema: what differs after up and down. */
  diff?: SchemaDiff;
  /** rows: rows per table before and after up and down. */
  lost?: Array<{ table: string; before: number; after: number }>;
  /** seed: tables that could not be seeded, and why (a foreign-key cycle, a check refusing every row). */
  notes?: string[];
}

export interface RehearsalReport {
  schema: typeof REHEARSAL_SCHEMA;
  database: 'pglite' | 'postgres';
  /** The migration layout rehearsed (golang-migrate, flyway, dbmate, plain, sqitch, prisma). */
  format?: string;
  from: string;
  to: string;
  /** Versions of the change's migrations, in the order applied. */
  migrations: string[];
  /** Every step passed. */
  ok: boolean;
  /** passed; failed (a step failed); incomplete (nothing failed, but a step could not run: the rollback is not proven). */
  outcome: 'passed' | 'failed' | 'incomplete';
  steps: Step[];
  skipped: Array<{ file: string; reason: string }>;
  ms: number;
}

export interface Query {
  file: string;
  text: string;
}

export interface RehearseInput {
  pairs: MigrationPair[];
  /** Base version: migrations up to it (inclusive) are the base. Default: the one before the last. */
  from?: string;
  /** Last version of the change. Default: the last. */
  to?: string;
  queries?: Query[];
  open: () => Promise<{ db: Db; timing: DbTiming }>;
  skipped?: Array<{ file: string; reason: string }>;
  format?: string;
}

/**
 * Picks the base and the change. A version names a migration exactly (a sqitch change name or `@tag`, a Prisma
 * folder, or its timestamp before `_`); otherwise, for numbered frameworks, the last migration whose
 * version is not above it; `0` is the empty database. sqitch changes are in plan order, so a name that is
 * not planned is an error.
 */
export function selectRange(
  pairs: MigrationPair[],
  from?: string,
  to?: string,
): { base: MigrationPair[]; change: MigrationPair[]; from: string; to: string } {
  const pos = (v: string, flag: string): number => {
    let i = v.startsWith('@')
      ? pairs.findIndex((p) => p.tags?.includes(v.slice(1)))
      : pairs.findIndex((p) => p.version === v);
    if (i < 0) i = pairs.findIndex((p) => p.version.startsWith(`${v}_`));
    if (i >= 0) return i;
    if (v === '0') return -1; // an empty database
    if (pairs.some((p) => p.framework === 'sqitch'))
      throw new UsageError(`${flag} ${v}: no ${v.startsWith('@') ? 'tag' : 'change'} of that name in sqitch.plan`);
    let last = -1;
    pairs.forEach((p, j) => {
      if (compareVersions(p.version, v) <= 0) last = j;
    });
    return last;
  };
  const toI = to === undefined ? pairs.length - 1 : pos(to, '--to');
  const fromI = from === undefined ? Math.max(toI - 1, -1) : pos(from, '--from');
  return {
    base: pairs.slice(0, fromI + 1),
    change: pairs.slice(fromI + 1, toI + 1),
    from: from ?? pairs[fromI]?.version ?? '0',
    to: to ?? pairs[toI]?.version ?? '0',
  };
}

export async function rehearse(input: RehearseInput): Promise<RehearsalReport> {
  const t0 = performance.now();
  const { base, change, from, to } = selectRange(input.pairs, input.from, input.to);
  const { loadPgParser, splitPg, isBlank } = await import('../surfaces/database/sql/index.js');
  const pg = await loadPgParser({ liftoffOnly: false });
  const steps: Step[] = [];
  const report: RehearsalReport = {
    schema: REHEARSAL_SCHEMA,
    database: 'pglite',
    ...(input.format ? { format: input.format } : {}),
    from,
    to,
    migrations: change.map((p) => p.version),
    ok: false,
    outcome: 'failed',
    steps,
    skipped: input.skipped ?? [],
    ms: 0,
  };
  type Outcome = Omit<Step, 'step' | 'ms' | 'status'> & { status?: StepStatus };
  const timed = async (step: StepName, fn: () => Promise<Outcome>): Promise<Step> => {
    const s0 = performance.now();
    let r: Outcome;
    try {
      r = await fn();
    } catch (e) {
      // A part of rollwright that is not installed says so itself; the migration is not at fault.
      if (e instanceof MissingPackageError) throw e;
      r = { ok: false, detail: `failed: ${(e as Error).message}` };
    }
    const s: Step = {
      step,
      ms: Math.round(performance.now() - s0),
      ...r,
      status: r.status ?? (r.ok ? 'passed' : 'failed'),
    };
    steps.push(s);
    return s;
  };
  /** Runs a file statement by statement, so a failure names its statement. */
  const apply = async (db: Db, file: { path: string; text: string }): Promise<FailedStatement | undefined> => {
    if (isBlank(file.text)) return undefined;
    let stmts;
    try {
      stmts = splitPg(pg, file.text);
    } catch (e) {
      return {
        file: file.path,
        line: 1,
        statement: '(whole file)',
        error: `does not parse: ${redactSqlError((e as Error).message)}`,
      };
    }
    for (const s of stmts) {
      try {
        await db.exec(s.text);
      } catch (e) {
        // A script with its own BEGIN (sqitch's usual shape) leaves an aborted transaction behind.
        await db.exec('ROLLBACK').catch(() => undefined);
        return {
          file: file.path,
          line: s.line,
          statement: oneLine(redactSqlLiterals(s.text)),
          error: redactSqlError((e as Error).message),
        };
      }
    }
    return undefined;
  };
  const applyAll = async (db: Db, files: Array<{ path: string; text: string }>) => {
    for (const f of files) {
      const failed = await apply(db, f);
      if (failed) return failed;
    }
    return undefined;
  };

  let db: Db | undefined;
  try {
    const start = await timed('start', async () => {
      const o = await input.open();
      db = o.db;
      report.database = o.db.kind;
      return { ok: true, detail: `${o.timing.start} in ${Math.round(o.timing.ms)} ms` };
    });
    if (!start.ok || !db) return finish();
    const d = db;
    if (change.length === 0) {
      steps.push({
        step: 'up',
        ok: false,
        status: 'failed',
        ms: 0,
        detail: `no migration after version ${from} (up to ${to})`,
      });
      return finish();
    }
    const baseStep = await timed('base', async () => {
      const failed = await applyAll(
        d,
        base.map((p) => p.up),
      );
      return failed
        ? { ok: false, detail: `the base fails at ${failed.file}:${failed.line}`, failed }
        : { ok: true, detail: `${base.length} migration(s) up to ${from}` };
    });
    if (!baseStep.ok) return finish();
    const before: Schema = await snapshot(d);
    const tables = [...before.keys()].filter((k) => k.startsWith('table ')).map((k) => k.slice(6));
    await timed('seed', async () => {
      const r = await seed(d);
      const refused = r.refused.length
        ? `; ${r.refused.length} row(s) refused by constraints (${[...new Set(r.refused.map((x) => x.table))].join(', ')})`
        : '';
      return {
        ok: true,
        detail: `${r.rows} row(s) in ${r.tables} of ${tables.length} table(s)${refused}`,
        ...(r.notes.length ? { notes: r.notes } : {}),
      };
    });
    const countsBefore = await counts(d, tables);
    // Which old queries work at the base: only those can regress.
    const queries = await prepareAll(d, input.queries ?? [], splitPg, pg);
    const up = await timed('up', async () => {
      const failed = await applyAll(
        d,
        change.map((p) => p.up),
      );
      return failed
        ? { ok: false, detail: `fails at ${failed.file}:${failed.line}`, failed }
        : { ok: true, detail: `${change.length} migration(s): ${change.map((p) => p.up.path).join(', ')}` };
    });
    if (!up.ok) return finish();
    if (change.some((p) => p.verify || p.framework === 'sqitch'))
      await timed('verify', async () => {
        const withVerify = change.filter((p) => p.verify);
        const without = change.filter((p) => !p.verify).map((p) => p.name);
        const note = without.length ? `; no verify script for ${without.join(', ')}` : '';
        const failed = await applyAll(
          d,
          withVerify.map((p) => p.verify!),
        );
        return failed
          ? { ok: false, detail: `the verify script raises at ${failed.file}:${failed.line}`, failed }
          : { ok: true, detail: `${withVerify.length} verify script(s) ran without error${note}` };
      });
    const afterUp = await snapshot(d);
    await timed('old-queries', async () => {
      const ok = queries.filter((x) => x.error === undefined);
      const again = await prepareAll(
        d,
        ok.map((x) => ({ file: x.file, text: x.text, line: x.line })),
        splitPg,
        pg,
        true,
      );
      const broken = again
        .filter((x) => x.error !== undefined)
        .map((x) => ({ file: x.file, line: x.line, query: oneLine(redactSqlLiterals(x.text)), error: x.error! }));
      const notAtBase = queries.length - ok.length;
      const note = notAtBase ? ` (${notAtBase} did not prepare at the base either and are not counted)` : '';
      if (queries.length === 0) return { ok: true, detail: 'no queries configured (database.queries or --queries)' };
      return broken.length
        ? {
            ok: false,
            detail: `${broken.length} of ${ok.length} old query(ies) fail against the new schema${note}`,
            queries: broken,
          }
        : { ok: true, detail: `${ok.length} old query(ies) prepare against the new schema${note}` };
    });
    const missingDown = change.filter((p) => !p.down);
    const noDown = missingDown.length > 0 && missingDown.every((p) => p.noDown);
    const down = await timed('down', async () => {
      if (noDown)
        return {
          ok: false,
          status: 'not-possible',
          detail: `no down migration for ${missingDown.map((p) => p.up.path).join(', ')}: ${missingDown[0]!.noDown}`,
        };
      if (missingDown.length)
        return { ok: false, detail: `no down migration for ${missingDown.map((p) => p.up.path).join(', ')}` };
      const failed = await applyAll(
        d,
        [...change].reverse().map((p) => p.down!),
      );
      return failed
        ? { ok: false, detail: `fails at ${failed.file}:${failed.line}`, failed }
        : { ok: true, detail: `${change.length} down migration(s)` };
    });
    if (noDown) {
      await timed('schema', async () => ({
        ok: false,
        status: 'not-possible',
        detail: 'not compared: no down migration ran, so whether the schema can be rolled back is not known',
      }));
      return finish();
    }
    if (!down.ok) return finish();
    await timed('schema', async () => {
      const diff = diffSchemas(before, await snapshot(d));
      return isEmptyDiff(diff)
        ? { ok: true, detail: 'the schema after down equals the schema before up (pg_catalog)' }
        : { ok: false, detail: describeDiff(diff), diff };
    });
    await timed('rows', async () => {
      const after = await counts(d, tables);
      const lost = tables
        .filter((t) => (after.get(t) ?? 0) < (countsBefore.get(t) ?? 0))
        .map((t) => ({ table: t, before: countsBefore.get(t) ?? 0, after: after.get(t) ?? 0 }));
      const total = [...countsBefore.values()].reduce((a, b) => a + b, 0);
      return lost.length
        ? {
            ok: false,
            detail: lost.map((l) => `${l.table}: ${l.before - l.after} of ${l.before} row(s) lost`).join('; '),
            lost,
          }
        : { ok: true, detail: `no row lost (${total} seeded row(s) counted)` };
    });
    await timed('re-up', async () => {
      const failed = await applyAll(
        d,
        change.map((p) => p.up),
      );
      if (failed) return { ok: false, detail: `fails at ${failed.file}:${failed.line}`, failed };
      const diff = diffSchemas(afterUp, await snapshot(d));
      return isEmptyDiff(diff)
        ? { ok: true, detail: 'up applies again and gives the same schema' }
        : { ok: false, detail: `up applies again but the schema differs: ${describeDiff(diff)}`, diff };
    });
    return finish();
  } finally {
    if (db) await db.close().catch(() => undefined);
  }

  function finish(): RehearsalReport {
    report.ok = steps.every((s) => s.ok);
    report.outcome = report.ok ? 'passed' : steps.some((s) => s.status === 'failed') ? 'failed' : 'incomplete';
    report.ms = Math.round(performance.now() - t0);
    return report;
  }
}

function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 120 ? `${t.slice(0, 117)}...` : t;
}

async function counts(db: Db, tables: string[]): Promise<Map<string, number>> {
  const m = new Map<string, number>();
  for (const t of tables) {
    const [ns, name] = t.split('.') as [string, string];
    try {
      const r = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${ns.replace(/"/g, '""')}"."${name.replace(/"/g, '""')}"`,
      );
      m.set(t, r[0]?.n ?? 0);
    } catch {
      m.set(t, 0);
    }
  }
  return m;
}

interface PreparedQuery {
  file: string;
  line: number;
  text: string;
  error?: string;
}

let prepared = 0;

/** PREPAREs each statement of the query files (and deallocates it): parse, names and types are checked, nothing runs. */
async function prepareAll(
  db: Db,
  queries: Array<Query & { line?: number }>,
  split: typeof import('../surfaces/database/sql/index.js').splitPg,
  pg: Parameters<typeof import('../surfaces/database/sql/index.js').splitPg>[0],
  single = false,
): Promise<PreparedQuery[]> {
  const out: PreparedQuery[] = [];
  for (const q of queries) {
    let stmts: Array<{ text: string; line: number }>;
    try {
      stmts = single ? [{ text: q.text, line: q.line ?? 1 }] : split(pg, q.text);
    } catch (e) {
      out.push({
        file: q.file,
        line: 1,
        text: q.text,
        error: `does not parse: ${redactSqlError((e as Error).message)}`,
      });
      continue;
    }
    for (const s of stmts) {
      const name = `rollwright_q${++prepared}`;
      try {
        await db.exec(`PREPARE ${name} AS ${s.text}`);
        await db.exec(`DEALLOCATE ${name}`);
        out.push({ file: q.file, line: s.line, text: s.text });
      } catch (e) {
        out.push({ file: q.file, line: s.line, text: s.text, error: redactSqlError((e as Error).message) });
      }
    }
  }
  return out;
}

/* ---------------- output ---------------- */

export function renderRehearsal(r: RehearsalReport, format: 'text' | 'json'): string {
  if (format === 'json') return JSON.stringify(r, null, 2) + '\n';
  const lines = [
    `rehearsal on ${r.database}${r.format ? ` (${r.format})` : ''}: migrations after ${r.from} up to ${r.to} (${r.migrations.join(', ') || 'none'})`,
    '',
  ];
  const mark = { passed: 'ok  ', failed: 'FAIL', 'not-possible': 'n/a ' } as const;
  for (const s of r.steps) {
    lines.push(`${mark[s.status]}  ${s.step.padEnd(11)} ${String(s.ms).padStart(6)} ms  ${s.detail}`);
    for (const n of s.notes ?? []) lines.push(`        note: ${n}`);
    if (s.failed)
      lines.push(
        `        ${s.failed.file}:${s.failed.line}: ${s.failed.statement}`,
        `        error: ${s.failed.error}`,
      );
    for (const q of s.queries ?? []) lines.push(`        ${q.file}:${q.line}: ${q.query}`, `        error: ${q.error}`);
    if (s.diff) {
      for (const k of s.diff.extra) lines.push(`        + ${k}`);
      for (const k of s.diff.missing) lines.push(`        - ${k}`);
      for (const c of s.diff.changed) lines.push(`        ~ ${c.key}: ${c.before} -> ${c.after}`);
    }
  }
  for (const s of r.skipped) lines.push(`skipped ${s.file}: ${s.reason}`);
  const verdict = {
    passed: 'rehearsal passed',
    failed: 'rehearsal FAILED',
    incomplete: 'rehearsal INCOMPLETE (a step could not run: the rollback is not proven)',
  }[r.outcome];
  lines.push('', `${verdict} in ${r.ms} ms`);
  return lines.join('\n') + '\n';
}
