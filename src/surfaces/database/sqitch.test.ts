import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { sqitchPairs } from '../../rehearse/migrations.js';
import { SQITCH_PLAN, sqitchProject } from '../../rehearse/fixtures.js';
import { checkSqitchPlan, parseDependency, parseSqitchPlan } from './sqitch.js';

const line = (name: string, deps = '') =>
  `${name}${deps ? ` [${deps}]` : ''} 2024-01-01T00:00:00Z Marge <m@example.com> # ${name}`;

describe('sqitch.plan', () => {
  it('reads changes in plan order with their dependencies, tags and the project', () => {
    const p = parseSqitchPlan(SQITCH_PLAN);
    expect(p.project).toBe('flipr');
    expect(p.changes.map((c) => [c.name, c.requires.map((d) => d.raw), c.line])).toEqual([
      ['appschema', [], 5],
      ['users', ['appschema'], 6],
      ['flips', ['appschema', 'users'], 7],
      ['hashtags', ['appschema', 'flips'], 10],
    ]);
    expect([...p.tags]).toEqual([['v1.0', 2]]);
    expect(checkSqitchPlan(p)).toEqual({ problems: [], external: [] });
  });

  it('parses dependency forms: change, change@tag, project:change, !conflict', () => {
    expect(parseDependency('users@v1.0')).toEqual({ raw: 'users@v1.0', conflict: false, change: 'users', tag: 'v1.0' });
    expect(parseDependency('other:users')).toEqual({
      raw: 'other:users',
      conflict: false,
      project: 'other',
      change: 'users',
    });
    expect(parseDependency('!dr_evil')).toEqual({ raw: '!dr_evil', conflict: true, change: 'dr_evil' });
  });

  it('refuses what sqitch refuses: a requirement planned later, an unknown one, a conflict with a deployed change', () => {
    const later = parseSqitchPlan(['%project=p', '', line('flips', 'users'), line('users')].join('\n'));
    expect(checkSqitchPlan(later).problems).toEqual([
      { line: 3, message: 'Change "flips" planned 1 change before required change "users"' },
    ]);
    const unknown = parseSqitchPlan(['%project=p', line('flips', 'nope')].join('\n'));
    expect(checkSqitchPlan(unknown).problems).toEqual([
      { line: 2, message: 'Unknown change "nope" required by change "flips"' },
    ]);
    const conflict = parseSqitchPlan(['%project=p', line('a'), line('b', '!a')].join('\n'));
    expect(checkSqitchPlan(conflict).problems[0]!.message).toMatch(/^Change "b" conflicts with change "a"/);
    const external = parseSqitchPlan(['%project=p', line('a', 'other:x')].join('\n'));
    expect(checkSqitchPlan(external)).toEqual({ problems: [], external: ['other:x (required by a)'] });

    const files: Record<string, string> = { 'deploy/flips.sql': 'SELECT 1;', 'deploy/users.sql': 'SELECT 1;' };
    expect(() =>
      sqitchPairs(['%project=p', '', line('flips', 'users'), line('users')].join('\n'), (r) => files[r], {
        root: 'db',
      }),
    ).toThrow(new InputError('Change "flips" planned 1 change before required change "users"', 'db/sqitch.plan', 3));
  });

  it('pairs deploy/revert/verify in plan order; a reworked change runs its earlier script (name@tag.sql) first', () => {
    const plan = [
      '%project=p',
      line('users'),
      '@v1.0 2024-01-02T00:00:00Z Marge <m@example.com> # tag',
      line('users', 'users@v1.0'),
    ].join('\n');
    const files: Record<string, string> = {
      'deploy/users@v1.0.sql': 'CREATE TABLE users (id int);',
      'revert/users@v1.0.sql': 'DROP TABLE users;',
      'deploy/users.sql': 'ALTER TABLE users ADD COLUMN name text;',
      'revert/users.sql': 'ALTER TABLE users DROP COLUMN name;',
      'verify/users.sql': 'SELECT name FROM users WHERE FALSE;',
    };
    const pairs = sqitchPairs(plan, (r) => files[r], { root: 'db' });
    expect(pairs.map((p) => [p.version, p.up.path, p.down?.path, p.verify?.path])).toEqual([
      ['users@v1.0', 'db/deploy/users@v1.0.sql', 'db/revert/users@v1.0.sql', undefined],
      ['users', 'db/deploy/users.sql', 'db/revert/users.sql', 'db/verify/users.sql'],
    ]);
  });

  it('a change whose deploy script is missing is an input error at its plan line', () => {
    const files: Record<string, string | undefined> = { ...sqitchProject(), 'deploy/flips.sql': undefined };
    expect(() => sqitchPairs(SQITCH_PLAN, (r) => files[r], { root: 'flipr' })).toThrow(
      new InputError('no deploy script flipr/deploy/flips.sql for change "flips"', 'flipr/sqitch.plan', 7),
    );
  });

  it('a planned revert (-change) runs the revert script as its up and the deploy script as its down', () => {
    const plan = ['%project=p', line('a'), line('b'), line('-b')].join('\n');
    const files: Record<string, string> = {
      'deploy/a.sql': 'CREATE TABLE a (id int);',
      'deploy/b.sql': 'CREATE TABLE b (id int);',
      'revert/b.sql': 'DROP TABLE b;',
    };
    const pairs = sqitchPairs(plan, (r) => files[r]);
    expect(pairs.map((p) => [p.version, p.up.path, p.down?.path])).toEqual([
      ['a', './deploy/a.sql', undefined],
      ['b', './deploy/b.sql', './revert/b.sql'],
      ['-b', './revert/b.sql', './deploy/b.sql'],
    ]);
  });
});
