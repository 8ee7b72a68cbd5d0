/**
 * Seeder cases (composite keys, overlapping keys, self-references and cycles), shared by the PGlite
 * test (seed.test.ts) and the real PostgreSQL 15 test (postgres.test.ts). Imported by tests only.
 */
import { beforeAll, expect, it } from 'vitest';
import { openPglite, type Db, type DbTiming } from './driver.js';
import { pairMigrations } from './migrations.js';
import { rehearse } from './rehearse.js';
import { seed } from './seed.js';

type Open = () => Promise<{ db: Db; timing: DbTiming }>;
let open: Open = openPglite;

async function withDb(sql: string[], fn: (db: Db) => Promise<void>): Promise<void> {
  const { db } = await open();
  try {
    for (const s of sql) await db.exec(s);
    await fn(db);
  } finally {
    await db.close();
  }
}

const n = async (db: Db, sql: string) => (await db.query<{ n: number }>(sql))[0]!.n;

export function seedCases(opener: () => Open): void {
  beforeAll(() => {
    open = opener();
  });

  it('composite foreign keys take whole parent tuples; overlapping keys agree on the shared column', async () => {
    await withDb(
      [
        'CREATE TABLE users (tenant_id int, id int, email text NOT NULL, PRIMARY KEY (tenant_id, id))',
        'CREATE TABLE orgs (tenant_id int, id int, PRIMARY KEY (tenant_id, id))',
        `CREATE TABLE memberships (tenant_id int NOT NULL, user_id int NOT NULL, org_id int NOT NULL,
           PRIMARY KEY (tenant_id, user_id, org_id),
           FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
           FOREIGN KEY (tenant_id, org_id) REFERENCES orgs (tenant_id, id))`,
      ],
      async (db) => {
        const r = await seed(db);
        expect(r).toEqual({ rows: 9, tables: 3, refused: [], notes: [] });
        expect(
          await n(
            db,
            `SELECT count(*)::int AS n FROM memberships m JOIN users u ON (u.tenant_id, u.id) = (m.tenant_id, m.user_id)
             JOIN orgs o ON (o.tenant_id, o.id) = (m.tenant_id, m.org_id)`,
          ),
        ).toBe(3);
      },
    );
  });

  it('a composite primary key over two foreign keys stays unique when one parent has a single row', async () => {
    await withDb(
      [
        'CREATE TABLE a (id int PRIMARY KEY)',
        'CREATE TABLE singleton (id int PRIMARY KEY CHECK (id = 1))',
        'CREATE TABLE pairs (s_id int NOT NULL REFERENCES singleton, a_id int NOT NULL REFERENCES a, PRIMARY KEY (s_id, a_id))',
      ],
      async (db) => {
        const r = await seed(db);
        // singleton refuses two of its three rows (its check); pairs still gets three distinct rows.
        expect(r.refused.map((x) => x.table)).toEqual(['public.singleton', 'public.singleton']);
        expect(await n(db, 'SELECT count(*)::int AS n FROM pairs')).toBe(3);
        expect(r.notes).toEqual([]);
      },
    );
  });

  it('self-references: nullable points at the row before; NOT NULL with a generated key points the first row at itself', async () => {
    await withDb(
      [
        'CREATE TABLE employees (id serial PRIMARY KEY, manager_id int REFERENCES employees (id), name text NOT NULL)',
        'CREATE TABLE nodes (id int PRIMARY KEY, parent_id int NOT NULL REFERENCES nodes (id))',
        // A composite self-reference.
        `CREATE TABLE folders (tenant int, id int, parent_tenant int, parent_id int, PRIMARY KEY (tenant, id),
           FOREIGN KEY (parent_tenant, parent_id) REFERENCES folders (tenant, id))`,
      ],
      async (db) => {
        const r = await seed(db);
        expect(r).toMatchObject({ rows: 9, tables: 3, refused: [], notes: [] });
        expect(await n(db, 'SELECT count(*)::int AS n FROM employees WHERE manager_id IS NOT NULL')).toBe(2);
        expect(await n(db, 'SELECT count(*)::int AS n FROM nodes WHERE parent_id = id')).toBe(1);
        expect(await n(db, 'SELECT count(*)::int AS n FROM folders WHERE parent_id IS NOT NULL')).toBe(2);
      },
    );
  });

  it('a NOT NULL self-reference to a database-generated key is a note, not a crash', async () => {
    await withDb(
      ['CREATE TABLE chain (id bigserial PRIMARY KEY, prev_id bigint NOT NULL REFERENCES chain (id))'],
      async (db) => {
        const r = await seed(db);
        expect(r.rows).toBe(0);
        expect(r.notes).toEqual([
          'could not seed table public.chain: cycle via public.chain(prev_id) -> public.chain(id): a NOT NULL self-reference to a key the database generates, and no row to point the first one at',
        ]);
      },
    );
  });

  it('a cycle between tables is broken at its nullable foreign key, then closed', async () => {
    await withDb(
      [
        'CREATE TABLE a (id int PRIMARY KEY, b_id int)',
        'CREATE TABLE b (id int PRIMARY KEY, a_id int NOT NULL REFERENCES a)',
        'ALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES b',
      ],
      async (db) => {
        const r = await seed(db);
        expect(r).toEqual({ rows: 6, tables: 2, refused: [], notes: [] });
        expect(await n(db, 'SELECT count(*)::int AS n FROM a JOIN b ON b.id = a.b_id')).toBe(3);
      },
    );
  });

  it('a cycle of NOT NULL foreign keys: "could not seed table X: cycle via ..." for it and for what depends on it', async () => {
    await withDb(
      [
        'CREATE TABLE a (id int PRIMARY KEY, b_id int NOT NULL)',
        'CREATE TABLE b (id int PRIMARY KEY, a_id int NOT NULL REFERENCES a)',
        'ALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES b',
        'CREATE TABLE c (id int PRIMARY KEY, a_id int NOT NULL REFERENCES a)',
        'CREATE TABLE free (id int PRIMARY KEY)',
      ],
      async (db) => {
        const r = await seed(db);
        expect(r.notes).toEqual([
          'could not seed table public.a: cycle via public.a(b_id) -> public.b(id), public.b(a_id) -> public.a(id) (no nullable foreign key to break it; rows not inserted)',
          'could not seed table public.b: cycle via public.a(b_id) -> public.b(id), public.b(a_id) -> public.a(id) (no nullable foreign key to break it; rows not inserted)',
          'could not seed table public.c: no row in public.a to reference (public.c(a_id) -> public.a(id))',
        ]);
        expect(r).toMatchObject({ rows: 3, tables: 1, refused: [] });
      },
    );
  });

  it('the rehearsal reports what could not be seeded as notes of the seed step, and goes on', async () => {
    const pairs = pairMigrations({
      'm/1_a.up.sql':
        'CREATE TABLE a (id int PRIMARY KEY, b_id int NOT NULL);\nCREATE TABLE b (id int PRIMARY KEY, a_id int NOT NULL REFERENCES a);\nALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES b;',
      'm/2_c.up.sql': 'ALTER TABLE a ADD COLUMN note text;',
      'm/2_c.down.sql': 'ALTER TABLE a DROP COLUMN note;',
    });
    const r = await rehearse({ pairs, open });
    const s = r.steps.find((x) => x.step === 'seed')!;
    expect(s).toMatchObject({ ok: true, detail: '0 row(s) in 0 of 2 table(s)' });
    expect(s.notes).toHaveLength(2);
    expect(s.notes![0]).toMatch(/^could not seed table public\.a: cycle via public\.a\(b_id\) -> public\.b\(id\)/);
    expect(r.ok).toBe(true);
  });
}
