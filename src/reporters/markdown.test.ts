import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/finding.js';
import { emptyAssessment, fixtureAssessment, FIXTURE_RULES } from './fixtures.js';
import { render } from './index.js';
import { MARKDOWN_MARKER } from './markdown.js';
import { code, escapeText } from './md.js';

const DOCS = 'https://example.test/rules.md';
const md = (a = fixtureAssessment(), extra: { maxRows?: number } = {}) =>
  render(a, 'markdown', { color: false, rules: FIXTURE_RULES, docsUrl: DOCS, ...extra });

/** The lines between `<details>` + `<summary>TITLE</summary>` and `</details>`. */
function detailsBody(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`<summary>${title}</summary>`);
  expect(start, `details "${title}"`).toBeGreaterThan(0);
  expect(lines[start - 1]).toBe('<details>');
  const end = lines.indexOf('</details>', start);
  return lines.slice(start + 1, end);
}

describe('markdown reporter', () => {
  it('starts with the hidden marker, then the class and the gate verdict', () => {
    const lines = md().split('\n');
    expect(lines.slice(0, 9)).toEqual([
      MARKDOWN_MARKER,
      '**Rollback class: `non-recoverable-without-restore`** (data destroyed; only backup or disaster recovery brings it back). Declaration gate: **FAILED**.',
      '',
      'Range `0123456789ab..fedcba987654`, environments `prod`. 5 findings: 2 error, 2 warning, 1 info.',
      '',
      '**Not assessed: one input (the class non-recoverable-without-restore comes from what was assessed):**',
      '- charts/logo.png:1: charts/logo.png is binary and was not read; to assess it: keep charts/logo.png as text, or exclude it',
      '',
      'Declaration `.rollwright/changes/chg-1.yaml` (`CHG-1`): declared class `fully-reversible`, method `revert-image-digest`, window `appImage=24h, databaseSchema=until-contract-phase`.',
    ]);
    expect(MARKDOWN_MARKER).toBe('<!-- rollwright:assessment -->');
  });

  it('tables the findings, most severe first, with escaped messages and rule links', () => {
    const lines = md().split('\n');
    const at = lines.indexOf('| Severity | Class | Rule | Location | Message |');
    expect(lines.slice(at, at + 7)).toEqual([
      '| Severity | Class | Rule | Location | Message |',
      '| --- | --- | --- | --- | --- |',
      `| error | \`non-recoverable-without-restore\` | [\`core/fixture-binary\`](${DOCS}#core-fixture-binary) | \`charts/logo.png:1\` | charts/logo.png is binary |`,
      `| error | \`non-recoverable-without-restore\` | [\`kubernetes/fixture-volume-deleted\`](${DOCS}#kubernetes-fixture-volume-deleted) | \`deploy/prod/app.yaml:12\` | PersistentVolumeClaim prod/data is deleted; its data goes with it |`,
      '| warning | `reversible-with-compatibility-window` | `helm/fixture-undocumented` | `charts/web/values.yaml:7` | value \\`a\\|b\\` in &lt;values&gt; changed |',
      `| warning | \`reversible-with-manual-repair\` | [\`kubernetes/fixture-object-deleted\`](${DOCS}#kubernetes-fixture-object-deleted) | \`deploy/prod/app.yaml:30\` | Service prod/web releases its external address |`,
      `| info | \`fully-reversible\` | [\`kubernetes/fixture-object-deleted\`](${DOCS}#kubernetes-fixture-object-deleted) | \`deploy/prod/app.yaml:104\` | ConfigMap prod/settings is deleted; re-applying the previous manifest re-creates it |`,
    ]);
    expect(lines[at + 7]).toBe('');
  });

  it('folds the gate reasons, the docs of each rule that fired, and the skipped files', () => {
    const text = md();
    expect(detailsBody(text, 'Gate FAILED: 2 reasons')).toEqual([
      '',
      '- declared class fully-reversible is more optimistic than the evidence: non-recoverable-without-restore (kubernetes/fixture-volume-deleted at deploy/prod/app.yaml:12)',
      '- 2 error findings: core/fixture-binary at charts/logo.png:1; kubernetes/fixture-volume-deleted at deploy/prod/app.yaml:12',
      '',
    ]);
    expect(detailsBody(text, 'Rules that fired (4)')).toEqual([
      '',
      `#### [\`core/fixture-binary\`](${DOCS}#core-fixture-binary)`,
      '',
      'A file is binary.',
      '',
      '#### `helm/fixture-undocumented`',
      '',
      'No documentation is registered for this rule.',
      '',
      `#### [\`kubernetes/fixture-object-deleted\`](${DOCS}#kubernetes-fixture-object-deleted)`,
      '',
      'A stateless object is deleted.',
      '',
      `#### [\`kubernetes/fixture-volume-deleted\`](${DOCS}#kubernetes-fixture-volume-deleted)`,
      '',
      'A volume claim is deleted.',
      '',
      '**Fix:** Take a backup, or set `persistentVolumeReclaimPolicy: Retain` first.',
      '',
    ]);
    expect(detailsBody(text, 'Skipped files (2): not assessed')).toEqual([
      '',
      '- `README.md`: no surface reads this kind of file',
      '- `docs/runbook.txt`: no surface reads this kind of file',
      '',
    ]);
    expect(text.endsWith('</details>\n')).toBe(true);
  });

  it('caps a long table and says how many rows were left out', () => {
    const a = fixtureAssessment();
    const base = a.findings[4]!;
    a.findings = Array.from({ length: 150 }, (_, i): Finding => ({ ...base, line: i + 1 }));
    const lines = md(a).split('\n');
    expect(lines.filter((l) => l.startsWith('| info |'))).toHaveLength(100);
    expect(lines).toContain('and 50 more findings not shown: run `rollwright assess` for all of them.');
    expect(
      md(a, { maxRows: 2 })
        .split('\n')
        .filter((l) => l.startsWith('| info |')),
    ).toHaveLength(2);
    expect(md(fixtureAssessment())).not.toContain('more finding');
  });

  it('renders a passing change with nothing to say without tables or details', () => {
    expect(md(emptyAssessment())).toBe(
      [
        MARKDOWN_MARKER,
        '**Rollback class: `fully-reversible`** (previous state restorable with low risk). Declaration gate: **PASSED**.',
        '',
        'Range `0123456789ab..fedcba987654`. 0 findings: 0 error, 0 warning, 0 info.',
        '',
        'Declaration: none found.',
        '',
        'No findings.',
        '',
      ].join('\n'),
    );
  });

  it('keeps repository text inert: no HTML, no table breaks, no formatting', () => {
    const a = fixtureAssessment();
    a.findings = [
      {
        ...a.findings[0]!,
        file: 'odd|dir/`x`.yaml',
        message: 'a <img src=x onerror=alert(1)> | *b* _c_ [d](e) `f`\nnext & more',
      },
    ];
    a.gate.reasons = ['<script>x</script> | y'];
    a.skipped = [{ file: 'we`ird|name.md', reason: '<b>why</b>' }];
    const text = md(a);
    expect(text).not.toMatch(/<(img|script|b)\b/);
    expect(text).toContain(
      '| ``odd\\|dir/`x`.yaml:1`` | a &lt;img src=x onerror=alert(1)&gt; \\| \\*b\\* \\_c\\_ \\[d\\](e) \\`f\\`\\\\nnext &amp; more |',
    );
    expect(text).toContain('- &lt;script&gt;x&lt;/script&gt; \\| y');
    expect(text).toContain('- ``we`ird\\|name.md``: &lt;b&gt;why&lt;/b&gt;');
  });

  it('uses the registered rules when none are passed', () => {
    const a = emptyAssessment();
    a.findings = [{ ...fixtureAssessment().findings[0]!, rule: 'core/unreadable-file', messageId: 'binary' }];
    const text = render(a, 'markdown', { color: false });
    expect(text).toContain('](https://github.com/rollwright/rollwright/blob/main/docs/rules.md#core-unreadable-file)');
    expect(text).toContain('**Fix:** Keep deployable files as text');
  });
});

describe('markdown escaping helpers', () => {
  it('escapes text', () => {
    expect(escapeText('a|b `c` <d> & *e*')).toBe('a\\|b \\`c\\` &lt;d&gt; &amp; \\*e\\*');
  });
  it('fences code spans longer than any backtick run inside', () => {
    expect(code('plain')).toBe('`plain`');
    expect(code('a`b')).toBe('``a`b``');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(code('a|b')).toBe('`a\\|b`');
  });
});
