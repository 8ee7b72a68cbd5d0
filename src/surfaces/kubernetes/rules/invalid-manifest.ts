import { defineRule } from '../../../core/rule.js';

/**
 * A manifest file rollwright could not read completely. Unknown is never safe: the class is held at
 * the conservative end until the file parses.
 */
export default defineRule<unknown, 'yaml' | 'notObject' | 'missingField' | 'duplicate' | 'fieldType'>({
  id: 'invalid-manifest',
  surface: 'kubernetes',
  class: 'non-recoverable-without-restore',
  decision: { effects: ['unassessed'] },
  severity: 'error',
  blocksGate: true,
  unassessed: {
    remedy:
      'fix the YAML at the line given (`kubectl apply --dry-run=client -f FILE` shows the same error), or exclude the file if it is not a Kubernetes manifest',
  },
  docs: {
    summary:
      'A YAML manifest, or one document in it, does not parse, is not a Kubernetes object, or gives a field of a built-in kind a value of the wrong type.',
    rationale:
      'What cannot be read cannot be classified: a document that does not parse may delete a volume or change an immutable field. The finding holds the change at the conservative end instead of passing it silently.',
    fix: 'Fix the YAML at the line given (`kubectl apply --dry-run=server -f FILE` shows the same error); quote values that must be strings (`"8080"`, `"1.0"`, `"true"`) and write numbers unquoted.',
    references: [
      'https://yaml.org/spec/1.2.2/',
      'https://github.com/kubernetes/kubernetes/issues/22506 (a value of the wrong type is a decoding error: "json: cannot unmarshal number into Go value of type string"; the API server answers BadRequest, "cannot unmarshal string into Go struct field ... replicas of type int32")',
      'kubernetes-models (the OpenAPI schemas of the Kubernetes API): the field types checked',
    ],
  },
  messages: {
    yaml: 'YAML does not parse: {{reason}}',
    notObject: 'document is {{found}}, not a Kubernetes object',
    missingField: 'document has no {{field}}',
    fieldType: {
      text: '{{kind}} {{name}}: {{field}} is {{found}}, and the API declares {{expected}}: the API server refuses the object, so the change does not apply as written',
      class: 'reversible-with-manual-repair',
    },
    duplicate: {
      text: '{{id}} is defined again (first at line {{firstLine}}): the last definition wins when applied',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      decision: { effects: [] },
      unassessed: false,
    },
  },
  check() {
    /* reported while parsing, in index.ts */
  },
});
