/**
 * The PostgreSQL 15 behaviours the database rules encode, checked on the real server: what a drop
 * takes with it, what a table swap leaves the running version, what a foreign key dropped and added
 * again changes (a stricter ON DELETE refuses the running version's deletes) and what a primary key
 * dropped and added again to retype its columns does not (no row refused), what an UPDATE
 * computes its values from (its own row, or another table through FROM: a copy), what an ALTER TABLE
 * that cannot fill a NOT NULL column changes (nothing), what a column added nullable without a
 * default holds, which indexes a dropped or renamed column takes along, and what a migration run a
 * second time (renamed to another id) does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgSkipped, startPostgres, type PostgresServer } from '../../testing/postgres.js';

describe.skipIf(pgSkipped())('PostgreSQL 15 semantics behind the database rules', () => {
  let server: PostgresServer;
  let sql: (text: string) => Promise<Array<Record<string, unknown>>>;
  let end: () => Promise<void>;
  beforeAll(async () => {
    server = await startPostgres();
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: await server.createDatabase() });
    await client.connect();
    sql = async (text) => (await client.query(text)).rows;
    end = () => client.end();
  }, 60_000);
  afterAll(async () => {
    await end?.();
    await server?.stop();
  });
  const constraints = async (table: string) =>
    (await sql(`SELECT conname FROM pg_constraint WHERE conrelid = '${table}'::regclass ORDER BY conname`)).map(
      (r) => r.conname,
    );

  it('a migration run again where it already ran (a renamed Prisma folder): IF EXISTS / IF NOT EXISTS and a drop before the same add re-run cleanly; a plain CREATE or DROP fails', async () => {
    // Prisma sends a migration as one multi-statement query: one implicit transaction.
    await sql('CREATE TABLE rr_site (id int PRIMARY KEY); CREATE TABLE rr_event (id int, site_id int, x int)');
    await sql('ALTER TABLE rr_event ADD CONSTRAINT rr_event_x_check CHECK (x > 0)');
    const clean = [
      'ALTER TABLE "rr_event" DROP CONSTRAINT IF EXISTS "rr_event_site_id_fkey";',
      'ALTER TABLE "rr_event" ADD CONSTRAINT "rr_event_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "rr_site"("id") ON DELETE RESTRICT;',
      'CREATE TABLE IF NOT EXISTS rr_a (id int, x int);',
      'CREATE INDEX IF NOT EXISTS rr_a_x_idx ON rr_a (x);',
      'ALTER TABLE rr_a ADD COLUMN IF NOT EXISTS y int;',
      'ALTER TABLE rr_event DROP CONSTRAINT rr_event_x_check;',
      'ALTER TABLE rr_event ADD CONSTRAINT rr_event_x_check CHECK (x > 0);',
      'UPDATE rr_a SET y = 0 WHERE y IS NULL;',
    ].join('\n');
    await sql(clean);
    await sql(clean);
    await sql('CREATE TABLE rr_b (id int); ALTER TABLE rr_event DROP COLUMN x');
    await expect(sql('CREATE TABLE rr_b (id int)')).rejects.toThrow(/already exists/);
    await expect(sql('ALTER TABLE rr_event DROP COLUMN x')).rejects.toThrow(/does not exist/);
  });

  it('a multi-statement query with a syntax error runs none of it; a migration edited after it ran leaves the old schema where it ran', async () => {
    // The server parses the whole query string before it executes any statement (exec_simple_query).
    await expect(
      sql("CREATE TABLE np_role (id int PRIMARY KEY, name text);\nINSERT INTO np_role (id, name) (1, 'admin');"),
    ).rejects.toThrow(/syntax error/);
    expect(await sql("SELECT to_regclass('np_role') AS t")).toEqual([{ t: null }]);
    // The old text of an edited migration ran here: the new version's column is not there.
    await sql('CREATE TABLE np_event (id int, event_numeric_value numeric)');
    await sql('ALTER TABLE "np_event" RENAME COLUMN "event_numeric_value" TO "numeric_value";');
    await expect(sql('SELECT number_value FROM np_event')).rejects.toThrow(/column "number_value" does not exist/);
  });

  it('a statement that fails on the schema the history left rolls back the whole multi-statement query (Prisma sends a migration as one): nothing before it stays, nothing after it runs', async () => {
    await sql('CREATE TABLE fs_event (event_id uuid PRIMARY KEY, session_id uuid NOT NULL, created_at timestamptz)');
    await sql('CREATE INDEX fs_event_created_at_idx ON fs_event (created_at)');
    await sql('CREATE TYPE fs_role AS ENUM (\'admin\')');
    const migration = [
      'ALTER TABLE "fs_event" ADD COLUMN "visit_id" UUID NULL;',
      'ALTER TABLE "fs_event" ADD COLUMN "session_id" UUID NULL;',
      'ALTER TABLE "fs_event" ALTER COLUMN "visit_id" SET NOT NULL;',
      'CREATE INDEX "fs_event_visit_id_idx" ON "fs_event"("visit_id");',
    ].join('\n');
    await expect(sql(migration)).rejects.toThrow(/column "session_id" of relation "fs_event" already exists/);
    const columns = async () =>
      (await sql("SELECT attname FROM pg_attribute WHERE attrelid = 'fs_event'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum")).map((r) => r.attname);
    expect(await columns()).toEqual(['event_id', 'session_id', 'created_at']);
    expect(await sql("SELECT to_regclass('fs_event_visit_id_idx') AS i")).toEqual([{ i: null }]);
    await expect(sql('CREATE INDEX fs_event_created_at_idx ON fs_event (created_at)')).rejects.toThrow(/already exists/);
    await expect(sql("CREATE TYPE fs_role AS ENUM ('x')")).rejects.toThrow(/already exists/);
    await expect(sql('ALTER TABLE fs_event ALTER COLUMN nope SET NOT NULL')).rejects.toThrow(/column "nope" of relation "fs_event" does not exist/);
    await expect(sql('ALTER TABLE fs_event DROP COLUMN nope')).rejects.toThrow(/does not exist/);
    await expect(sql('ALTER TABLE fs_event RENAME COLUMN created_at TO session_id')).rejects.toThrow(/already exists/);
    await expect(sql('DROP TABLE fs_nope')).rejects.toThrow(/does not exist/);
    // With IF [NOT] EXISTS the same statements run (a notice, no error).
    await sql('ALTER TABLE fs_event ADD COLUMN IF NOT EXISTS session_id uuid; CREATE INDEX IF NOT EXISTS fs_event_created_at_idx ON fs_event (created_at); ALTER TABLE fs_event DROP COLUMN IF EXISTS nope; DROP TABLE IF EXISTS fs_nope');
    // A column just added holds only NULL (or its default): a fill from another table overwrites nothing.
    await sql('CREATE TABLE fs_visit (session_id uuid, uuid uuid)');
    await sql("INSERT INTO fs_event VALUES (gen_random_uuid(), '00000000-0000-0000-0000-000000000001', now())");
    await sql("INSERT INTO fs_visit VALUES ('00000000-0000-0000-0000-000000000001', gen_random_uuid())");
    await sql('ALTER TABLE fs_event ADD COLUMN visit_id uuid; ');
    expect(await sql('SELECT count(*)::int AS n FROM fs_event WHERE visit_id IS NOT NULL')).toEqual([{ n: 0 }]);
    await sql('UPDATE fs_event we SET visit_id = a.uuid FROM fs_visit a WHERE we.session_id = a.session_id');
    expect(await sql('SELECT count(*)::int AS n FROM fs_event WHERE visit_id IS NOT NULL')).toEqual([{ n: 1 }]);
  });

  it('DROP COLUMN drops the constraints that involve the column; DROP TABLE refuses while a foreign key references it', async () => {
    await sql('CREATE TABLE role (id int PRIMARY KEY)');
    await sql('CREATE TABLE team_user (id int PRIMARY KEY, role_id int REFERENCES role (id), team int UNIQUE)');
    expect(await constraints('team_user')).toEqual(['team_user_pkey', 'team_user_role_id_fkey', 'team_user_team_key']);
    await sql('ALTER TABLE team_user DROP COLUMN role_id');
    expect(await constraints('team_user')).toEqual(['team_user_pkey', 'team_user_team_key']);
    await sql('ALTER TABLE team_user ADD COLUMN role_id int REFERENCES role (id)');
    await expect(sql('DROP TABLE role')).rejects.toThrow(/other objects depend on it/);
    await sql('ALTER TABLE team_user DROP CONSTRAINT team_user_role_id_fkey');
    await sql('DROP TABLE role');
  });

  it('a table swap: the old name is the new, empty table; the renamed one keeps the rows and its constraints', async () => {
    await sql('CREATE TABLE event (id int PRIMARY KEY, name text)');
    await sql("INSERT INTO event VALUES (1, 'a'), (2, 'b')");
    await sql('ALTER TABLE event RENAME TO _event_old');
    await sql('CREATE TABLE event (event_id int PRIMARY KEY, event_name text)');
    // The running version's query finds a table, of another shape, with none of the rows.
    await expect(sql('SELECT name FROM event')).rejects.toThrow(/column "name" does not exist/);
    expect(await sql('SELECT count(*)::int AS n FROM event')).toEqual([{ n: 0 }]);
    expect(await sql('SELECT count(*)::int AS n FROM _event_old')).toEqual([{ n: 2 }]);
    expect(await constraints('_event_old')).toEqual(['event_pkey']);
    // A naive way back (drop the new table, rename the old one back) loses what was written to the new one.
    await sql("INSERT INTO event VALUES (3, 'c')");
    await sql('DROP TABLE event');
    await sql('ALTER TABLE _event_old RENAME TO event');
    expect(await sql('SELECT id FROM event ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('a foreign key dropped and added again: named as before by default, no row refused, the lock and the action what changes', async () => {
    await sql('CREATE TABLE session (session_id int PRIMARY KEY)');
    await sql('CREATE TABLE hit (id int PRIMARY KEY, session_id int)');
    // Unnamed, PostgreSQL names it <table>_<columns>_fkey: the name a later migration drops it by.
    await sql('ALTER TABLE hit ADD FOREIGN KEY (session_id) REFERENCES session (session_id) ON DELETE CASCADE ON UPDATE CASCADE');
    expect(await constraints('hit')).toEqual(['hit_pkey', 'hit_session_id_fkey']);
    await sql('INSERT INTO session VALUES (1), (2)');
    await sql('INSERT INTO hit VALUES (10, 1), (11, 2)');
    await sql('UPDATE session SET session_id = 3 WHERE session_id = 2');
    expect(await sql('SELECT session_id FROM hit ORDER BY id')).toEqual([{ session_id: 1 }, { session_id: 3 }]);
    await sql('BEGIN');
    await sql('ALTER TABLE hit DROP CONSTRAINT hit_session_id_fkey');
    await sql(
      'ALTER TABLE hit ADD CONSTRAINT hit_session_id_fkey FOREIGN KEY (session_id) REFERENCES session (session_id) ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    const locks = async (t: string) =>
      (await sql(`SELECT mode FROM pg_locks WHERE relation = '${t}'::regclass AND pid = pg_backend_pid() ORDER BY mode`)).map((r) => r.mode);
    // The drop's ACCESS EXCLUSIVE on the table is held to the commit; ADD FOREIGN KEY itself takes SHARE ROW EXCLUSIVE on both.
    expect(await locks('hit')).toContain('AccessExclusiveLock');
    expect(await locks('session')).toContain('ShareRowExclusiveLock');
    await sql('COMMIT');
    // The rows that satisfied the key still do; what changed is the action: the update that cascaded now fails.
    await expect(sql('UPDATE session SET session_id = 4 WHERE session_id = 3')).rejects.toThrow(/violates foreign key constraint/);
    await sql('DELETE FROM session WHERE session_id = 1');
    expect(await sql('SELECT id FROM hit')).toEqual([{ id: 11 }]);
  });

  it('a primary key or unique constraint dropped and added again on the same columns, retyping them: no row refused, the same rows refused after; the table rewritten and its index built under ACCESS EXCLUSIVE', async () => {
    await sql('CREATE TABLE acct (user_id serial PRIMARY KEY, email text CONSTRAINT acct_email_key UNIQUE)');
    await sql("INSERT INTO acct (email) VALUES ('a'), ('b'), (NULL)");
    const file = async () => (await sql("SELECT pg_relation_filenode('acct') AS f"))[0]!.f;
    const before = await file();
    await sql('BEGIN');
    await sql(
      'ALTER TABLE "acct" DROP CONSTRAINT "acct_pkey", ALTER COLUMN "user_id" SET DATA TYPE BIGINT, ADD CONSTRAINT "acct_pkey" PRIMARY KEY ("user_id")',
    );
    await sql('ALTER TABLE acct DROP CONSTRAINT acct_email_key, ADD CONSTRAINT acct_email_key UNIQUE (email)');
    expect(
      (await sql("SELECT mode FROM pg_locks WHERE relation = 'acct'::regclass AND pid = pg_backend_pid()")).map((r) => r.mode),
    ).toContain('AccessExclusiveLock');
    await sql('COMMIT');
    // Rewritten (the type change), every row kept; the constraints are back under their names.
    expect(await file()).not.toBe(before);
    expect(await sql('SELECT count(*)::int AS n FROM acct')).toEqual([{ n: 3 }]);
    expect(await constraints('acct')).toEqual(['acct_email_key', 'acct_pkey']);
    // What the old version wrote is accepted or refused as before.
    await expect(sql('INSERT INTO acct (user_id, email) VALUES (1, \'c\')')).rejects.toThrow(/duplicate key value violates unique constraint "acct_pkey"/);
    await expect(sql("INSERT INTO acct (email) VALUES ('a')")).rejects.toThrow(/violates unique constraint "acct_email_key"/);
    await sql('INSERT INTO acct (email) VALUES (NULL)');
  });

  it('ON DELETE CASCADE made RESTRICT or NO ACTION: the DELETE that cascaded now fails while rows point to the row', async () => {
    await sql('CREATE TABLE site (id int PRIMARY KEY)');
    await sql('CREATE TABLE page (id int PRIMARY KEY, site_id int REFERENCES site (id) ON DELETE CASCADE)');
    await sql('INSERT INTO site VALUES (1), (2), (3)');
    await sql('INSERT INTO page VALUES (10, 1), (11, 2), (12, 3)');
    await sql('DELETE FROM site WHERE id = 1');
    expect(await sql('SELECT id FROM page ORDER BY id')).toEqual([{ id: 11 }, { id: 12 }]);
    await sql('ALTER TABLE page DROP CONSTRAINT page_site_id_fkey');
    await sql('ALTER TABLE page ADD CONSTRAINT page_site_id_fkey FOREIGN KEY (site_id) REFERENCES site (id) ON DELETE RESTRICT');
    // The running version's DELETE of a parent, which relied on the cascade, is refused.
    await expect(sql('DELETE FROM site WHERE id = 2')).rejects.toThrow(/violates foreign key constraint "page_site_id_fkey"/);
    await sql('ALTER TABLE page DROP CONSTRAINT page_site_id_fkey');
    await sql('ALTER TABLE page ADD CONSTRAINT page_site_id_fkey FOREIGN KEY (site_id) REFERENCES site (id)');
    // NO ACTION (the default) checks at the end of the statement: refused the same way.
    await expect(sql('DELETE FROM site WHERE id = 2')).rejects.toThrow(/violates foreign key constraint "page_site_id_fkey"/);
    // Deferred, it is checked at commit: the delete passes only if the rows pointing to it are gone by then.
    await sql('ALTER TABLE page DROP CONSTRAINT page_site_id_fkey');
    await sql('ALTER TABLE page ADD CONSTRAINT page_site_id_fkey FOREIGN KEY (site_id) REFERENCES site (id) DEFERRABLE INITIALLY DEFERRED');
    await sql('BEGIN');
    await sql('DELETE FROM site WHERE id = 2');
    await expect(sql('COMMIT')).rejects.toThrow(/violates foreign key constraint "page_site_id_fkey"/);
    expect(await sql('SELECT id FROM site ORDER BY id')).toEqual([{ id: 2 }, { id: 3 }]);
  });

  it('an ALTER TABLE that adds a NOT NULL column without a default fails on a table with rows and changes nothing, its drops included; on an empty table it runs', async () => {
    await sql('CREATE TABLE web_event (id int PRIMARY KEY, url text, referrer text)');
    await sql("INSERT INTO web_event VALUES (1, '/a', 'x')");
    await expect(
      sql('ALTER TABLE web_event DROP COLUMN referrer, DROP COLUMN url, ADD COLUMN url_path varchar(500) NOT NULL'),
    ).rejects.toThrow(/column "url_path" of relation "web_event" contains null values/);
    expect(await sql('SELECT url, referrer FROM web_event')).toEqual([{ url: '/a', referrer: 'x' }]);
    await sql('CREATE TABLE web_event_empty (id int PRIMARY KEY, url text)');
    await sql('ALTER TABLE web_event_empty DROP COLUMN url, ADD COLUMN url_path varchar(500) NOT NULL');
  });

  it('DROP COLUMN drops every index that involves the column; RENAME COLUMN carries its indexes along', async () => {
    const indexes = async (table: string) =>
      (await sql(`SELECT indexname FROM pg_indexes WHERE tablename = '${table}' ORDER BY indexname`)).map((r) => r.indexname);
    await sql('CREATE TABLE member (id int PRIMARY KEY, role_id int, user_id int, data_key text)');
    await sql('CREATE UNIQUE INDEX member_role_id_user_id_key ON member (role_id, user_id)');
    await sql('CREATE INDEX member_user_id_role_id_idx ON member (user_id, role_id)');
    await sql('CREATE INDEX member_data_key_idx ON member (data_key)');
    await sql('ALTER TABLE member DROP COLUMN role_id');
    expect(await indexes('member')).toEqual(['member_data_key_idx', 'member_pkey']);
    await sql('ALTER TABLE member RENAME COLUMN data_key TO event_key');
    expect(
      (await sql("SELECT indexdef FROM pg_indexes WHERE indexname = 'member_data_key_idx'")).map((r) => r.indexdef),
    ).toEqual(['CREATE INDEX member_data_key_idx ON public.member USING btree (event_key)']);
  });

  it('UPDATE computes every SET expression from the old values of the row', async () => {
    await sql('CREATE TABLE val (id int PRIMARY KEY, data_type int, string_value text, number_value numeric)');
    await sql("INSERT INTO val VALUES (1, 2, NULL, 5), (2, 1, 'kept', NULL)");
    await sql('UPDATE val SET string_value = number_value, number_value = number_value + 1 WHERE data_type = 2');
    expect(await sql('SELECT id, string_value, number_value::int AS n FROM val ORDER BY id')).toEqual([
      { id: 1, string_value: '5', n: 6 },
      { id: 2, string_value: 'kept', n: null },
    ]);
  });

  it('UPDATE ... FROM copies another table\'s column whatever the copy is named, and an unqualified name in a subquery over one table is that table\'s: the dropped values come back from the copy by hand', async () => {
    await sql('CREATE TABLE cp_session (session_id int PRIMARY KEY, hostname text, os text)');
    await sql('CREATE TABLE cp_event (id int PRIMARY KEY, session_id int, os text)');
    await sql("INSERT INTO cp_session VALUES (1, 'a.example', 'linux'), (2, 'b.example', 'mac')");
    await sql('INSERT INTO cp_event VALUES (10, 1, NULL), (11, 2, NULL), (12, 2, NULL)');
    await sql('ALTER TABLE cp_event ADD COLUMN hostname varchar(100)');
    await sql('UPDATE cp_event w SET hostname = s.hostname FROM cp_session s WHERE s.session_id = w.session_id');
    // The outer table has `os` too: PostgreSQL resolves the name in the innermost query first.
    await sql('UPDATE cp_event SET os = (SELECT os FROM cp_session WHERE cp_session.session_id = cp_event.session_id)');
    await sql('ALTER TABLE cp_session DROP COLUMN hostname');
    await sql('ALTER TABLE cp_session ADD COLUMN hostname text');
    await sql('UPDATE cp_session s SET hostname = w.hostname FROM cp_event w WHERE w.session_id = s.session_id');
    expect(await sql('SELECT session_id, hostname FROM cp_session ORDER BY 1')).toEqual([
      { session_id: 1, hostname: 'a.example' },
      { session_id: 2, hostname: 'b.example' },
    ]);
    expect(await sql('SELECT id, os FROM cp_event ORDER BY 1')).toEqual([
      { id: 10, os: 'linux' },
      { id: 11, os: 'mac' },
      { id: 12, os: 'mac' },
    ]);
  });

  it('a column added nullable without a default is NULL on every row, old and new, until something names it; one added with a default holds the default', async () => {
    await sql('CREATE TABLE nn_team_website (id int PRIMARY KEY, team_id int)');
    await sql('INSERT INTO nn_team_website VALUES (1, 7)');
    await sql('ALTER TABLE nn_team_website ADD COLUMN "userId" uuid, ADD COLUMN flag boolean DEFAULT true');
    await sql('INSERT INTO nn_team_website (id, team_id) VALUES (2, 8)');
    expect(await sql('SELECT id, "userId", flag FROM nn_team_website ORDER BY 1')).toEqual([
      { id: 1, userId: null, flag: true },
      { id: 2, userId: null, flag: true },
    ]);
    // Dropped and added back as it was: every row reads as before.
    await sql('ALTER TABLE nn_team_website DROP COLUMN "userId"');
    await sql('ALTER TABLE nn_team_website ADD COLUMN "userId" uuid');
    expect(await sql('SELECT count(*)::int AS n FROM nn_team_website WHERE "userId" IS NOT NULL')).toEqual([{ n: 0 }]);
  });
});
