import { defineRule } from '../../../core/rule.js';

/** A file some surface claims could not be read as text: reported, never parsed, never passed as safe. */
export default defineRule<unknown, 'binary' | 'tooLarge' | 'encoding'>({
  id: 'unreadable-file',
  surface: 'core',
  class: 'non-recoverable-without-restore',
  decision: { effects: ['unassessed'] },
  severity: 'error',
  blocksGate: true,
  unassessed: {
    reason: '{{path}} was not read',
    remedy:
      'keep deployable files as text under limits.maxFileBytes (raise the limit in .rollwright.yaml if the file is legitimate), or move it out of the paths surfaces read',
  },
  docs: {
    summary:
      'A file that a surface would assess is binary, not valid UTF-8, or larger than the size limit, so it was not parsed.',
    rationale:
      'Unknown is never safe: rollwright cannot say how a change it did not read could be undone, so the class is held at the conservative end until the file is made readable or excluded.',
    fix: 'Keep deployable files as text (UTF-8) under `limits.maxFileBytes` (raise the limit in .rollwright.yaml if a large file is legitimate), or move generated artefacts out of the paths surfaces read.',
  },
  messages: {
    binary: '{{path}} is binary: rollwright did not parse it, so its effect on rollback is unknown',
    encoding:
      '{{path}} is not valid UTF-8 (first at line {{line}}): rollwright did not parse it, so its effect on rollback is unknown',
    tooLarge:
      '{{path}} is {{size}} bytes, over the {{limit}}-byte limit: not parsed, so its effect on rollback is unknown',
  },
  check() {
    /* reported by the engine while reading files */
  },
});
