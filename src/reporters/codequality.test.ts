import { describe, expect, it } from 'vitest';
import { emptyAssessment, fixtureAssessment } from './fixtures.js';
import { render } from './index.js';

const issues = (a = fixtureAssessment()) =>
  JSON.parse(render(a, 'codequality', { color: false })) as Array<Record<string, unknown>>;

describe("GitLab's Code Quality report (-o codequality)", () => {
  it('writes one issue per finding with the fields GitLab reads', () => {
    const out = issues();
    expect(out).toHaveLength(5);
    expect(out[1]).toEqual({
      type: 'issue',
      check_name: 'kubernetes/fixture-volume-deleted',
      description:
        'PersistentVolumeClaim prod/data is deleted; its data goes with it [rollback class: non-recoverable-without-restore]',
      categories: ['Bug Risk'],
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
      severity: 'critical',
      location: { path: 'deploy/prod/app.yaml', lines: { begin: 12 } },
    });
    expect(out.map((i) => i.severity)).toEqual(['critical', 'critical', 'major', 'major', 'info']);
    // Every issue's severity is one GitLab knows; every path is relative.
    for (const i of out) {
      expect(['info', 'minor', 'major', 'critical', 'blocker']).toContain(i.severity);
      expect((i.location as { path: string }).path).not.toMatch(/^(\/|\.\/)/);
    }
  });

  it('gives every issue its own fingerprint, stable across runs and line moves', () => {
    const a = fixtureAssessment();
    a.findings.push({ ...a.findings[2]! });
    const fps = issues(a).map((i) => i.fingerprint);
    expect(new Set(fps).size).toBe(fps.length);
    const moved = fixtureAssessment();
    moved.findings = moved.findings.map((f) => ({ ...f, line: f.line + 10 }));
    expect(issues(moved).map((i) => i.fingerprint)).toEqual(issues().map((i) => i.fingerprint));
  });

  it('is an empty array when nothing was found', () => {
    expect(issues(emptyAssessment())).toEqual([]);
  });
});
