import { describe, expect, it } from 'vitest';
import { parseRawDiff, parseTrailers } from './diff.js';

const Z = '0'.repeat(40);
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('parseRawDiff', () => {
  it('parses every status with both paths of renames and copies', () => {
    const out = [
      `:000000 100644 ${Z} ${A} A`,
      'added.yaml',
      `:100644 100644 ${A} ${B} M`,
      'dir/modified.yaml',
      `:100644 000000 ${A} ${Z} D`,
      'deleted.yaml',
      `:100644 100644 ${A} ${A} R100`,
      'old name.yaml',
      'new name.yaml',
      `:100644 100644 ${A} ${B} C075`,
      'src.yaml',
      'copy.yaml',
      `:100644 120000 ${A} ${B} T`,
      'link.yaml',
      '',
    ].join('\0');
    expect(parseRawDiff(out)).toEqual([
      { status: 'added', oldMode: '000000', newMode: '100644', newBlob: A, path: 'added.yaml' },
      { status: 'modified', oldMode: '100644', newMode: '100644', oldBlob: A, newBlob: B, path: 'dir/modified.yaml' },
      { status: 'deleted', oldMode: '100644', newMode: '000000', oldBlob: A, path: 'deleted.yaml' },
      {
        status: 'renamed',
        oldMode: '100644',
        newMode: '100644',
        oldBlob: A,
        newBlob: A,
        path: 'new name.yaml',
        oldPath: 'old name.yaml',
      },
      {
        status: 'copied',
        oldMode: '100644',
        newMode: '100644',
        oldBlob: A,
        newBlob: B,
        path: 'copy.yaml',
        oldPath: 'src.yaml',
      },
      { status: 'type-changed', oldMode: '100644', newMode: '120000', oldBlob: A, newBlob: B, path: 'link.yaml' },
    ]);
  });

  it('treats an all-zero new id (a worktree file) as unknown, not as a blob', () => {
    const [e] = parseRawDiff(`:100644 100644 ${A} ${Z} M\0x.yaml\0`);
    expect(e).toEqual({ status: 'modified', oldMode: '100644', newMode: '100644', oldBlob: A, path: 'x.yaml' });
  });

  it('keeps submodules (their mode says so) and paths with newlines and tabs intact', () => {
    const out = [`:160000 160000 ${A} ${B} M`, 'vendor/sub', `:000000 100644 ${Z} ${A} A`, 'we\nird\t.yaml', ''].join(
      '\0',
    );
    const entries = parseRawDiff(out);
    expect(entries.map((e) => e.path)).toEqual(['vendor/sub', 'we\nird\t.yaml']);
    expect(entries[0]).toMatchObject({ oldMode: '160000', newMode: '160000', oldBlob: A, newBlob: B });
  });

  it('parses empty output and Buffers', () => {
    expect(parseRawDiff('')).toEqual([]);
    expect(parseRawDiff(Buffer.from(`:000000 100644 ${Z} ${A} A\0a.yaml\0`))).toHaveLength(1);
  });

  it('throws on output that is not --raw', () => {
    expect(() => parseRawDiff('diff --git a/x b/x\0')).toThrow(/unexpected git diff --raw output/);
    expect(() => parseRawDiff(`:100644 100644 ${A}\0x.yaml\0`)).toThrow(/unexpected git diff --raw output/);
  });

  it('parses SHA-256 object ids and a record without a trailing NUL', () => {
    const a = 'c'.repeat(64);
    const z = '0'.repeat(64);
    expect(parseRawDiff(`:000000 100644 ${z} ${a} A\0dir/a b.sql`)).toEqual([
      { status: 'added', oldMode: '000000', newMode: '100644', newBlob: a, path: 'dir/a b.sql' },
    ]);
  });
});

describe('parseTrailers', () => {
  it('keeps keys as written, in order, with repeated keys', () => {
    const text = [
      'Rollback-Class: reversible-with-manual-repair',
      'Rollback-Verification: error-rate < 1%',
      'Rollback-Verification:   p99 < 300ms  ',
      'rollback-method: revert the digest',
      '',
    ].join('\n');
    expect(parseTrailers(text)).toEqual([
      ['Rollback-Class', 'reversible-with-manual-repair'],
      ['Rollback-Verification', 'error-rate < 1%'],
      ['Rollback-Verification', 'p99 < 300ms'],
      ['rollback-method', 'revert the digest'],
    ]);
  });

  it('ignores lines that are not trailers', () => {
    expect(parseTrailers('no colon here\n: empty key\n\n')).toEqual([]);
  });
});
