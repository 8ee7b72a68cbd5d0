/**
 * The SQLite store: opening the file (refusing one that is not a ledger), and the append paths on
 * better-sqlite3, each one synchronous transaction under `BEGIN IMMEDIATE` (the database write lock),
 * with statements prepared once per handle.
 */
import { Kysely, SqliteDialect } from 'kysely';
import { existsSync, mkdirSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { InputError, RollwrightError } from '../core/errors.js';
import {
  chain,
  occupied,
  planUnits,
  tailChecked,
  type PreparedEvent,
  type PreparedUnit,
  type UnitResult,
} from './append-plan.js';
import type { Head, LedgerEvent } from './chain.js';
import { ChainBrokenError } from './errors.js';
import { migrate } from './migrations.js';
import { EVENT_COLUMNS, type LedgerDatabase } from './schema.js';
import type { OpenOptions } from './store-spec.js';

/** The head and the event it points at, in one snapshot (both are written by the same transaction). */
const TAIL_COLUMNS = `h.seq AS head_seq, h.hash AS head_hash, ${EVENT_COLUMNS.filter((c) => c !== 'seq')
  .map((c) => `e.${c}`)
  .join(', ')}`;
const SQLITE_HEAD = `SELECT ${TAIL_COLUMNS} FROM ledger_head h LEFT JOIN ledger_events e ON e.seq = h.seq WHERE h.id = 1`;

export interface SqliteStatements {
  /** The head, after checking the event it points at (the chain's end must be intact to extend it). */
  tail: () => Head;
  insert: BetterSqlite3.Statement;
  move: BetterSqlite3.Statement;
  seen: BetterSqlite3.Statement;
  remember: BetterSqlite3.Statement;
  detected: BetterSqlite3.Statement;
}

/** The append paths of one SQLite handle. */
export class SqliteWriter {
  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    /** The store as named in messages. */
    private readonly where: string,
  ) {}

  private sqliteStatements?: SqliteStatements;

  /** The prepared statements of the SQLite hot paths (appends and lookups), made once per handle. */
  statements(): SqliteStatements {
    if (this.sqliteStatements) return this.sqliteStatements;
    const db = this.sqlite;
    const head = db.prepare(SQLITE_HEAD);
    this.sqliteStatements = {
      tail: () => {
        const row = head.get() as Record<string, string | null> | undefined;
        if (!row) throw new ChainBrokenError(`${this.where}: the ledger's head row is missing (the ledger was edited)`);
        return tailChecked(row, row, this.where);
      },
      insert: db.prepare(
        `INSERT INTO ledger_events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})`,
      ),
      move: db.prepare('UPDATE ledger_head SET seq = ?, hash = ? WHERE id = 1'),
      seen: db.prepare('SELECT seq FROM ledger_deliveries WHERE key = ?').pluck(),
      remember: db.prepare('INSERT INTO ledger_deliveries (key, seq, recorded_at) VALUES (?, ?, ?)'),
      detected: db.prepare(
        "SELECT seq, occurred_at FROM ledger_events WHERE type = 'incident.detected' AND incident_id = ? ORDER BY seq LIMIT 1",
      ),
    };
    return this.sqliteStatements;
  }

  private sqliteUnits?: (units: PreparedUnit[]) => UnitResult[];

  async appendUnits(units: PreparedUnit[]): Promise<UnitResult[]> {
    if (!this.sqliteUnits) {
      const st = this.statements();
      const tx = this.sqlite.transaction((batch: PreparedUnit[]) => {
        const head = st.tail();
        const plan = planUnits(
          head,
          batch,
          new Date().toISOString(),
          (k) => {
            const seq = st.seen.get(k) as number | bigint | undefined;
            return seq === undefined ? undefined : Number(seq);
          },
          (i) => {
            const r = st.detected.get(i) as { seq: number; occurred_at: string } | undefined;
            return r ? { seq: Number(r.seq), occurredAt: r.occurred_at } : undefined;
          },
        );
        for (const r of plan.rows) st.insert.run(...EVENT_COLUMNS.map((c) => r[c]));
        for (const d of plan.deliveries) st.remember.run(d.key, d.seq, d.recordedAt);
        if (plan.last.seq !== head.seq) st.move.run(plan.last.seq, plan.last.hash);
        return plan.results;
      });
      // Committed with synchronous=NORMAL: SQLite writes the WAL frames but does not wait for the disk
      // (the event loop would stand still for the flush); `flushed` below does that wait off the loop.
      const normal = this.sqlite.prepare('PRAGMA synchronous = NORMAL');
      const full = this.sqlite.prepare('PRAGMA synchronous = FULL');
      this.sqliteUnits = (batch) => {
        normal.run();
        try {
          return tx.immediate(batch);
        } finally {
          full.run();
        }
      };
    }
    const results = this.busy(() => this.sqliteUnits!(units));
    // A typed error: the units are committed, so they must not be appended again as after a failed
    // transaction (Ledger.appendUnits retries a group unit by unit only on an untyped error).
    await this.flushed().catch((e: unknown) => {
      throw new RollwrightError(
        `${this.where}: recorded, but the disk flush after it failed (${(e as Error).message}); the events may not survive a power cut`,
      );
    });
    return results;
  }

  /** The WAL file, opened once (SQLite keeps it while a connection, this one, has the ledger open). */
  private wal?: Promise<FileHandle>;
  /** The flush in flight, and the one queued behind it for commits made after it started. */
  private flushing?: Promise<void>;
  private nextFlush?: Promise<void>;

  /**
   * Resolves once every commit made before the call is on disk: an fdatasync of the WAL (what
   * synchronous=FULL does inside each commit), run on libuv's thread pool so that the event loop
   * keeps reading requests meanwhile, and shared by every commit made before it started. A WAL is
   * recovered after a power cut up to its last intact commit, so what a flush covers survives it.
   */
  flushed(): Promise<void> {
    if (!this.flushing) {
      const run = async () => {
        const fh = await (this.wal ??= open(`${this.sqlite.name}-wal`, 'r'));
        await fh.datasync();
      };
      this.flushing = run().finally(() => (this.flushing = undefined));
      return this.flushing;
    }
    // The flush in flight may have started before this commit: the next one covers it.
    return (this.nextFlush ??= this.flushing
      .catch(() => undefined)
      .then(() => {
        this.nextFlush = undefined;
        return this.flushed();
      }));
  }

  async close(): Promise<void> {
    const wal = this.wal;
    this.wal = undefined;
    await (await wal?.catch(() => undefined))?.close();
  }

  private sqliteAppend?: (events: PreparedEvent[]) => LedgerEvent[];

  append(events: PreparedEvent[]): LedgerEvent[] {
    if (!this.sqliteAppend) {
      const st = this.statements();
      const tx = this.sqlite.transaction((batch: PreparedEvent[]) => {
        const h = st.tail();
        const recordedAt = new Date().toISOString();
        const { rows, out, last } = chain(
          h,
          batch.map((e) => ({ ...e, recordedAt })),
        );
        for (const r of rows) st.insert.run(...EVENT_COLUMNS.map((c) => r[c]));
        st.move.run(last.seq, last.hash);
        return out;
      });
      this.sqliteAppend = (batch) => tx.immediate(batch);
    }
    return this.busy(() => this.sqliteAppend!(events));
  }

  private busy<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_BUSY')
        throw new InputError(
          `the ledger stayed locked by another writer for 60 s: ${(e as Error).message}`,
          this.where,
        );
      throw occupied(e, this.where);
    }
  }
}

/** Opens (or, with `create`, makes) a SQLite ledger, migrated to the current schema. */
export async function openSqlite(
  path: string,
  opts: OpenOptions,
): Promise<{ db: Kysely<LedgerDatabase>; database: BetterSqlite3.Database }> {
  if (!existsSync(path)) {
    if (!opts.create) throw new InputError('no ledger here: record an event first, or choose one with --store', path);
    mkdirSync(dirname(path), { recursive: true });
  }
  const { default: Database } = await import('better-sqlite3');
  let database: BetterSqlite3.Database;
  try {
    database = new Database(path, { timeout: 60_000 });
  } catch (e) {
    throw new InputError(`cannot open the ledger: ${(e as Error).message}`, path);
  }
  try {
    // Reading the schema reads the header: a file that is not SQLite fails here, before anything is written.
    const tables = (
      database
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .all() as Array<{
        name: string;
      }>
    ).map((t) => t.name);
    if (tables.length > 0 && !tables.some((t) => t.startsWith('ledger_')))
      throw new InputError(
        `a SQLite database, but not a rollwright ledger (it holds ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}); nothing was changed`,
        path,
      );
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
  } catch (e) {
    database.close();
    if (e instanceof InputError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
      throw new InputError(`not a SQLite database (${(e as Error).message}); nothing was changed`, path);
    throw new InputError(`cannot read the ledger: ${(e as Error).message}`, path);
  }
  const db = new Kysely<LedgerDatabase>({ dialect: new SqliteDialect({ database }) });
  try {
    await migrate(db, 'sqlite', path);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return { db, database };
}
