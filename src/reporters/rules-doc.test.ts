import { describe, expect, it } from 'vitest';
import { FIXTURE_RULES } from './fixtures.js';
import { renderRulePage, renderRulesDoc, ruleHelpText, rulePagePath } from './rules-doc.js';

const SURFACES = { kubernetes: { name: 'Kubernetes manifests', summary: 'Plain objects.' } };

describe('rule reference', () => {
  const doc = renderRulesDoc(FIXTURE_RULES, SURFACES);
  const lines = doc.split('\n');

  it('indexes every rule with a link to its anchor', () => {
    const at = lines.indexOf('## Rules');
    expect(lines.slice(at, at + 7)).toEqual([
      '## Rules',
      '',
      '| Rule | Class | Severity | Summary |',
      '| --- | --- | --- | --- |',
      '| [`core/fixture-binary`](#core-fixture-binary) | `non-recoverable-without-restore` | error | A file is binary. |',
      '| [`kubernetes/fixture-object-deleted`](#kubernetes-fixture-object-deleted) | `fully-reversible` | info | A stateless object is deleted. |',
      '| [`kubernetes/fixture-volume-deleted`](#kubernetes-fixture-volume-deleted) | `non-recoverable-without-restore` | error | A volume claim is deleted. |',
    ]);
    expect(lines[0]).toBe('# Rule reference');
    expect(
      lines
        .filter((l) => l.startsWith('| `') && l.includes('|'))
        .slice(0, 6)
        .map((l) => l.split(' | ')[0]),
    ).toEqual([
      '| `fully-reversible`',
      '| `reversible-with-compatibility-window`',
      '| `reversible-with-manual-repair`',
      '| `forward-only`',
      '| `compensatable`',
      '| `non-recoverable-without-restore`',
    ]);
  });

  it('has one section per surface, named when the surface is known', () => {
    expect(lines.filter((l) => l.startsWith('## '))).toEqual([
      '## Rules',
      '## core',
      '## kubernetes: Kubernetes manifests',
    ]);
    expect(doc).toContain(
      '## kubernetes: Kubernetes manifests\n\nPlain objects.\n\n<a name="kubernetes-fixture-object-deleted"></a>',
    );
  });

  it('documents each rule: anchor, class, severity, summary, rationale, fix, messages with their class, references', () => {
    const start = lines.indexOf('<a name="kubernetes-fixture-volume-deleted"></a>');
    expect(lines.slice(start)).toEqual([
      '<a name="kubernetes-fixture-volume-deleted"></a>',
      '',
      '### kubernetes/fixture-volume-deleted',
      '',
      'Its page, with a valid and an invalid case: [rules/kubernetes/fixture-volume-deleted.md](rules/kubernetes/fixture-volume-deleted.md)',
      '',
      '- Class: `non-recoverable-without-restore`',
      '- Severity: error',
      '',
      'A volume claim is deleted.',
      '',
      '**Why it matters.** The data of a deleted claim is gone unless it was backed up.',
      '',
      '**Fix.** Take a backup, or set `persistentVolumeReclaimPolicy: Retain` first.',
      '',
      '**Messages**',
      '',
      '| Message | Class | Severity | Text |',
      '| --- | --- | --- | --- |',
      '| `deleted` | `non-recoverable-without-restore` | error | {{object}} is deleted; its data goes with it |',
      '',
      '**References**',
      '',
      '- <https://kubernetes.io/docs/concepts/storage/persistent-volumes/#reclaiming>',
      '- `pkg/volume.Delete`',
      '',
    ]);
    // A message with its own class and severity shows them, not the rule's.
    expect(doc).toContain(
      '| `loadBalancer` | `reversible-with-manual-repair` | warning | {{object}} releases its external address |',
    );
    // No fix, no references: no empty headings.
    const obj = doc.slice(
      doc.indexOf('### kubernetes/fixture-object-deleted'),
      doc.indexOf('<a name="kubernetes-fixture-volume'),
    );
    expect(obj).not.toContain('**Fix.**');
    expect(obj).not.toContain('**References**');
  });

  it('does not depend on the order rules are given in', () => {
    expect(renderRulesDoc([...FIXTURE_RULES].reverse(), SURFACES)).toBe(doc);
  });

  it('has a plain-text help for SARIF', () => {
    expect(ruleHelpText(FIXTURE_RULES[1]!)).toBe(
      [
        'A stateless object is deleted.',
        '',
        'Why it matters: Re-applying the manifest re-creates it.',
        '',
        'Rollback class: fully-reversible. Messages:',
        '- deleted (fully-reversible, info): {{object}} is deleted; re-applying the previous manifest re-creates it',
        '- loadBalancer (reversible-with-manual-repair, warning): {{object}} releases its external address',
      ].join('\n'),
    );
  });
});

describe('a rule page', () => {
  const rule = FIXTURE_RULES[0]!;
  const valid = {
    name: 'a claim kept',
    before: {},
    after: {},
    unchanged: { 'pvc.yaml': 'kind: PersistentVolumeClaim\n' },
    findings: [],
  };
  const invalid = {
    name: 'a claim deleted',
    before: { 'pvc.yaml': 'kind: PersistentVolumeClaim\n' },
    after: {},
    unchanged: {},
    config: { rules: {} },
    findings: [
      {
        messageId: 'deleted',
        class: 'non-recoverable-without-restore' as const,
        severity: 'error' as const,
        file: 'pvc.yaml',
        line: 1,
        message: 'PersistentVolumeClaim/db is deleted; its data goes with it',
      },
    ],
  };

  it('lives at rules/<surface>/<id>.md', () => {
    expect(rulePagePath(rule)).toBe(`rules/${rule.surface}/${rule.id}.md`);
  });

  it('shows the metadata, a valid case that reports nothing and an invalid case with its findings', () => {
    const page = renderRulePage(rule, { valid, invalid }, SURFACES.kubernetes);
    expect(page).toContain(`# ${rule.surface}/${rule.id}\n`);
    expect(page).toContain('**Why it matters.**');
    expect(page).toContain(
      '### Valid: a claim kept\n\nUnchanged at both:\n\n`pvc.yaml`\n\n```yaml\nkind: PersistentVolumeClaim\n```\n\nThe rule reports nothing.',
    );
    expect(page).toContain('### Invalid: a claim deleted\n\n`.rollwright.yaml`:');
    expect(page).toContain('At the base:\n\n`pvc.yaml`');
    expect(page).toContain(
      '| `deleted` | `non-recoverable-without-restore` | error | `pvc.yaml:1` | PersistentVolumeClaim/db is deleted; its data goes with it |',
    );
  });

  it('fences file text that holds backticks with a longer fence', () => {
    const page = renderRulePage(rule, { valid: { ...valid, unchanged: { 'x.md': 'a ```` b' } } });
    expect(page).toContain('`````text\na ```` b\n`````');
  });

  it('says so when the rule has no case table', () => {
    expect(renderRulePage(rule, undefined)).toMatch(/## Examples\n\nThis rule has no case table/);
  });
});
