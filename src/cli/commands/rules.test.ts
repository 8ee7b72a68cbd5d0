import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ROLLBACK_CLASSES } from '../../core/classes.js';
import { UsageError } from '../../core/errors.js';
import { ruleKey } from '../../core/rule.js';
import { allRules } from '../../registry.js';
import { command } from './rules.js';

const run = (argv: string[]) => command.main(argv);

const DOC = new URL('../../../docs/rules.md', import.meta.url);

describe('rollwright rules', () => {
  it('prints an aligned table by default, sorted by rule', async () => {
    const { stdout, exitCode } = await run([]);
    expect(exitCode).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    const keys = allRules().map(ruleKey).sort();
    const w = Math.max(4, ...keys.map((k) => k.length));
    // The class column is as wide as the longest class any rule has.
    const cw = Math.max(5, ...allRules().map((r) => r.class.length));
    expect(lines[0]).toBe(`${'RULE'.padEnd(w)}  ${'CLASS'.padEnd(cw)}  SEVERITY  SUMMARY`);
    expect(lines.slice(1).map((l) => l.slice(0, w).trimEnd())).toEqual(keys);
    expect(lines).toContain(
      `${'core/unreadable-file'.padEnd(w)}  ${'non-recoverable-without-restore'.padEnd(cw)}  error     A file that a surface would assess is binary, not valid UTF-8, or larger than the size limit, so it was not parsed.`,
    );
    // Every row's class column starts at the same place.
    for (const l of lines.slice(1)) expect(l.slice(w, w + 2) + l.slice(w + 2).split(' ')[0]).toMatch(/^  [a-z-]+$/);
    expect(lines.slice(1).every((l) => ROLLBACK_CLASSES.includes(l.slice(w + 2).split(' ')[0] as never))).toBe(true);
  });

  it('prints full metadata as JSON, with each message’s effective class and severity', async () => {
    const rules = JSON.parse((await run(['-o', 'json'])).stdout);
    expect(rules.map((r: { rule: string }) => r.rule)).toEqual(allRules().map(ruleKey).sort());
    expect(rules.find((r: { rule: string }) => r.rule === 'core/unreadable-file')).toEqual({
      rule: 'core/unreadable-file',
      surface: 'core',
      id: 'unreadable-file',
      class: 'non-recoverable-without-restore',
      severity: 'error',
      blocksGate: true,
      acceptable: true,
      summary: 'A file that a surface would assess is binary, not valid UTF-8, or larger than the size limit, so it was not parsed.',
      rationale:
        'Unknown is never safe: rollwright cannot say how a change it did not read could be undone, so the class is held at the conservative end until the file is made readable or excluded.',
      fix: 'Keep deployable files as text (UTF-8) under `limits.maxFileBytes` (raise the limit in .rollwright.yaml if a large file is legitimate), or move generated artefacts out of the paths surfaces read.',
      references: [],
      messages: {
        binary: {
          text: '{{path}} is binary: rollwright did not parse it, so its effect on rollback is unknown',
          class: 'non-recoverable-without-restore',
          severity: 'error',
        },
        encoding: {
          text: '{{path}} is not valid UTF-8 (first at line {{line}}): rollwright did not parse it, so its effect on rollback is unknown',
          class: 'non-recoverable-without-restore',
          severity: 'error',
        },
        tooLarge: {
          text: '{{path}} is {{size}} bytes, over the {{limit}}-byte limit: not parsed, so its effect on rollback is unknown',
          class: 'non-recoverable-without-restore',
          severity: 'error',
        },
      },
    });
    const lb = rules.find((r: { rule: string }) => r.rule === 'kubernetes/stateless-object-deleted');
    expect(lb.messages.loadBalancer).toMatchObject({ class: 'reversible-with-manual-repair', severity: 'warning' });
    expect(lb.blocksGate).toBe(false);
    const secret = rules.find((r: { rule: string }) => r.rule === 'kubernetes/plaintext-secret');
    expect([lb.acceptable, secret.acceptable]).toEqual([true, false]);
  });

  it('prints the rule reference as Markdown: a section per surface and an anchor per rule', async () => {
    const { stdout } = await run(['--output', 'markdown']);
    expect(stdout.startsWith('# Rule reference\n')).toBe(true);
    expect(stdout).toContain('\n## core: Engine\n');
    expect(stdout).toContain('\n## kubernetes: Kubernetes manifests\n');
    for (const key of allRules().map(ruleKey)) {
      const anchor = key.replace('/', '-');
      expect(stdout).toContain(`\n<a name="${anchor}"></a>\n\n### ${key}\n`);
      expect(stdout).toContain(`[\`${key}\`](#${anchor})`);
    }
  });

  it('rejects an unknown format and explains itself with --help', async () => {
    await expect(run(['-o', 'yaml'])).rejects.toBeInstanceOf(UsageError);
    expect((await run(['--help'])).stdout).toContain('Usage: rollwright rules [-o text|json|markdown]');
  });
});

describe('docs/rules.md', () => {
  it('matches the rule metadata (regenerate it with `npm run docs`)', async () => {
    const expected = (await run(['-o', 'markdown'])).stdout;
    const actual = await readFile(DOC, 'utf8').catch(() => '');
    if (actual !== expected) {
      expect.fail(
        actual === ''
          ? 'docs/rules.md is missing: run `npm run docs` to generate it from the rule metadata'
          : 'docs/rules.md is out of date with the rule metadata: run `npm run docs` and commit the result',
      );
    }
  });
});
