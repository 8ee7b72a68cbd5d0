import { defineRule } from '../../../core/rule.js';

/**
 * A manifest file rollwright could not read completely. Unknown is never safe: the class is held at
 * the conservative end until the file parses.
 */
export default defineRule<unknown, 'yaml' | 'notObject' | 'missingField' | 'duplicate'>({
  id: 'invalid-manifest',
  surface: 'kubernetes',
  class: 'non-recoverable-without-restore',
  decision: { effects: ['unassessed'] },
  severity: 'error',
  blocksGate: true,
  docs: {
    summary: 'A YAML manifest, or one document in it, does not parse or is not a Kubernetes object.',
    rationale:
      'What cannot be read cannot be classified: a document that does not parse may delete a volume or change an immutable field. The finding holds the change at the conservative end instead of passing it silently.',
    fix: 'Fix the YAML at the line given (`kubectl apply --dry-run=client -f FILE` shows the same error).',
    references: ['https://yaml.org/spec/1.2.2/'],
  },
  messages: {
    yaml: 'YAML does not parse: {{reason}}',
    notObject: 'document is {{found}}, not a Kubernetes object',
    missingField: 'document has no {{field}}',
    duplicate: {
      text: '{{id}} is defined again (first at line {{firstLine}}): the last definition wins when applied',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { effects: [] },
    },
  },
  check() {
    /* reported while parsing, in index.ts */
  },
});
