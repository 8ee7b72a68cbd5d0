import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// No identity anywhere: git's global config, the environment. The notes commit must still be made.
process.env.GIT_CONFIG_GLOBAL = '/dev/null';
for (const k of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'EMAIL'])
  delete process.env[k];
const notes = await import('./notes.js');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rollwright-notes-'));
  execFileSync('git', ['init', '-q', dir]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('git notes as a witness', () => {
  it.each([
    ['refs/notes/rollwright-checkpoints', true],
    ['notes/audit', true],
    ['audit', true],
    ['refs/notes/team.ledger_1', true],
    ['', false],
    ['..', false],
    ['refs/notes/../heads/main', false],
    ['refs/notes/', false],
    ['refs//notes', false],
    ['refs/notes/x.lock', false],
    ['-delete', false],
    ['refs/notes/-x', false],
    ['refs/notes/.hidden', false],
    ['refs/notes/a b', false],
    ['refs/notes/a:b', false],
    ['refs/notes/a~1', false],
  ])('validNotesRef(%j) is %s', (ref, ok) => {
    expect(notes.validNotesRef(ref)).toBe(ok);
  });

  it('appends paragraphs to a note on a blob, one commit each, with a fallback identity', async () => {
    expect(await notes.gitDirOf(dir)).toBe(join(dir, '.git'));
    expect(await notes.gitDirOf(tmpdir())).toBeUndefined();
    const computed = await notes.blobId(dir, 'rollwright-ledger:x\n', false);
    expect(() => execFileSync('git', ['-C', dir, 'cat-file', '-e', computed], { stdio: 'ignore' })).toThrow();
    const blob = await notes.blobId(dir, 'rollwright-ledger:x\n', true);
    expect(blob).toBe(computed);
    expect(await notes.readNote(dir, 'refs/notes/audit', blob)).toBeUndefined();
    await notes.appendNote(dir, 'refs/notes/audit', blob, '{"a":1}');
    await notes.appendNote(dir, 'refs/notes/audit', blob, '{"b":2}');
    const text = await notes.readNote(dir, 'refs/notes/audit', blob);
    expect(text!.split('\n').filter(Boolean)).toEqual(['{"a":1}', '{"b":2}']);
    const log = execFileSync('git', ['-C', dir, 'log', '--format=%an <%ae>', 'refs/notes/audit'], { encoding: 'utf8' });
    expect(log.trim().split('\n')).toEqual([
      'rollwright <rollwright@localhost.invalid>',
      'rollwright <rollwright@localhost.invalid>',
    ]);
    await expect(notes.readNote(dir, '--ref=x', blob)).rejects.toThrow(/not a notes ref/);
  });
});
