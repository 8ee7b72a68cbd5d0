import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';

const script = resolve(__dirname, 'sample.mjs');

/** A replayed commit as bench/replay.mjs writes it, reduced to what `draw` reads. */
const record = (n: number, cls: string) => ({
  commit: `${String(n).padStart(2, '0')}`.repeat(20),
  parent: '00'.repeat(20),
  subject: `commit ${n}`,
  exit: cls === 'fully-reversible' ? 0 : 1,
  class: cls,
  stats: { filesRead: 1 },
  findings: [],
});

describe('sample.mjs draw --exclude', () => {
  let dir: string;
  const records = [1, 2, 3, 4, 5, 6].map((n) => record(n, n % 2 ? 'forward-only' : 'fully-reversible'));
  const sample = (file: string, ns: number[]) =>
    writeFileSync(join(dir, file), YAML.stringify({ commits: ns.map((n) => ({ commit: records[n - 1].commit })) }));
  const draw = (...args: string[]) => {
    execFileSync(
      process.execPath,
      [script, 'draw', join(dir, 'h.jsonl'), '--worse', '9', '--fr', '9', '--unread', '9', ...args],
      { cwd: dir, stdio: 'pipe' },
    );
    return YAML.parse(readFileSync(join(dir, 'out.yaml'), 'utf8'));
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rw-sample-'));
    writeFileSync(join(dir, 'h.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    sample('a.yaml', [1, 2]);
    sample('b.yaml', [5]);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const drawnOf = (doc: { commits: { subject: string }[] }) => doc.commits.map((c) => c.subject).sort();

  it('leaves out the commits of every sample when --exclude is given more than once', () => {
    const doc = draw('--exclude', 'a.yaml', '--exclude', 'b.yaml', '--out', 'out.yaml');
    expect(drawnOf(doc)).toEqual(['commit 3', 'commit 4', 'commit 6']);
    expect(doc.excluded).toEqual({ samples: ['a.yaml', 'b.yaml'], commits: 3 });
  });

  it('takes a comma-separated list too', () => {
    const doc = draw('--exclude', 'a.yaml,b.yaml', '--out', 'out.yaml');
    expect(drawnOf(doc)).toEqual(['commit 3', 'commit 4', 'commit 6']);
  });

  it('draws every commit without --exclude', () => {
    const doc = draw('--out', 'out.yaml');
    expect(drawnOf(doc)).toHaveLength(6);
    expect(doc.excluded).toBeUndefined();
  });
});
