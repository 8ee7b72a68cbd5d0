import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rehearseHook } from '../../rehearse/assess-hook.js';
import { GitFixture } from '../../testing/git-fixture.js';
import { lintTree } from './index.js';

// `lint --rehearse` on embedded PGlite: a folder's whole history up, down to nothing, up again.
let repo: GitFixture;
beforeAll(async () => {
  repo = await GitFixture.create();
  repo.commit('migrations', {
    'db/migrations/1_users.up.sql': 'CREATE TABLE users (id int PRIMARY KEY, email text);\n',
    'db/migrations/1_users.down.sql': 'DROP TABLE users;\n',
    // The down drops an index that does not exist: it fails, and a rollback with it.
    'db/migrations/2_orders.up.sql': 'CREATE TABLE orders (id int PRIMARY KEY, user_id int);\n',
    'db/migrations/2_orders.down.sql': 'DROP INDEX orders_user_idx;\nDROP TABLE orders;\n',
    'other/migrations/1_a.up.sql': 'CREATE TABLE a (id int);\n',
    'other/migrations/1_a.down.sql': 'DROP TABLE a;\n',
  });
});
afterAll(() => repo.cleanup());

describe('lint --rehearse', () => {
  it('runs the chosen folder and reports the down that fails, with file and line', async () => {
    const r = await lintTree({ repo: repo.dir, rehearse: rehearseHook({ oneDir: true, dir: 'db/migrations' }) });
    const found = r.findings.filter((f) => f.rule === 'database/rehearsal');
    expect(found.map((f) => [f.messageId, f.file, f.line])).toEqual([
      ['downFailed', 'db/migrations/2_orders.down.sql', 1],
    ]);
    expect(found[0]!.message).toMatch(/orders_user_idx/);
    // Read statically the down is the inverse (it drops the table): only running it shows it fails.
    expect(r.findings.some((f) => f.rule === 'database/down-not-inverse')).toBe(false);
  });

  it('refuses to run several folders at once, naming them', async () => {
    await expect(lintTree({ repo: repo.dir, rehearse: rehearseHook({ oneDir: true }) })).rejects.toThrow(
      /one migrations folder at a time; choose one with --migrations DIR \(found: db\/migrations \(golang-migrate\), other\/migrations \(golang-migrate\)\)/,
    );
    await expect(lintTree({ repo: repo.dir, rehearse: rehearseHook({ oneDir: true, dir: 'nope' }) })).rejects.toThrow(
      /--migrations: no migrations folder "nope"/,
    );
  });

  it('a folder whose downs invert their ups reports nothing', async () => {
    const r = await lintTree({ repo: repo.dir, rehearse: rehearseHook({ oneDir: true, dir: './other/migrations/' }) });
    expect(r.findings.filter((f) => f.rule === 'database/rehearsal')).toEqual([]);
  });
});
