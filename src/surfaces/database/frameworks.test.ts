import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assessChangeSet } from '../../testing/engine.js';
import { ConfigSchema } from '../../core/config-schema.js';
import { changeSetOf, memoryRepo } from '../../testing/rule-tester.js';
import { pairMigrations, readMigrationDir } from '../../rehearse/migrations.js';
import { compareVersions, recognise } from './frameworks.js';
import { database } from './index.js';

describe('recognise', () => {
  it.each([
    ['db/migrations/000003_add_nick.up.sql', undefined, 'golang-migrate', '000003', 'up'],
    ['db/migrations/000003_add_nick.down.sql', undefined, 'golang-migrate', '000003', 'down'],
    ['sql/V1_2__init.sql', undefined, 'flyway', '1.2', 'up'],
    ['sql/U1_2__init.sql', undefined, 'flyway', '1.2', 'down'],
    ['sql/R__views.sql', undefined, 'flyway', '', 'repeatable'],
    ['app/deploy/users.sql', undefined, 'sqitch', 'users', 'up'],
    ['app/revert/users.sql', undefined, 'sqitch', 'users', 'down'],
    ['app/verify/users.sql', undefined, 'sqitch', 'users', 'verify'],
    ['prisma/migrations/20240101_init/migration.sql', undefined, 'prisma', '20240101_init', 'up'],
    [
      'db/migrations/20240101120000_users.sql',
      '-- migrate:up\nSELECT 1;\n-- migrate:down\n',
      'dbmate',
      '20240101120000',
      'both',
    ],
    ['schema/0007_orders.sql', 'SELECT 1;', 'plain', '0007', 'up'],
  ])('%s', (path, text, framework, version, direction) => {
    expect(recognise(path, text, [])).toMatchObject({ framework, version, direction });
  });

  it('leaves other SQL alone unless the config names its folder', () => {
    expect(recognise('docs/example.sql', 'SELECT 1;', [])).toBeUndefined();
    expect(recognise('sql/changes/001.sql', 'SELECT 1;', ['sql/changes/*.sql'])).toMatchObject({ framework: 'plain' });
  });

  it('orders versions numerically', () => {
    expect(['10', '2', '1.10', '1.2'].sort(compareVersions)).toEqual(['1.2', '1.10', '2', '10']);
  });
});

describe('pairing and bad input', () => {
  it('pairs golang-migrate, dbmate and flyway ups with their downs, in version order', () => {
    const pairs = pairMigrations({
      'm/10_b.up.sql': 'SELECT 1;',
      'm/10_b.down.sql': 'SELECT 2;',
      'm/9_a.up.sql': 'SELECT 3;',
    });
    expect(pairs.map((p) => [p.version, p.up.path, p.down?.path])).toEqual([
      ['9', 'm/9_a.up.sql', undefined],
      ['10', 'm/10_b.up.sql', 'm/10_b.down.sql'],
    ]);
  });

  it('a 20 MB data dump in the migrations folder is reported, not parsed (assess and rehearse)', async () => {
    const dump = `INSERT INTO t VALUES ('${'x'.repeat(1000)}');\n`.repeat(20 * 1024);
    const cs = changeSetOf({}, { 'db/migrations/000009_dump.up.sql': dump });
    cs.files[0]!.unreadable = 'too-large';
    delete cs.files[0]!.newText;
    const a = await assessChangeSet(cs, memoryRepo({}, {}), ConfigSchema.parse({}), { surfaces: [database] });
    expect(a.findings.map((f) => [f.rule, f.messageId])).toEqual([['core/unreadable-file', 'tooLarge']]);

    const dir = mkdtempSync(join(tmpdir(), 'rollwright-dump-'));
    try {
      writeFileSync(join(dir, '000001_a.up.sql'), 'CREATE TABLE a (id int);');
      writeFileSync(join(dir, '000002_dump.up.sql'), dump);
      const r = readMigrationDir(dir);
      expect(r.pairs.map((p) => p.version)).toEqual(['000001']);
      expect(r.skipped).toEqual([
        {
          file: '000002_dump.up.sql',
          reason: `${dump.length} bytes: larger than 8388608, not a migration (a data dump?)`,
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
