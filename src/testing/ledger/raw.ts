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

/**
 * Rewrites a ledger the way a writer with database access can: edits the events from `fromSeq` on
 * (`edit` may change any field but the sequence number) and recomputes every hash after them and the
 * head, so that the chain verifies again. Only signed checkpoints and witnesses can tell.
 */
export async function rechain(
  spec: StoreSpec,
  fromSeq: number,
  edit: (e: import('../../ledger/chain.js').LedgerEvent) => void,
): Promise<void> {
  const { hashOf } = await import('../../ledger/chain.js');
  const { canonicalJson } = await import('../../ledger/canonical.js');
  const { rowToEvent } = await import('../../ledger/schema.js');
  const rows = await rawSql(spec, 'SELECT * FROM ledger_events WHERE seq >= 1 ORDER BY seq');
  let prev: string | undefined;
  for (const row of rows) {
    const e = rowToEvent(row as never);
    if (e.seq < fromSeq) {
      prev = e.hash;
      continue;
    }
    if (e.seq === fromSeq) edit(e);
    e.prevHash = prev ?? '0'.repeat(64);
    e.hash = hashOf(e);
    prev = e.hash;
    await rawSql(
      spec,
      'UPDATE ledger_events SET type = $1, actor = $2, payload = $3, occurred_at = $4, prev_hash = $5, hash = $6 WHERE seq = $7',
      [e.type, e.actor, canonicalJson(e.payload), e.occurredAt, e.prevHash, e.hash, e.seq],
    );
  }
  await rawSql(spec, 'UPDATE ledger_head SET hash = $1 WHERE id = 1', [prev]);
}
