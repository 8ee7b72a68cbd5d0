import { sql, type Kysely } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/**
 * A write transaction that serialises against every other writer of the same ledger:
 * `BEGIN IMMEDIATE` in SQLite (the database's write lock, taken at BEGIN, waiting up to the busy
 * timeout), a plain transaction in PostgreSQL (callers take a transaction-level lock inside it:
 * `SELECT ... FOR UPDATE` on the head row, or an advisory xact lock). Nothing here is a
 * process-local mutex: two processes are serialised by the database itself.
 */
export async function writeTransaction<DB, T>(
  db: Kysely<DB>,
  dialect: Dialect,
  fn: (trx: Kysely<DB>) => Promise<T>,
): Promise<T> {
  if (dialect === 'postgres') return db.transaction().execute((trx) => fn(trx));
  return db.connection().execute(async (conn) => {
    await sql`BEGIN IMMEDIATE`.execute(conn);
    let result: T;
    try {
      result = await fn(conn);
    } catch (e) {
      await sql`ROLLBACK`.execute(conn).catch(() => undefined);
      throw e;
    }
    await sql`COMMIT`.execute(conn);
    return result;
  });
}
