/** Raw SQL against a store, bypassing rollwright: how tests tamper with a ledger like an attacker would. */
import type { StoreSpec } from '../../ledger/store-spec.js';

export async function rawSql(
  spec: StoreSpec,
  text: string,
  params: unknown[] = [],
): Promise<Array<Record<string, unknown>>> {
  if (spec.kind === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(spec.path);
    try {
      const stmt = db.prepare(text.replace(/\$\d+/g, '?'));
      if (stmt.reader) return stmt.all(...params) as Array<Record<string, unknown>>;
      stmt.run(...params);
      return [];
    } finally {
      db.close();
    }
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: spec.url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}
