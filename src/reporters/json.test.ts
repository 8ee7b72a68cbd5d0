import { describe, expect, it } from 'vitest';
import { emptyAssessment, fixtureAssessment } from './fixtures.js';
import { renderJson, renderJsonChunks } from './json.js';

/** What the JSON contract prints: the report object, two-space indented, and a final newline. */
const reference = (text: string) => JSON.stringify(JSON.parse(text), null, 2) + '\n';

describe('-o json written in pieces', () => {
  it('joins to the same text as one JSON.stringify of the report, across pieces', () => {
    const a = fixtureAssessment();
    const one = a.findings[0]!;
    // Enough findings for several pieces, with strings JSON escapes (newlines, quotes, non-ASCII, a lone surrogate).
    a.findings = Array.from({ length: 2345 }, (_, i) => ({
      ...one,
      line: i + 1,
      message: `${one.message} #${i}\n  "findings": [],\n \u2028 café \ud800`,
      data: { n: i, text: 'a\nb', nested: 'x' },
    }));
    const pieces = [...renderJsonChunks(a)];
    expect(pieces.length).toBeGreaterThan(2);
    const text = pieces.join('');
    expect(text).toBe(reference(text));
    expect(JSON.parse(text).findings).toHaveLength(2345);
    expect(renderJson(a)).toBe(text);
  });

  it('prints an assessment without findings, and one with a single finding, as JSON.stringify does', () => {
    for (const a of [emptyAssessment(), fixtureAssessment()]) {
      const text = renderJson(a);
      expect(text).toBe(reference(text));
      expect(JSON.parse(text).findings).toHaveLength(a.findings.length);
    }
  });
});
