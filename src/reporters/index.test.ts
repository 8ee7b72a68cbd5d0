import { describe, expect, it } from 'vitest';
import { fixtureAssessment, FIXTURE_RULES } from './fixtures.js';
import { render, type Format } from './index.js';

describe('render', () => {
  it('dispatches every format', () => {
    const a = fixtureAssessment();
    const first = (f: Format) => render(a, f, { color: false, rules: FIXTURE_RULES }).split('\n')[0];
    expect(first('text')).toBe('rollwright assessment 0123456789ab..fedcba987654');
    expect(JSON.parse(render(a, 'json', { color: false })).schema).toBe('rollwright.assessment/v1');
    expect(first('markdown')).toBe('<!-- rollwright:assessment -->');
    expect(JSON.parse(render(a, 'sarif', { color: false, rules: FIXTURE_RULES })).version).toBe('2.1.0');
    expect(() => render(a, 'yaml' as Format, { color: false })).toThrow('unknown format yaml');
  });

  it('never colours machine formats', () => {
    const a = fixtureAssessment();
    for (const f of ['json', 'markdown', 'sarif'] as const)
      expect(render(a, f, { color: true, rules: FIXTURE_RULES })).not.toContain('\u001b[');
  });
});

describe('a finding a person accepted or ignored', () => {
  const suppressed = () => {
    const a = fixtureAssessment();
    a.findings[0] = {
      ...a.findings[0]!,
      suppression: { kind: 'accepted', reason: 'restored from the nightly snapshot', source: 'changes/CHG-1.yaml:9', inSource: false },
    };
    a.findings[1] = {
      ...a.findings[1]!,
      suppression: { kind: 'ignored', reason: 'rendered by CI', source: `${a.findings[1]!.file}:1`, inSource: true },
    };
    return a;
  };

  it('is still reported, marked with its reason, in every format', () => {
    const a = suppressed();
    const [first, second] = a.findings;
    const json = JSON.parse(render(a, 'json', { color: false }));
    expect(json.findings[0].suppression).toEqual(first!.suppression);
    expect(json.findings[1].suppression).toEqual(second!.suppression);
    expect(json.findings.length).toBe(a.findings.length);

    const text = render(a, 'text', { color: false, rules: FIXTURE_RULES });
    expect(text).toContain('accepted: restored from the nightly snapshot (changes/CHG-1.yaml:9)');
    expect(text).toContain(`ignored: rendered by CI (${second!.file}:1)`);
    expect(text).toMatch(/\(2 accepted or ignored\)/);

    const md = render(a, 'markdown', { color: false, rules: FIXTURE_RULES });
    expect(md).toContain('<br>**accepted**: restored from the nightly snapshot');
    expect(md).toContain('<br>**ignored**: rendered by CI');

    const comment = render(a, 'comment', { color: false, rules: FIXTURE_RULES });
    expect(comment).toContain('**accepted**: restored from the nightly snapshot');
    const cq = JSON.parse(render(a, 'codequality', { color: false })) as Array<{ description: string }>;
    expect(cq.some((i) => i.description.endsWith('[ignored: rendered by CI]'))).toBe(true);

    const sarif = JSON.parse(render(a, 'sarif', { color: false, rules: FIXTURE_RULES }));
    const results = sarif.runs[0].results as Array<{ message: { text: string }; suppressions?: unknown[] }>;
    expect(results.find((r) => r.message.text === first!.message)?.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'restored from the nightly snapshot',
        properties: { rollwright: { kind: 'accepted', source: 'changes/CHG-1.yaml:9' } },
      },
    ]);
    expect(results.find((r) => r.message.text === second!.message)?.suppressions).toMatchObject([
      { kind: 'inSource', justification: 'rendered by CI' },
    ]);
    expect(results.filter((r) => r.suppressions).length).toBe(2);
  });
});
