/**
 * The baseline of the append benchmark: the same database's plain insert rate, one row per
 * transaction (autocommit), into a table of the ledger's shape (the same columns and the same
 * indexes as ledger_events), through the driver directly: no lock, no chain, no hash, no
 * validation. SQLite uses the ledger's own settings (WAL, synchronous=FULL).
 */
import type { StoreSpec } from '../../ledger/store-spec.js';

export interface RawInserter {
  insert(label: string, i: number): Promise<void>;
  close(): Promise<void>;
}

const PAYLOAD = JSON.stringify({ artifact: `sha256:${'0'.repeat(64)}`, version: '1.0.0' });
const HASH = 'f'.repeat(64);

export async function rawInserter(spec: StoreSpec): Promise<RawInserter> {
  if (spec.kind === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(spec.path, { timeout: 60_000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(CREATE.replace('BIGSERIAL', 'INTEGER'));
    for (const i of INDEXES) db.exec(i);
    const stmt = db.prepare(INSERT.replace(/\$\d+/g, '?'));
    return {
      async insert(label, i) {
        stmt.run(...row(label, i));
      },
      async close() {
        db.close();
      },
    };
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: spec.url });
  await client.connect();
  // Several writers create it at once: one wins, the others find it.
  await client.query(CREATE).catch(() => undefined);
  for (const i of INDEXES) await client.query(i).catch(() => undefined);
  return {
    async insert(label, i) {
      await client.query(INSERT, row(label, i));
    },
    async close() {
      await client.end();
    },
  };
}

const CREATE = `CREATE TABLE IF NOT EXISTS raw_inserts (
  seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL, change_id TEXT, incident_id TEXT,
  service TEXT, environment TEXT, occurred_at TEXT NOT NULL, recorded_at TEXT NOT NULL, actor TEXT NOT NULL,
  payload TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)`;

/** The indexes of ledger_events (migrations 1 and 2). */
const INDEXES = [
  'CREATE UNIQUE INDEX IF NOT EXISTS raw_inserts_id ON raw_inserts (id)',
  'CREATE INDEX IF NOT EXISTS raw_inserts_incident ON raw_inserts (incident_id)',
  'CREATE INDEX IF NOT EXISTS raw_inserts_change ON raw_inserts (change_id)',
  'CREATE INDEX IF NOT EXISTS raw_inserts_type ON raw_inserts (type, occurred_at)',
];

const INSERT = `INSERT INTO raw_inserts (id, type, change_id, incident_id, service, environment, occurred_at, recorded_at,
  actor, payload, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`;

function row(label: string, i: number): unknown[] {
  const now = new Date().toISOString();
  return [
    `${label}-${i}-${Math.random().toString(36).slice(2)}`,
    'change.deployed',
    `CHG-${label}-${i}`,
    null,
    `svc-${label}`,
    'prod',
    now,
    now,
    `writer-${label}`,
    PAYLOAD,
    HASH,
    HASH,
  ];
}
