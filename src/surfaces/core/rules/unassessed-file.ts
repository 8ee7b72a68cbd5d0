import { defineRule } from '../../../core/rule.js';

/**
 * A changed file in an environment's paths that no surface reads: unknown is never safe, so it holds
 * the class at reversible-with-manual-repair instead of passing as a line under "skipped".
 */
export default defineRule<unknown, 'unknownFormat' | 'submodule' | 'ksonnet'>({
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
      "Files in an environment are what its GitOps controller or pipeline deploys: Argo CD applies every .yaml, .yml and .json file of a directory application and evaluates .jsonnet, a config management plugin may read anything, and a submodule brings another repository's content. rollwright cannot say how a change it did not read could be undone, so the class is held at reversible-with-manual-repair. Documentation (README, .md, .txt) is not held. A `.jsonnet`/`.libsonnet` file of a ksonnet app (a directory whose `app.yaml` is of kind `ksonnet.io/app`, with `components/` and `environments/<env>/`) is reported at info wherever it is: a ksonnet environment named `dev` or `prod` is not a deployed path, ksonnet is defunct, Argo CD removed its support in 2.4, and Argo CD's directory source evaluates only `*.jsonnet` files of an Application's own path (a ksonnet app's `main.jsonnet` imports ksonnet's libraries and does not evaluate there), so no controller renders the change (nor a move of such a file from one ksonnet app to another, as when the app's folder is renamed); a jsonnet file outside a ksonnet app in an environment is held like any other unread file.",
    fix: "Move files that are not deployed out of the environment's paths, or list them under `ignore` in .rollwright.yaml with the reason they are safe.",
    references: [
      'https://argo-cd.readthedocs.io/en/stable/user-guide/directory/',
      'https://argo-cd.readthedocs.io/en/stable/user-guide/jsonnet/',
      'https://argo-cd.readthedocs.io/en/stable/operator-manual/upgrading/2.3-2.4/',
    ],
  },
  messages: {
    unknownFormat:
      '{{path}} is in the {{env}} environment and no surface reads this kind of file: its effect on rollback is unknown',
    ksonnet: {
      text: '{{path}} is part of the ksonnet app {{app}}, which no GitOps controller renders any more (Argo CD removed ksonnet in 2.4): not assessed; if a pipeline still runs `ks apply`, review it by hand',
      severity: 'info',
      class: 'fully-reversible',
      unassessed: {
        reason: '{{path}} is part of a ksonnet app, which rollwright does not render',
        remedy: 'render it with `ks show <env>` and review the output, or remove the ksonnet app if nothing deploys it',
      },
    },
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
