import { defineRule } from '../../../core/rule.js';

/** A rule threw on this input. The change is held conservative and the failure is shown, not hidden. */
export default defineRule<unknown, 'failed'>({
  id: 'rule-failed',
  surface: 'core',
  class: 'non-recoverable-without-restore',
  decision: { effects: ['unassessed'] },
  severity: 'error',
  blocksGate: true,
  unassessed: {
    reason: 'rule {{rule}} failed, so what it checks was not assessed',
    remedy: 'report the error as a rollwright bug; turn the rule off in .rollwright.yaml only with a reviewed reason',
  },
  docs: {
    summary: 'A rule failed on this change, so part of the change was not assessed.',
    rationale:
      'A rule that could not finish may have missed an irreversible effect; the class is held at the conservative end.',
    fix: 'Report the message as a rollwright bug; turn the rule off in .rollwright.yaml only with a reviewed reason.',
  },
  messages: { failed: 'rule {{rule}} failed: {{error}}' },
  check() {
    /* reported by the engine */
  },
});
