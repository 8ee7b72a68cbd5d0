/**
 * Rehearsal cases shared by the PGlite and the real PostgreSQL tests: the same expectations on both
 * databases. Imported by tests only.
 */
import { expect, it } from 'vitest';
import type { Db, DbTiming } from './driver.js';
import { pairMigrations, prismaPairs, sqitchPairs } from './migrations.js';
import { examplePairs, exampleQueries, prismaMigrations, sqitchProject } from './fixtures.js';
import { rehearse, type RehearsalReport } from './rehearse.js';

type Open = () => Promise<{ db: Db; timing: DbTiming }>;

const summary = (r: RehearsalReport) => r.steps.map((s) => `${s.step}:${s.ok ? 'ok' : 'FAIL'}`);

export function rehearsalCases(open: () => Open, timeout = 60_000): void {
  it(
    'example 000003-000004 (expand): every step passes, schema restored, re-up idempotent',
    async () => {
      const r = await rehearse({ pairs: examplePairs(), from: '2', to: '4', queries: exampleQueries(), open: open() });
      expect(summary(r)).toEqual([
        'start:ok',
        'base:ok',
        'seed:ok',
        'up:ok',
        'old-queries:ok',
        'down:ok',
        'schema:ok',
        'rows:ok',
        're-up:ok',
      ]);
      expect(r.ok).toBe(true);
      expect(r.migrations).toEqual(['000003', '000004']);
      // users and orders seeded, respecting the orders -> users foreign key and the check.
      expect(r.steps.find((s) => s.step === 'seed')!.detail).toBe('6 row(s) in 2 of 2 table(s)');
      expect(r.steps.find((s) => s.step === 'old-queries')!.detail).toBe(
        '3 old query(ies) prepare against the new schema',
      );
    },
    timeout,
  );

  it(
    'example 000005 (contract): the old query that selects legacy_phone fails against the new schema',
    async () => {
      const r = await rehearse({ pairs: examplePairs(), from: '4', to: '5', queries: exampleQueries(), open: open() });
      const q = r.steps.find((s) => s.step === 'old-queries')!;
      expect(q.ok).toBe(false);
      expect(q.queries).toEqual([
        {
          file: 'db/queries/shop.sql',
          line: 3,
          query: 'SELECT id, email, name, legacy_phone FROM users WHERE id = $1',
          error: 'column "legacy_phone" does not exist',
        },
      ]);
      // The down re-creates the column: the schema is back, the values are not (no row is lost, the data is).
      expect(r.steps.find((s) => s.step === 'schema')!.ok).toBe(true);
    },
    timeout,
  );

  it(
    'example 000006: catches the down migration that does not restore the schema',
    async () => {
      const r = await rehearse({ pairs: examplePairs(), from: '5', to: '6', queries: exampleQueries(), open: open() });
      const schema = r.steps.find((s) => s.step === 'schema')!;
      expect(schema.ok).toBe(false);
      expect(schema.diff).toEqual({ missing: [], extra: ['column public.orders.coupon_id'], changed: [] });
      expect(schema.detail).toBe('column public.orders.coupon_id still exists');
      const reup = r.steps.find((s) => s.step === 're-up')!;
      expect(reup.failed).toMatchObject({
        file: 'db/migrations/000006_add_coupons.up.sql',
        line: 7,
        error: 'column "coupon_id" of relation "orders" already exists',
      });
      expect(r.ok).toBe(false);
    },
    timeout,
  );

  it(
    'a down that fails half-way names its statement; rows lost are counted',
    async () => {
      const pairs = pairMigrations({
        'm/1_t.up.sql': 'CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL);',
        'm/1_t.down.sql': 'DROP TABLE t;',
        'm/2_x.up.sql': 'CREATE TABLE x (id int);\nDELETE FROM t WHERE id > 1;',
        'm/2_x.down.sql': 'DROP TABLE x;\nDROP TABLE nope;\n',
      });
      const r = await rehearse({ pairs, from: '1', to: '2', open: open() });
      const down = r.steps.find((s) => s.step === 'down')!;
      expect(down.failed).toEqual({
        file: 'm/2_x.down.sql',
        line: 2,
        statement: 'DROP TABLE nope',
        error: 'table "nope" does not exist',
      });
      expect(summary(r).slice(-1)).toEqual(['down:FAIL']);

      const fixed = pairMigrations({
        'm/1_t.up.sql': 'CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL);',
        'm/1_t.down.sql': 'DROP TABLE t;',
        'm/2_x.up.sql': 'DELETE FROM t WHERE id > 1;',
        'm/2_x.down.sql': 'SELECT 1;',
      });
      const r2 = await rehearse({ pairs: fixed, from: '1', to: '2', open: open() });
      expect(r2.steps.find((s) => s.step === 'rows')).toMatchObject({
        ok: false,
        detail: 'public.t: 2 of 3 row(s) lost',
        lost: [{ table: 'public.t', before: 3, after: 1 }],
      });
    },
    timeout,
  );

  it(
    'an up that fails reports the statement and stops',
    async () => {
      const pairs = pairMigrations({
        'm/1_t.up.sql': 'CREATE TABLE t (id int);',
        'm/2_x.up.sql': 'ALTER TABLE t ADD COLUMN a int;\nALTER TABLE missing ADD COLUMN b int;',
        'm/2_x.down.sql': 'ALTER TABLE t DROP COLUMN a;',
      });
      const r = await rehearse({ pairs, open: open() });
      expect(r.from).toBe('1');
      expect(summary(r)).toEqual(['start:ok', 'base:ok', 'seed:ok', 'up:FAIL']);
      expect(r.steps.at(-1)!.failed).toMatchObject({
        file: 'm/2_x.up.sql',
        line: 2,
        error: 'relation "missing" does not exist',
      });
    },
    timeout,
  );
}

const flipr = (edit: Record<string, string | undefined> = {}) => {
  const files: Record<string, string | undefined> = { ...sqitchProject(), ...edit };
  return sqitchPairs(files['sqitch.plan']!, (rel) => files[rel], { root: 'flipr' });
};

/** sqitch and Prisma layouts, on either database. */
export function formatCases(open: () => Open, timeout = 60_000): void {
  it(
    'sqitch: plan order (not file order), deploy -> verify -> revert, schema restored',
    async () => {
      const r = await rehearse({ pairs: flipr(), from: 'flips', open: open() });
      expect(summary(r)).toEqual([
        'start:ok',
        'base:ok',
        'seed:ok',
        'up:ok',
        'verify:ok',
        'old-queries:ok',
        'down:ok',
        'schema:ok',
        'rows:ok',
        're-up:ok',
      ]);
      expect(r.outcome).toBe('passed');
      expect(r.from).toBe('flips');
      expect(r.to).toBe('hashtags');
      expect(r.migrations).toEqual(['hashtags']);
      expect(r.steps.find((s) => s.step === 'base')!.detail).toBe('3 migration(s) up to flips');
      expect(r.steps.find((s) => s.step === 'up')!.detail).toBe('1 migration(s): flipr/deploy/hashtags.sql');
      expect(r.steps.find((s) => s.step === 'verify')!.detail).toBe('1 verify script(s) ran without error');
      // users -> flips -> hashtags seeded through their foreign keys (hashtags' key is composite).
      expect(r.steps.find((s) => s.step === 'seed')!.detail).toBe('6 row(s) in 2 of 2 table(s)');

      // --from a tag: the changes planned after it.
      const sinceTag = await rehearse({ pairs: flipr(), from: '@v1.0', open: open() });
      expect(sinceTag).toMatchObject({ from: '@v1.0', to: 'hashtags', migrations: ['hashtags'], ok: true });

      // The whole plan from an empty database: appschema, users and flips deploy before hashtags.
      const all = await rehearse({ pairs: flipr(), from: '0', open: open() });
      expect(all.migrations).toEqual(['appschema', 'users', 'flips', 'hashtags']);
      expect(all.ok).toBe(true);
    },
    timeout,
  );

  it(
    'sqitch: a verify script that raises fails the verify step; the rehearsal goes on to the revert',
    async () => {
      const r = await rehearse({
        pairs: flipr({
          'verify/hashtags.sql':
            'BEGIN;\n\nSELECT flip_id, hashtag, created_at\n  FROM flipr.hashtags\n WHERE FALSE;\n\nROLLBACK;\n',
        }),
        from: 'flips',
        open: open(),
      });
      const verify = r.steps.find((s) => s.step === 'verify')!;
      expect(verify).toMatchObject({
        ok: false,
        status: 'failed',
        detail: 'the verify script raises at flipr/verify/hashtags.sql:3',
        failed: {
          file: 'flipr/verify/hashtags.sql',
          line: 3,
          statement: 'SELECT flip_id, hashtag, created_at FROM flipr.hashtags WHERE FALSE',
          error: 'column "created_at" does not exist',
        },
      });
      // The verify's open transaction was rolled back: the revert and the re-deploy still run.
      expect(summary(r).slice(-4)).toEqual(['down:ok', 'schema:ok', 'rows:ok', 're-up:ok']);
      expect(r.outcome).toBe('failed');
    },
    timeout,
  );

  it(
    'sqitch: a change without a revert script cannot be rolled back',
    async () => {
      const r = await rehearse({ pairs: flipr({ 'revert/hashtags.sql': undefined }), from: 'flips', open: open() });
      expect(r.steps.find((s) => s.step === 'down')).toMatchObject({
        status: 'failed',
        detail: 'no down migration for flipr/deploy/hashtags.sql',
      });
    },
    timeout,
  );

  it(
    'Prisma: folder order; the down step says there is no down migration and the schema is not compared',
    async () => {
      const r = await rehearse({ pairs: prismaPairs(prismaMigrations()), open: open() });
      expect(r.from).toBe('20240101120000_init');
      expect(r.migrations).toEqual(['20240215093000_add_posts']);
      expect(r.steps.map((s) => `${s.step}:${s.status}`)).toEqual([
        'start:passed',
        'base:passed',
        'seed:passed',
        'up:passed',
        'old-queries:passed',
        'down:not-possible',
        'schema:not-possible',
      ]);
      expect(r.steps.find((s) => s.step === 'down')!.detail).toMatch(
        /^no down migration for prisma\/migrations\/20240215093000_add_posts\/migration\.sql: Prisma has no down migrations/,
      );
      expect(r.steps.find((s) => s.step === 'schema')!.detail).toBe(
        'not compared: no down migration ran, so whether the schema can be rolled back is not known',
      );
      expect(r.ok).toBe(false);
      expect(r.outcome).toBe('incomplete');

      // A down.sql beside migration.sql (generated with prisma migrate diff) is rehearsed; --from by timestamp.
      const withDown = prismaPairs({
        ...prismaMigrations(),
        'prisma/migrations/20240215093000_add_posts/down.sql':
          '-- DropForeignKey\nALTER TABLE "Post" DROP CONSTRAINT "Post_authorId_fkey";\n\n-- DropTable\nDROP TABLE "Post";\n',
      });
      const r2 = await rehearse({ pairs: withDown, from: '20240101120000', open: open() });
      expect(r2.outcome).toBe('passed');
      expect(r2.steps.find((s) => s.step === 'down')!.detail).toBe('1 down migration(s)');
    },
    timeout,
  );
}
