import { defineRule } from '../../../core/rule.js';

/**
 * An acceptance that owns nothing: a declaration's `accept:` entry, an inline `rollwright-ignore`
 * comment or a config `ignore.rules` entry that names no rule rollwright has, or that matched no
 * finding of this change (a linter's unused-disable report). A stale acceptance is harmless today and
 * hides tomorrow's finding, so it is named where it is written.
 */
export default defineRule<unknown, 'unknownRule' | 'unmatched'>({
  id: 'unused-suppression',
  surface: 'core',
  class: 'fully-reversible',
  decision: { effects: [] },
  severity: 'warning',
  docs: {
    summary:
      'An `accept:` entry, inline `rollwright-ignore` comment or `ignore.rules` entry names an unknown rule or matched no finding.',
    rationale:
      'An acceptance is a reviewed statement that one finding is safe. One that owns nothing (a mistyped rule or object, a finding fixed since) says nothing today and would silently own a different finding tomorrow, so it is reported as stale. It never changes the class or the gate.',
    fix: 'Remove the stale entry or comment, or correct its rule (`rollwright rules` lists them) and its object or file (as the finding reports it in `assess -o json`).',
  },
  messages: {
    unknownRule: '{{what}} names {{rule}}, which is not a rule{{hint}}',
    unmatched: '{{what}} for {{rule}} {{target}} matched no finding of this change{{hint}}: remove it or correct it',
  },
  check() {
    /* reported by the engine after the findings are known */
  },
});
