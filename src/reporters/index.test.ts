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
