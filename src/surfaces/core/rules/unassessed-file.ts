import { defineRule } from '../../../core/rule.js';

/**
 * A changed file in an environment's paths that no surface reads: unknown is never safe, so it holds
 * the class at reversible-with-manual-repair instead of passing as a line under "skipped".
 */
export default defineRule<unknown, 'unknownFormat' | 'submodule'>({
  id: 'unassessed-file',
  surface: 'core',
  class: 'reversible-with-manual-repair',
  decision: { effects: ['unassessed'] },
  severity: 'warning',
  unassessed: {
    reason: '{{path}} is deployed by an environment and no surface reads this kind of file',
    remedy:
      "move it out of the environment's paths, or list it under `ignore` in .rollwright.yaml with the reason it is safe",
  },
  docs: {
    summary:
      'A changed file in an environment (`environments.<name>.paths`) that no surface reads: an unknown format, or a submodule.',
    rationale:
      "Files in an environment are what its GitOps controller or pipeline deploys: Argo CD applies every .yaml, .yml and .json file of a directory application and evaluates .jsonnet, a config management plugin may read anything, and a submodule brings another repository's content. rollwright cannot say how a change it did not read could be undone, so the class is held at reversible-with-manual-repair. Documentation (README, .md, .txt) is not held.",
    fix: "Move files that are not deployed out of the environment's paths, or list them under `ignore` in .rollwright.yaml with the reason they are safe.",
    references: ['https://argo-cd.readthedocs.io/en/stable/user-guide/directory/'],
  },
  messages: {
    unknownFormat:
      '{{path}} is in the {{env}} environment and no surface reads this kind of file: its effect on rollback is unknown',
    submodule: {
      text: "{{path}} is a submodule ({{from}} -> {{to}}): its content is another repository's, and is not assessed",
      unassessed: {
        reason: "{{path}} is a submodule: its content is another repository's",
        remedy:
          'assess the submodule repository over {{from}}..{{to}}, or list the path under `ignore` with the reason it is safe',
      },
    },
  },
  check() {
    /* reported by the engine while sorting the change set */
  },
});
