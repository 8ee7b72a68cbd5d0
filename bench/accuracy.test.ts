/**
 * The labelled accuracy corpus (accuracy/cases/) run through the library's sources, compared with the
 * stored baseline (accuracy/baseline.json): the test fails when a figure drops below the baseline or a
 * case that passed no longer does, and prints which. The scoring and the comparison themselves are
 * tested first, on made-up results.
 */
import { describe, expect, it } from 'vitest';
import { checkRevert } from '../src/engine/revert/check.js';
import { assess } from '../src/engine/assess.js';
import { allRules, surfaces } from '../src/registry.js';
import { ruleKey } from '../src/core/rule.js';
import { ROLLBACK_CLASSES } from '../src/core/classes.js';
import {
  checkCase,
  improvements,
  judge,
  loadCases,
  newCases,
  readBaseline,
  regressions,
  report,
  runCases,
  score,
  CLASSES,
  SURFACES,
  toBaseline,
  type CaseResult,
  type CorpusCase,
} from './accuracy/corpus.mjs';

function fakeCase(id: string, cls: string, rules: string[], info: string[] = []): CorpusCase {
  return {
    id,
    file: `${id}.yaml`,
    surface: id.split('/')[0]!,
    title: id,
    rationale: 'r',
    source: 'https://example.com',
    mode: 'assess',
    before: {},
    after: {},
    requires: [],
    expect: { class: cls, rules, info },
  };
}

const finding = (rule: string, severity: 'info' | 'warning' | 'error') => ({
  rule,
  severity,
  class: 'fully-reversible',
  file: 'f',
  line: 1,
  message: 'm',
});

describe('accuracy scoring', () => {
  it('judges class exact, lenient (exactly one step more conservative), over and under', () => {
    const c = fakeCase('kubernetes/a', 'reversible-with-compatibility-window', []);
    const at = (cls: string) => judge(c, { id: c.id, class: cls, findings: [] }).classVerdict;
    expect(at('reversible-with-compatibility-window')).toBe('exact');
    expect(at('reversible-with-manual-repair')).toBe('lenient');
    expect(at('forward-only')).toBe('over');
    expect(at('fully-reversible')).toBe('under');
  });

  it('counts rules at warning and above against expect.rules, and info rules only for recall', () => {
    const c = fakeCase('kubernetes/a', 'fully-reversible', ['k/warn'], ['k/info', 'k/info-too-loud']);
    const r: CaseResult = {
      id: c.id,
      class: 'fully-reversible',
      findings: [
        finding('k/warn', 'error'),
        finding('k/info', 'info'),
        finding('k/info-too-loud', 'warning'),
        finding('k/unexpected', 'warning'),
        finding('k/quiet', 'info'),
      ],
    };
    const j = judge(c, r);
    expect(j.tp.sort()).toEqual(['k/info', 'k/warn']);
    expect(j.fp.sort()).toEqual(['k/info-too-loud', 'k/unexpected']);
    expect(j.fn).toEqual([]);
    expect(j.pass).toBe(false);
    const missing = judge(c, { id: c.id, class: 'fully-reversible', findings: [finding('k/warn', 'info')] });
    expect(missing.fn.sort()).toEqual(['k/info', 'k/info-too-loud', 'k/warn']);
  });

  it('fails a case that errored and skips one whose tool is missing', () => {
    const c = fakeCase('kubernetes/a', 'fully-reversible', ['k/x']);
    expect(judge(c, { id: c.id, error: 'boom' })).toMatchObject({ status: 'error', pass: false, fn: ['k/x'] });
    const s = score([c], [{ id: c.id, skipped: 'needs helm on PATH' }]);
    expect(s.figures).toMatchObject({ cases: 0, skipped: 1 });
  });

  it('reports a regression for a figure below the baseline and for a case that passed and now fails', () => {
    const a = fakeCase('kubernetes/a', 'fully-reversible', []);
    const b = fakeCase('kubernetes/b', 'forward-only', ['k/x']);
    const good: CaseResult[] = [
      { id: a.id, class: 'fully-reversible', findings: [] },
      { id: b.id, class: 'forward-only', findings: [finding('k/x', 'warning')] },
    ];
    const baseline = toBaseline(score([a, b], good));
    expect(regressions(score([a, b], good), baseline)).toEqual([]);
    const worse: CaseResult[] = [good[0]!, { id: b.id, class: 'fully-reversible', findings: [] }];
    const lines = regressions(score([a, b], worse), baseline);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^figure exact: 0\.5000 < baseline 1$/),
        expect.stringMatching(/^figure underStated: 1 /),
        expect.stringMatching(/^rule k\/x recall: 0 < baseline 1$/),
        expect.stringMatching(
          /^case kubernetes\/b: passed in the baseline, now fails \(class fully-reversible, expected forward-only \(UNDER-STATED\); missing k\/x\)$/,
        ),
      ]),
    );
    // Better than the baseline is no regression; the gains are named for --update-baseline.
    expect(improvements(score([a, b], good), baseline)).toEqual([]);
    const low = toBaseline(score([a, b], worse));
    expect(regressions(score([a, b], good), low)).toEqual([]);
    expect(improvements(score([a, b], good), low)).toEqual(
      expect.arrayContaining([
        'figure exact: 1 > baseline 0.5000',
        'figure underStated: 0 < baseline 1',
        'figure passed: 2 > baseline 1',
        'rule k/x recall: 1 > baseline 0',
        'case kubernetes/b: failed in the baseline, now passes',
      ]),
    );
    // A new case is not a regression, but it is named; a removed one is.
    const c = fakeCase('kubernetes/c', 'fully-reversible', []);
    const more = score([a, b, c], [...good, { id: c.id, class: 'fully-reversible', findings: [] }]);
    expect(newCases(more, baseline)).toEqual(['kubernetes/c']);
    expect(regressions(score([a], [good[0]!]), baseline)).toContain(
      'case kubernetes/b: in the baseline but no longer in the corpus',
    );
  });

  it('refuses a malformed case, naming what is wrong', () => {
    expect(checkCase('kubernetes/x', { title: 't' })).toEqual(
      expect.arrayContaining([
        'rationale: a non-empty string is required',
        'source: a non-empty string is required',
        'before and after: at least one file',
        'expect: { class, rules[, info] } is required',
      ]),
    );
    expect(
      checkCase('nowhere/x', {
        title: 't',
        rationale: 'r',
        source: 'http://insecure',
        after: { '../escape': 'x' },
        expect: { class: 'fine', rules: ['NotARule'] },
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^a case lives in accuracy\/cases\/<surface>\//),
        'source: the URL of the documentation or source that shows the behaviour',
        'after: "../escape" is not a relative path inside the repository',
        expect.stringMatching(/^expect\.class: one of /),
        'expect.rules: a list of rule ids (surface/id)',
      ]),
    );
  });
});

describe('the labelled corpus', () => {
  it('holds at least 150 well-formed cases across every surface', () => {
    const cases = loadCases();
    expect(cases.length).toBeGreaterThanOrEqual(150);
    const surfacesSeen = new Set(cases.map((c) => c.surface));
    for (const s of SURFACES) expect(surfacesSeen, s).toContain(s);
  });

  it('ranks the classes as the library does', () => {
    expect(CLASSES).toEqual([...ROLLBACK_CLASSES]);
  });

  it('stays at or above the stored baseline, figure by figure and case by case', { timeout: 900_000 }, async () => {
    const baseline = readBaseline();
    expect(baseline, 'accuracy/baseline.json is missing: run `npm run accuracy -- --update-baseline`').not.toBeNull();
    const cases = loadCases();
    const results = await runCases({ assess, checkRevert, surfaces, allRules }, cases, { concurrency: 4 });
    const s = score(cases, results);
    const worse = regressions(s, baseline!);
    const better = improvements(s, baseline!);
    if (better.length)
      console.log(
        `accuracy: ${better.length} improvement(s) over accuracy/baseline.json; lock them in with ` +
          `\`npm run accuracy -- --update-baseline\` and commit the baseline with the fix:\n  ${better.join('\n  ')}`,
      );
    if (worse.length) {
      const registered = new Set(allRules().map((r) => ruleKey(r)));
      process.stderr.write(report(cases, results, s, { registered }));
    }
    expect(
      worse,
      `${worse.length} regression(s) against accuracy/baseline.json (fix them, or if the change is right, ` +
        `run \`npm run accuracy -- --update-baseline\` and say why in the commit):\n  ${worse.join('\n  ')}`,
    ).toEqual([]);
    expect(s.figures.errors, 'cases that errored').toBe(0);
  });
});
