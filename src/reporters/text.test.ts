import { describe, expect, it } from 'vitest';
import { emptyAssessment, fixtureAssessment } from './fixtures.js';
import { render } from './index.js';
import { MAX_SKIPPED_LISTED, renderText } from './text.js';

const ESC = '\u001b[';

describe('text reporter', () => {
  it('prints header, findings grouped by file, declaration, gate, skipped files and summary', () => {
    const lines = renderText(fixtureAssessment(), { color: false }).split('\n');
    expect(lines).toEqual([
      'rollwright assessment 0123456789ab..fedcba987654',
      'class: non-recoverable-without-restore (data destroyed; only backup or disaster recovery brings it back)',
      'environments: prod',
      'not assessed: one input (the class non-recoverable-without-restore comes from what was assessed):',
      '  - charts/logo.png:1: charts/logo.png is binary and was not read; to assess it: keep charts/logo.png as text, or exclude it',
      '',
      'charts/logo.png',
      '    1  error    non-recoverable-without-restore       core/fixture-binary                charts/logo.png is binary',
      '',
      'charts/web/values.yaml',
      '    7  warning  reversible-with-compatibility-window  helm/fixture-undocumented          value `a|b` in <values> changed',
      '',
      'deploy/prod/app.yaml',
      '   12  error    non-recoverable-without-restore       kubernetes/fixture-volume-deleted  PersistentVolumeClaim prod/data is deleted; its data goes with it',
      '                                                                                         object: /PersistentVolumeClaim/prod/data',
      '   30  warning  reversible-with-manual-repair         kubernetes/fixture-object-deleted  Service prod/web releases its external address',
      '                                                                                         object: /Service/prod/web',
      '  104  info     fully-reversible                      kubernetes/fixture-object-deleted  ConfigMap prod/settings is deleted; re-applying the previous manifest re-creates it',
      '                                                                                         object: /ConfigMap/prod/settings',
      '',
      'declaration: .rollwright/changes/chg-1.yaml',
      '  id:             CHG-1',
      '  environment:    prod',
      '  declared class: fully-reversible',
      '  method:         revert-image-digest',
      '  window:         appImage=24h, databaseSchema=until-contract-phase',
      '',
      'gate: FAILED',
      '  - declared class fully-reversible is more optimistic than the evidence: non-recoverable-without-restore (kubernetes/fixture-volume-deleted at deploy/prod/app.yaml:12)',
      '  - 2 error findings: core/fixture-binary at charts/logo.png:1; kubernetes/fixture-volume-deleted at deploy/prod/app.yaml:12',
      '',
      'skipped: 2 files not assessed',
      '  README.md         no surface reads this kind of file',
      '  docs/runbook.txt  no surface reads this kind of file',
      '',
      '5 findings: 2 error, 2 warning, 1 info',
      '',
    ]);
  });

  it('a class held only because an input could not be assessed says so, never "data destroyed"', () => {
    const a = fixtureAssessment();
    a.findings = a.findings.filter((f) => f.rule !== 'kubernetes/fixture-volume-deleted');
    const lines = renderText(a, { color: false }).split('\n');
    expect(lines.slice(1, 5)).toEqual([
      'class: non-recoverable-without-restore (held at the conservative end: part of the change could not be assessed)',
      'environments: prod',
      'class held at non-recoverable-without-restore because one input could not be assessed (not evidence that data is destroyed; what was assessed alone is reversible-with-manual-repair):',
      '  - charts/logo.png:1: charts/logo.png is binary and was not read; to assess it: keep charts/logo.png as text, or exclude it',
    ]);
  });

  it("an input not assessed that holds nothing (the same failure at both revisions) is listed as not the change's", () => {
    const a = fixtureAssessment();
    a.findings = a.findings.map((f) => (f.rule === 'core/fixture-binary' ? { ...f, severity: 'info' as const } : f));
    a.unassessed = a.unassessed.map((u) => ({ ...u, holdsClass: false }));
    const lines = renderText(a, { color: false }).split('\n');
    expect(lines.slice(3, 5)).toEqual([
      'not assessed, without holding the class: one input:',
      '  - charts/logo.png:1: charts/logo.png is binary and was not read; to assess it: keep charts/logo.png as text, or exclude it',
    ]);
  });

  it('says so when there is no declaration, no finding and the gate passes', () => {
    expect(renderText(emptyAssessment(), { color: false })).toBe(
      [
        'rollwright assessment 0123456789ab..fedcba987654',
        'class: fully-reversible (previous state restorable with low risk)',
        '',
        'declaration: no declaration',
        '',
        'gate: PASSED',
        '',
        '0 findings: 0 error, 0 warning, 0 info',
        '',
      ].join('\n'),
    );
  });

  it('shows a single-string window and missing declaration fields, and "1 finding"', () => {
    const a = fixtureAssessment();
    a.findings = a.findings.slice(0, 1);
    a.declaration = { source: 'trailer:fedcba987654', rollbackWindow: '48h' };
    const text = renderText(a, { color: false });
    expect(text).toContain(
      [
        'declaration: trailer:fedcba987654',
        '  declared class: (none)',
        '  method:         (none)',
        '  window:         48h',
      ].join('\n'),
    );
    expect(text.endsWith('\n1 finding: 1 error, 0 warning, 0 info\n')).toBe(true);
  });

  it('colours severity, class and verdict only when asked', () => {
    const plain = renderText(fixtureAssessment(), { color: false });
    const coloured = renderText(fixtureAssessment(), { color: true });
    expect(plain).not.toContain(ESC);
    expect(coloured).toContain(`${ESC}31merror${ESC}0m`);
    expect(coloured).toContain(`${ESC}33mwarning${ESC}0m`);
    expect(coloured).toContain(`${ESC}36minfo${ESC}0m`);
    expect(coloured).toContain(`class: ${ESC}1;31mnon-recoverable-without-restore${ESC}0m (`);
    expect(coloured).toContain(`${ESC}32mfully-reversible${ESC}0m`);
    expect(coloured).toContain(`gate: ${ESC}1;31mFAILED${ESC}0m`);
    expect(renderText(emptyAssessment(), { color: true })).toContain(`gate: ${ESC}1;32mPASSED${ESC}0m`);
    // Stripping the codes gives back the plain report: colour never shifts the columns.
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('is deterministic: the order findings arrive in does not matter', () => {
    const a = fixtureAssessment();
    const b = fixtureAssessment();
    b.findings.reverse();
    expect(renderText(b, { color: false })).toBe(renderText(a, { color: false }));
  });

  it('prints no data value beyond the message', () => {
    const a = fixtureAssessment();
    a.findings[2]!.data = { ...a.findings[2]!.data, digest: 'sha256:0badc0ffee' };
    expect(renderText(a, { color: false })).not.toContain('0badc0ffee');
  });

  it('lists skipped files only when there are few', () => {
    const a = fixtureAssessment();
    a.skipped = Array.from({ length: MAX_SKIPPED_LISTED + 1 }, (_, i) => ({
      file: `docs/page-${String(i).padStart(2, '0')}.md`,
      reason: 'no surface reads this kind of file',
    }));
    const text = renderText(a, { color: false });
    expect(text).toContain(
      `skipped: ${MAX_SKIPPED_LISTED + 1} files not assessed\n  (too many to list; run with -o json to see them)\n`,
    );
    expect(text).not.toContain('docs/page-00.md');
  });

  it('is what render(a, "text") returns', () => {
    expect(render(fixtureAssessment(), 'text', { color: false })).toBe(
      renderText(fixtureAssessment(), { color: false }),
    );
  });
});

describe('text reporter: wrapping to a terminal width', () => {
  const longest = (s: string) => Math.max(...s.split('\n').map((l) => l.length));

  it('without a width the output is one line per finding (what a pipe and a CI log get)', () => {
    const plain = renderText(fixtureAssessment(), { color: false });
    expect(renderText(fixtureAssessment(), { color: false, width: undefined })).toBe(plain);
    expect(plain).toContain(
      '  104  info     fully-reversible                      kubernetes/fixture-object-deleted  ConfigMap prod/settings is deleted; re-applying the previous manifest re-creates it\n',
    );
  });

  it('wide enough: a message wraps at spaces and its lines are indented under the message column', () => {
    const out = renderText(fixtureAssessment(), { color: false, width: 120 });
    const col = ' '.repeat(89);
    expect(out).toContain(
      [
        '  104  info     fully-reversible                      kubernetes/fixture-object-deleted  ConfigMap prod/settings is',
        `${col}deleted; re-applying the`,
        `${col}previous manifest re-creates it`,
        `${col}object: /ConfigMap/prod/settings`,
      ].join('\n'),
    );
    // Only object names (one token each) may run past the width; no message line does.
    for (const l of out.split('\n')) if (!l.trim().startsWith('object:')) expect(l.length).toBeLessThanOrEqual(120);
  });

  it('narrow: the message goes under its finding, four spaces in, and wraps there', () => {
    const out = renderText(fixtureAssessment(), { color: false, width: 60 });
    expect(out).toContain(
      [
        '   12  error    non-recoverable-without-restore       kubernetes/fixture-volume-deleted',
        '    PersistentVolumeClaim prod/data is deleted; its data',
        '    goes with it',
        '    object: /PersistentVolumeClaim/prod/data',
      ].join('\n'),
    );
    expect(out).toContain(
      [
        'gate: FAILED',
        '  - declared class fully-reversible is more optimistic than',
        '    the evidence: non-recoverable-without-restore',
      ].join('\n'),
    );
  });

  it('never cuts a word or a backtick span, and still escapes control characters', () => {
    const a = fixtureAssessment();
    const long = 'deploy/' + 'x'.repeat(70) + '/app.yaml';
    a.findings = [
      {
        ...a.findings[0]!,
        object: undefined,
        message: `see ${long} and run \`kubectl rollout undo deploy/web\` then\ngate: PASSED`,
      },
    ];
    const lines = renderText(a, { color: false, width: 60 }).split('\n');
    expect(lines).toContain(`    ${long}`);
    expect(lines).toContain('    and run `kubectl rollout undo deploy/web` then\\ngate:');
    expect(lines.filter((l) => l.startsWith('gate:'))).toEqual(['gate: FAILED']);
    const messageLines = lines.filter((l) => l.startsWith('    ') && !l.includes(long));
    expect(messageLines.length).toBeGreaterThan(1);
    expect(longest(messageLines.join('\n'))).toBeLessThanOrEqual(60);
  });

  it('colour does not change where lines break', () => {
    const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
    expect(strip(renderText(fixtureAssessment(), { color: true, width: 100 }))).toBe(
      renderText(fixtureAssessment(), { color: false, width: 100 }),
    );
  });
});
