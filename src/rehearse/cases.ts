/**
 * Rehearsal cases shared by the PGlite and the real PostgreSQL tests: the same expectations on both
 * databases. Imported by tests only.
 */
import { expect, it } from 'vitest';
import type { Db, DbTiming } from './driver.js';
import { pairMigrations } from './migrations.js';
import { examplePairs, exampleQueries } from './fixtures.js';
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
