import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { DeclarationSchema } from '../core/declaration.js';
import type { Finding } from '../core/finding.js';
import { parseSingleYaml } from '../core/yaml.js';
import type { Assessment } from '../engine/assess.js';
import { COMMENT_LIMIT } from './comment.js';
import { emptyAssessment, fixtureAssessment, FIXTURE_RULES } from './fixtures.js';
import { render } from './index.js';

const DOCS = 'https://example.test/rules.md';
const comment = (a: Assessment = fixtureAssessment()) =>
  render(a, 'comment', { color: false, rules: FIXTURE_RULES, docsUrl: DOCS });

/** GitHub-flavoured Markdown to HTML, as a real renderer does it (tables, task lists, autolinks). */
const html = (md: string) => marked.parse(md, { gfm: true, async: false });

/** The YAML of the first ```yaml fence. */
function yamlBlock(md: string): string {
  const m = /^(`{3,})yaml\n([\s\S]*?)\n\1$/m.exec(md);
  expect(m, 'a yaml code block').not.toBeNull();
  return m![2]!;
}

describe('the PR comment (-o comment)', () => {
  it('puts the verdict first, then the reasons, the declaration to paste, the findings by file, then the folded rest', () => {
    const md = comment();
    const page = html(md);
    expect(page.startsWith('<h3>')).toBe(true);
    const h3 = /<h3>(.*?)<\/h3>/.exec(page)![1]!;
    expect(h3).toBe(
      ':x: rollwright: gate <strong>failed</strong>, rollback class <code>non-recoverable-without-restore</code>',
    );
    const order = [
      '<strong>Why the gate failed:</strong>',
      'declared class fully-reversible is more optimistic than the evidence',
      '<code class="language-yaml">',
      '<strong>Findings by file:</strong>',
      '<details>',
      '<summary>All findings (5), most severe first</summary>',
      '<table>',
      '<summary>What the rules that fired check (4)</summary>',
      '<summary>Skipped files (2): not assessed</summary>',
    ].map((s) => page.indexOf(s));
    for (const i of order) expect(i).toBeGreaterThan(0);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The reasons are open: not inside a <details>.
    const reasons = page.indexOf('<strong>Why the gate failed:</strong>');
    expect(page.slice(0, reasons)).not.toContain('<details>');
    // The table inside <details> is rendered as a table (the blank line after </summary> matters).
    expect(page).toMatch(/<summary>All findings \(5\)[^<]*<\/summary>\s*<table>/);
    expect(page.match(/<details>/g)!.length).toBe(page.match(/<\/details>/g)!.length);
  });

  it('groups one line per finding under its file, in line order', () => {
    const md = comment();
    const at = md.indexOf('`deploy/prod/app.yaml`\n');
    expect(md.slice(at).split('\n').slice(0, 4)).toEqual([
      '`deploy/prod/app.yaml`',
      '- :x: line 12: PersistentVolumeClaim prod/data is deleted; its data goes with it (`kubernetes/fixture-volume-deleted`, `non-recoverable-without-restore`)',
      '- :warning: line 30: Service prod/web releases its external address (`kubernetes/fixture-object-deleted`, `reversible-with-manual-repair`)',
      '- :information_source: line 104: ConfigMap prod/settings is deleted; re-applying the previous manifest re-creates it (`kubernetes/fixture-object-deleted`, `fully-reversible`)',
    ]);
  });

  it('offers a declaration that parses, passes the declaration schema, and carries the inferred class and irreversible effects', () => {
    const md = comment();
    expect(md).toContain('**Declaration to update in `.rollwright/changes/chg-1.yaml`**');
    const { value, error } = parseSingleYaml(yamlBlock(md));
    expect(error).toBeUndefined();
    const parsed = DeclarationSchema.safeParse((value as { change: unknown }).change);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual({
      id: 'CHG-1',
      environment: 'prod',
      rollbackClass: 'non-recoverable-without-restore',
      rollbackWindow: { appImage: '24h', databaseSchema: 'until-contract-phase' },
      rollbackMethod: 'revert-image-digest',
      // The unreadable file is not an effect (it is a reason above); the deleted volume is.
      irreversibleEffects: [
        'PersistentVolumeClaim prod/data is deleted; its data goes with it (deploy/prod/app.yaml:12)',
      ],
      verification: ['error-rate < 1%'],
    });

    // No declaration at all: a new file with placeholders, still a valid declaration.
    const a = fixtureAssessment();
    a.declaration = null;
    const fresh = comment(a);
    expect(fresh).toContain('**Declaration to add as `.rollwright/changes/CHG-XXXX.yaml`**');
    const body = (parseSingleYaml(yamlBlock(fresh)).value as { change: Record<string, unknown> }).change;
    expect(DeclarationSchema.safeParse(body).success).toBe(true);
    expect(body.rollbackMethod).toMatch(/^TODO: /);
    expect(body.rollbackClass).toBe('non-recoverable-without-restore');
  });

  it('offers the declaration when the only problem is a class more optimistic than the evidence', () => {
    const a = fixtureAssessment();
    a.class = 'reversible-with-manual-repair';
    a.findings = a.findings.filter((f) => f.class !== 'non-recoverable-without-restore');
    a.unassessed = [];
    a.gate.reasons = [a.gate.reasons[0]!];
    const change = (parseSingleYaml(yamlBlock(comment(a))).value as { change: Record<string, unknown> }).change;
    expect(change.rollbackClass).toBe('reversible-with-manual-repair');
    expect(change.irreversibleEffects).toBeUndefined();
  });

  it('says a passed gate in its first line, with no reasons and no declaration to paste', () => {
    const md = comment(emptyAssessment());
    expect(md.split('\n')[0]).toBe(
      '### :white_check_mark: rollwright: gate **passed**, rollback class `fully-reversible`',
    );
    expect(md).not.toContain('Why the gate failed');
    expect(md).not.toContain('```yaml');
    expect(md).not.toContain('<details>');
  });

  it('keeps hostile repository text inert in the rendered HTML and in the YAML', () => {
    const a = fixtureAssessment();
    const evil = 'PVC <img src=x onerror=alert(1)> @octocat ``` ](javascript:alert(1)) \n# heading';
    a.findings = a.findings.map((f) => (f.rule === 'kubernetes/fixture-volume-deleted' ? { ...f, message: evil } : f));
    const md = comment(a);
    const page = html(md);
    expect(page).not.toMatch(/<img/);
    expect(page).not.toMatch(/href="javascript/);
    expect(page).not.toMatch(/<h1>/);
    const body = (parseSingleYaml(yamlBlock(md)).value as { change: { irreversibleEffects: string[] } }).change;
    expect(body.irreversibleEffects[0]).toContain('<img src=x onerror=alert(1)>');
  });

  it('cuts a huge result to GitHub’s 65,536-character limit and says what was cut', () => {
    const a = fixtureAssessment();
    const findings: Finding[] = [];
    for (let i = 0; i < 6000; i++)
      findings.push({
        rule: 'kubernetes/fixture-volume-deleted',
        surface: 'kubernetes',
        class: 'non-recoverable-without-restore',
        severity: i % 3 === 0 ? 'error' : 'warning',
        message: `PersistentVolumeClaim prod/data-${i} is deleted; its data goes with it ${'x'.repeat(80)}`,
        messageId: 'deleted',
        file: `deploy/prod/app-${String(i % 700).padStart(3, '0')}.yaml`,
        line: i + 1,
      });
    a.findings = findings;
    a.skipped = Array.from({ length: 3000 }, (_, i) => ({ file: `docs/f${i}.txt`, reason: 'no surface reads it' }));
    const md = comment(a);
    expect(md.length).toBeLessThanOrEqual(COMMENT_LIMIT - 400);
    expect(md.length).toBeGreaterThan(COMMENT_LIMIT - 2_000);
    // The verdict and the declaration are whole; the note names what was left out.
    expect(md.startsWith('### :x: rollwright: gate **failed**')).toBe(true);
    expect(md).toContain('```yaml');
    const note = md.split('\n').find((l) => l.startsWith("> Cut to fit GitHub's 65,536-character comment limit"));
    // What fits is filled in order: the findings by file first, then the folded table, the rule docs, the skipped files.
    expect(note).toMatch(
      /left out \d+ files of the findings by file; \d+ table rows of the full table; (the rule docs \(1 rule\); )?the skipped files \(3000 skipped files\)\./,
    );
    const shownFiles = md.split('\n').filter((l) => /^`deploy\/prod\/app-\d+\.yaml`$/.test(l)).length;
    expect(shownFiles).toBeGreaterThan(10);
    expect(note).toContain(`left out ${700 - shownFiles} files`);
    // Still well-formed: every <details> closed, the YAML fence closed.
    const page = html(md);
    expect(page.match(/<details>/g)?.length ?? 0).toBe(page.match(/<\/details>/g)?.length ?? 0);
    expect(page).toContain('<code class="language-yaml">');
    expect(page).toMatch(/<blockquote>\s*<p>\[!NOTE\]/);
  });
});
