import { describe, expect, it } from 'vitest';
import type { ChangeSet, CommitInfo } from '../core/change.js';
import { InputError } from '../core/errors.js';
import { defaultConfig } from '../core/config.js';
import { findDeclaration } from './declarations.js';
import { changeSetOf, memoryRepo } from '../testing/rule-tester.js';

const decl = (id: string, extra = '') => `change:
  id: ${id}
  environment: prod
  rollbackClass: reversible-with-compatibility-window
  rollbackWindow: 48h
  rollbackMethod: revert-image-digest-and-disable-new-feature-flag
  irreversibleEffects:
    - none expected before cleanup job
  verification:
    - error-rate < 1%
${extra}`;

function commit(trailers: Array<[string, string]>, sha = 'c'.repeat(40)): CommitInfo {
  return { sha, subject: 's', body: '', trailers };
}

function changes(
  after: Record<string, string>,
  commits: CommitInfo[] = [],
  before: Record<string, string> = {},
): ChangeSet {
  return { ...changeSetOf(before, after), commits };
}

describe('findDeclaration', () => {
  it('reads the declaration file added in the range (the documented form, docs/gate.md)', async () => {
    const files = { '.rollwright/changes/CHG-2026-0821.yaml': decl('CHG-2026-0821') };
    const r = await findDeclaration(changes(files), memoryRepo({}, files), defaultConfig());
    expect(r.problems).toEqual([]);
    expect(r.declaration).toEqual({
      source: '.rollwright/changes/CHG-2026-0821.yaml',
      id: 'CHG-2026-0821',
      environment: 'prod',
      rollbackClass: 'reversible-with-compatibility-window',
      rollbackWindow: '48h',
      rollbackMethod: 'revert-image-digest-and-disable-new-feature-flag',
      irreversibleEffects: ['none expected before cleanup job'],
      verification: ['error-rate < 1%'],
    });
  });

  it('accepts per-surface windows', async () => {
    const text = decl('CHG-1').replace(
      'rollbackWindow: 48h',
      'rollbackWindow:\n    appImage: 24h\n    databaseSchema: until-contract-phase',
    );
    const files = { '.rollwright/changes/CHG-1.yaml': text };
    const r = await findDeclaration(changes(files), memoryRepo({}, files), defaultConfig());
    expect(r.declaration?.rollbackWindow).toEqual({ appImage: '24h', databaseSchema: 'until-contract-phase' });
  });

  it('finds a declaration that landed earlier by its Change-Id trailer', async () => {
    const head = { '.rollwright/changes/CHG-7.yaml': decl('CHG-7'), '.rollwright/changes/CHG-8.yaml': decl('CHG-8') };
    const r = await findDeclaration(
      changes({ 'app.yaml': 'x: 1\n' }, [commit([['Change-Id', 'CHG-8']])]),
      memoryRepo(head, { ...head, 'app.yaml': 'x: 1\n' }),
      defaultConfig(),
    );
    expect(r.declaration?.id).toBe('CHG-8');
  });

  it('reads Rollback-* trailers of the newest commit that has them', async () => {
    const r = await findDeclaration(
      changes({ 'app.yaml': 'x: 1\n' }, [
        commit([['Rollback-Class', 'forward-only']], 'a'.repeat(40)),
        commit(
          [
            ['Rollback-Class', 'fully-reversible'],
            ['Rollback-Method', 'git revert'],
            ['Rollback-Window', '24h'],
            ['Rollback-Verification', 'error-rate < 1%'],
            ['Rollback-Verification', 'p99 < 300ms'],
          ],
          'b'.repeat(40),
        ),
      ]),
      memoryRepo({}, {}),
      defaultConfig(),
    );
    expect(r.declaration).toEqual({
      source: 'trailer:bbbbbbbbbbbb',
      rollbackClass: 'fully-reversible',
      rollbackMethod: 'git revert',
      rollbackWindow: '24h',
      verification: ['error-rate < 1%', 'p99 < 300ms'],
    });
  });

  it('reports a trailer class that is not a class', async () => {
    const r = await findDeclaration(
      changes({}, [commit([['Rollback-Class', 'mostly-fine']])]),
      memoryRepo({}, {}),
      defaultConfig(),
    );
    expect(r.problems[0]).toMatch(/"mostly-fine" is not a rollback class/);
  });

  it('reports schema problems with the file and field', async () => {
    const files = {
      '.rollwright/changes/bad.yaml': decl('X').replace('reversible-with-compatibility-window', 'sort-of'),
    };
    const r = await findDeclaration(changes(files), memoryRepo({}, files), defaultConfig());
    expect(r.problems).toEqual([
      '.rollwright/changes/bad.yaml:4: change.rollbackClass: "sort-of" is not one of fully-reversible, reversible-with-compatibility-window, reversible-with-manual-repair, forward-only, compensatable, non-recoverable-without-restore',
    ]);
  });

  it('throws an InputError with file and line for YAML that does not parse', async () => {
    const files = { '.rollwright/changes/bad.yaml': 'change:\n  id: [x\n' };
    await expect(findDeclaration(changes(files), memoryRepo({}, files), defaultConfig())).rejects.toThrow(InputError);
    await expect(findDeclaration(changes(files), memoryRepo({}, files), defaultConfig())).rejects.toThrow(
      /\.rollwright\/changes\/bad\.yaml:\d+/,
    );
  });

  it('refuses two declarations in one range', async () => {
    const files = { '.rollwright/changes/A.yaml': decl('A'), '.rollwright/changes/B.yaml': decl('B') };
    await expect(findDeclaration(changes(files), memoryRepo({}, files), defaultConfig())).rejects.toThrow(
      /2 change declarations match/,
    );
  });

  it('picks one of two by --change-id', async () => {
    const files = { '.rollwright/changes/A.yaml': decl('A'), '.rollwright/changes/B.yaml': decl('B') };
    const r = await findDeclaration(changes(files), memoryRepo({}, files), defaultConfig(), 'B');
    expect(r.declaration?.id).toBe('B');
  });

  it('an unknown --change-id is an input error', async () => {
    await expect(findDeclaration(changes({}), memoryRepo({}, {}), defaultConfig(), 'NOPE')).rejects.toThrow(
      /no declaration with id "NOPE"/,
    );
  });

  it('no declaration at all', async () => {
    const r = await findDeclaration(changes({ 'a.yaml': 'a: 1\n' }), memoryRepo({}, {}), defaultConfig());
    expect(r).toEqual({ declaration: null, problems: [] });
  });
});
