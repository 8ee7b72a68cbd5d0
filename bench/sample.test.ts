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

describe('sample.mjs draw --same-as', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rw-sample-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('carries the verdicts of identical findings over one to one, in order', () => {
    const finding = {
      rule: 'terraform/resource-removed',
      severity: 'warning',
      file: 'main.tf',
      line: 3,
      object: 'a.b',
      message: 'm',
    };
    const other = { ...finding, line: 9 };
    const commit = { ...record(1, 'forward-only'), findings: [finding, finding, other] };
    writeFileSync(join(dir, 'h.jsonl'), JSON.stringify(commit) + '\n');
    const judged = {
      seed: 1,
      commits: [
        {
          bundle: 'h',
          commit: commit.commit,
          class: 'forward-only',
          expected_class: 'forward-only',
          findings: [
            { ...finding, verdict: 'tp', reason: 'this root sets it' },
            { ...finding, verdict: 'fp', reason: 'this root does not', cause: 'off by default' },
          ],
          misses: [],
        },
      ],
    };
    writeFileSync(join(dir, 'judged.yaml'), YAML.stringify(judged));
    execFileSync(
      process.execPath,
      [script, 'draw', join(dir, 'h.jsonl'), '--same-as', 'judged.yaml', '--out', 'out.yaml'],
      {
        cwd: dir,
        stdio: 'pipe',
      },
    );
    const doc = YAML.parse(readFileSync(join(dir, 'out.yaml'), 'utf8'));
    expect(doc.commits[0].findings.map((f: { verdict: string | null }) => f.verdict)).toEqual(['tp', 'fp', null]);
    expect(doc.commits[0].findings[1].cause).toBe('off by default');
  });
});
