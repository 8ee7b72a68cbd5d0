/**
 * `-o codequality`: GitLab's Code Quality report (`artifacts: reports: codequality:`), a JSON array of
 * issues in the subset of the Code Climate issue format GitLab reads
 * (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format): `description`,
 * `check_name`, `fingerprint` (unique per issue: GitLab compares the merge request's report with the
 * target branch's by it), `severity` (`info`, `minor`, `major`, `critical` or `blocker`) and
 * `location.path` (relative to the repository root) with `location.lines.begin`.
 */
import { createHash } from 'node:crypto';
import type { Severity } from '../core/finding.js';
import type { Assessment } from '../engine/assess.js';
import { sortedFindings } from './markdown.js';
import { fingerprint } from './sarif.js';

export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

export interface CodeQualityIssue {
  type: 'issue';
  check_name: string;
  description: string;
  categories: string[];
  fingerprint: string;
  severity: CodeQualitySeverity;
  location: { path: string; lines: { begin: number } };
}

/** An error is what fails the gate (critical); a warning sets the class (major); info is a note. */
export const CODE_QUALITY_SEVERITY: Record<Severity, CodeQualitySeverity> = {
  error: 'critical',
  warning: 'major',
  info: 'info',
};

export function renderCodeQuality(a: Assessment): string {
  const seen = new Map<string, number>();
  const issues: CodeQualityIssue[] = sortedFindings(a.findings).map((f) => {
    const base = fingerprint(f);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    // The same fact twice in one report (two identical objects in one file) keeps two distinct issues.
    const fp = (n === 0 ? base : createHash('sha256').update(`${base}:${n}`).digest('hex')).slice(0, 32);
    return {
      type: 'issue',
      check_name: f.rule,
      // Code Quality has no suppression field: an accepted or ignored finding says so in its text.
      description:
        `${f.message} [rollback class: ${f.class}]` +
        (f.suppression ? ` [${f.suppression.kind}: ${f.suppression.reason}]` : ''),
      categories: ['Bug Risk'],
      fingerprint: fp,
      severity: CODE_QUALITY_SEVERITY[f.severity],
      location: { path: f.file.replace(/\\/g, '/').replace(/^(\.\/)+/, ''), lines: { begin: Math.max(1, f.line) } },
    };
  });
  return JSON.stringify(issues, null, 2) + '\n';
}
