import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { prismaMigrations, sqitchProject } from './fixtures.js';
import { detectFormat, PRISMA_NO_DOWN, readMigrationDir, sqitchLayout } from './migrations.js';

const dirs: string[] = [];
const tree = (files: Record<string, string>): string => {
  const d = mkdtempSync(join(tmpdir(), 'rollwright-migrations-'));
  dirs.push(d);
  for (const [p, t] of Object.entries(files)) {
    mkdirSync(join(d, dirname(p)), { recursive: true });
    writeFileSync(join(d, p), t);
  }
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('reading a migrations folder by its layout', () => {
  it('detects sqitch by sqitch.plan and reads it in plan order', () => {
    const d = tree(sqitchProject());
    expect(detectFormat(d)).toBe('sqitch');
    const r = readMigrationDir(d);
    expect(r.format).toBe('sqitch');
    expect(r.pairs.map((p) => [p.version, !!p.down, !!p.verify])).toEqual([
      ['appschema', true, true],
      ['users', true, true],
      ['flips', true, true],
      ['hashtags', true, true],
    ]);
    expect(r.pairs[1]!.up.path).toBe(`${d}/deploy/users.sql`);
  });

  it('detects Prisma by its migration folders, in folder order, with no down', () => {
    const d = join(tree(prismaMigrations()), 'prisma/migrations');
    expect(detectFormat(d)).toBe('prisma');
    const r = readMigrationDir(d);
    expect(r.format).toBe('prisma');
    expect(r.pairs.map((p) => [p.version, p.name, p.down, p.noDown])).toEqual([
      ['20240101120000_init', 'init', undefined, PRISMA_NO_DOWN],
      ['20240215093000_add_posts', 'add_posts', undefined, PRISMA_NO_DOWN],
    ]);
    expect(r.skipped).toEqual([]);
  });

  it('file-named frameworks: detected by their names; --format keeps one and reports the others', () => {
    const d = tree({
      '1_a.up.sql': 'CREATE TABLE a (id int);',
      '1_a.down.sql': 'DROP TABLE a;',
      '2_b.up.sql': 'CREATE TABLE b (id int);',
      'V3__c.sql': 'CREATE TABLE c (id int);',
    });
    expect(detectFormat(d)).toBeUndefined();
    expect(readMigrationDir(d).format).toBe('golang-migrate');
    const r = readMigrationDir(d, 'flyway');
    expect(r.pairs.map((p) => p.version)).toEqual(['3']);
    expect(r.skipped).toEqual([
      { file: `${d}/1_a.up.sql`, reason: 'a golang-migrate migration, not flyway (--format)' },
      { file: `${d}/2_b.up.sql`, reason: 'a golang-migrate migration, not flyway (--format)' },
    ]);
  });

  it('--format sqitch on a folder without sqitch.plan is an input error', () => {
    const d = tree({ '1_a.up.sql': 'SELECT 1;' });
    expect(() => readMigrationDir(d, 'sqitch')).toThrow(InputError);
    expect(() => readMigrationDir(d, 'sqitch')).toThrow(/no sqitch.plan in the folder/);
  });

  it('sqitch.conf [core] top_dir / plan_file / *_dir move the plan and the scripts', () => {
    expect(sqitchLayout(undefined)).toEqual({
      plan: 'sqitch.plan',
      deploy: 'deploy',
      revert: 'revert',
      verify: 'verify',
    });
    const conf =
      '[core]\n\tengine = pg\n\ttop_dir = sql\n\t# plan_file = nope.plan\n[engine "pg"]\n\ttop_dir = ignored\n';
    expect(sqitchLayout(conf)).toEqual({
      plan: 'sql/sqitch.plan',
      deploy: 'sql/deploy',
      revert: 'sql/revert',
      verify: 'sql/verify',
    });
    const files = Object.fromEntries(Object.entries(sqitchProject()).map(([k, v]) => [`sql/${k}`, v]));
    const d = tree({ ...files, 'sqitch.conf': conf });
    expect(detectFormat(d)).toBe('sqitch');
    const r = readMigrationDir(d);
    expect(r.pairs.map((p) => p.up.path.slice(d.length + 1))).toEqual([
      'sql/deploy/appschema.sql',
      'sql/deploy/users.sql',
      'sql/deploy/flips.sql',
      'sql/deploy/hashtags.sql',
    ]);
    // The tag v1.0 follows flips.
    expect(r.pairs.map((p) => p.tags ?? [])).toEqual([[], [], ['v1.0'], []]);
  });
});
