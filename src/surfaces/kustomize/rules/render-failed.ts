import { CONSERVATIVE_CLASS } from '../../../core/classes.js';
import { defineRule } from '../../../core/rule.js';

/**
 * Unknown is never safe: an overlay whose inputs changed does not render, so what the change does to
 * the cluster cannot be known. Reported by the surface while rendering; `check` has nothing to do.
 */
export default defineRule<
  unknown,
  | 'failed'
  | 'remote'
  | 'failedNew'
  | 'remoteNew'
  | 'failedBoth'
  | 'remoteBoth'
  | 'failedBothChanged'
  | 'fixed'
  | 'deletedBroken'
  | 'noKubectl'
  | 'noHelm'
>({
  id: 'render-failed',
  surface: 'kustomize',
  class: CONSERVATIVE_CLASS,
  decision: { effects: ['unassessed'] },
  severity: 'error',
  blocksGate: true,
  unassessed: {
    reason: 'overlay {{overlay}} does not render at {{side}}, so what the change does to its objects was not assessed',
    remedy: 'run `kubectl kustomize {{overlay}}` and fix what it reports',
  },
  docs: {
    summary: 'An overlay whose inputs changed does not render with `kubectl kustomize` (or kubectl is missing).',
    rationale:
      'rollwright assesses a Kustomize change by rendering the affected overlays at both revisions and comparing the objects. When `kubectl kustomize` fails (a missing file, a patch that matches nothing, a remote base that cannot be fetched: rollwright renders offline, and without network a remote base never resolves) nothing can be said about what the change does, and a change that does not render at head will not apply either. The finding names the kustomization and carries kubectl\'s message, and says what could not be assessed and how to assess it: the class is held at the conservative end until the input renders, as not assessed, which is no claim that anything is destroyed. Only the change\'s own failure holds it: an overlay that fails at the base revision and renders at head is the change fixing it (info), and one that fails at both revisions with the same error is not the change\'s (info, listed as not assessed without holding the class). What an overlay that does not render could destroy bounds the hold: a GitOps controller that cannot build an overlay applies and prunes nothing from it (Argo CD marks the Application ComparisonError / Unknown and does not sync; Flux marks the Kustomization not ready with BuildFailed and keeps the last applied objects), so an overlay that is new in the change (nothing was applied from it yet), or that already failed at the base with another error (nothing rendered before is lost), cannot delete anything: it holds the class at reversible-with-manual-repair as not assessed (the hold for new inputs that cannot be read), never at non-recoverable. An overlay deleted by the change that did not render at the base either is reported at info (not "fixed"). When kubectl is not installed, the rendered comparison is skipped with one warning and only the static rules and the plain manifests are assessed. Overlays that inflate `helmCharts:` render only with `--enable-helm` and a helm binary (kustomize\'s HelmChartInflationGenerator fails with "must specify --enable-helm" otherwise): with helm on PATH they are rendered that way (the chart is pulled from its repository unless vendored under `chartHome`, so offline a remote chart fails and is reported as a remote input); without helm they are left unrendered with one info finding, and `kustomize/helm-chart-changed` still judges their chart versions.',
    fix: 'Run `kubectl kustomize <overlay>` locally and fix what it reports; vendor remote bases into the repository (or pin them and render where the network is available).',
    references: [
      'https://kubectl.docs.kubernetes.io/references/kustomize/cmd/build/',
      'https://kubernetes.io/docs/tasks/manage-kubernetes-objects/kustomization/',
      'https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/helmcharts/',
      'https://fluxcd.io/flux/components/kustomize/kustomizations/ (a build failure sets Ready=False, reason BuildFailed; nothing is applied or garbage-collected)',
      'https://argo-cd.readthedocs.io/en/stable/operator-manual/health/ and the application controller: a manifest generation error is a ComparisonError and the sync does not run',
    ],
  },
  messages: {
    failed: 'overlay {{overlay}} does not render at {{side}}: {{reason}}',
    remote: {
      text: 'overlay {{overlay}} does not render at {{side}}; it reads remote bases ({{remote}}), which rollwright cannot fetch without network: {{reason}}',
      unassessed: {
        reason:
          'overlay {{overlay}} reads remote inputs ({{remote}}) that cannot be fetched without network, so it was not rendered at {{side}}',
        remedy: 'vendor the remote bases into the repository, or run rollwright where they can be fetched',
      },
    },
    failedNew: {
      text: 'overlay {{overlay}} is new and does not render at the head revision: it will not apply, and nothing it would create exists yet, so no object is removed through it; what it would apply was not assessed: {{reason}}',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      unassessed: {
        reason: 'new overlay {{overlay}} does not render at the head revision, so what it would apply was not assessed',
        remedy: 'run `kubectl kustomize {{overlay}}` and fix what it reports',
      },
    },
    remoteNew: {
      text: 'overlay {{overlay}} is new and does not render at the head revision; it reads remote inputs ({{remote}}), which rollwright cannot fetch without network. Nothing it would create exists yet, so no object is removed through it; what it would apply was not assessed: {{reason}}',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      unassessed: {
        reason:
          'new overlay {{overlay}} reads remote inputs ({{remote}}) that cannot be fetched without network, so what it would apply was not assessed',
        remedy: 'vendor the remote bases into the repository, or run rollwright where they can be fetched',
      },
    },
    failedBothChanged: {
      text: 'overlay {{overlay}} does not render at either revision, and the change alters its inputs and its error: it was already broken, so nothing it rendered before is lost, and what the change does to it was not assessed: {{reason}}',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
      unassessed: {
        reason:
          'overlay {{overlay}} does not render at the base or the head revision, so what the change does to it was not assessed',
        remedy: 'run `kubectl kustomize {{overlay}}` and fix what it reports',
      },
    },
    deletedBroken: {
      text: 'overlay {{overlay}} is deleted, and it did not render at the base revision either, so its objects were not compared: {{reason}}',
      class: 'fully-reversible',
      severity: 'info',
      unassessed: {
        reason: 'deleted overlay {{overlay}} does not render at the base revision, so its objects were not compared',
        remedy: 'run `kubectl kustomize {{overlay}}` at the base revision and fix what it reports',
      },
    },
    failedBoth: {
      text: "overlay {{overlay}} does not render at either revision, with the same error, so the failure is not this change's: {{reason}}",
      class: 'fully-reversible',
      severity: 'info',
      unassessed: {
        reason:
          'overlay {{overlay}} does not render at the base or the head revision, so its rendered objects were not compared',
        remedy: 'run `kubectl kustomize {{overlay}}` and fix what it reports',
      },
    },
    remoteBoth: {
      text: 'overlay {{overlay}} does not render at either revision, with the same error: it reads remote inputs ({{remote}}), which rollwright cannot fetch without network: {{reason}}',
      class: 'fully-reversible',
      severity: 'info',
      unassessed: {
        reason:
          'overlay {{overlay}} reads remote inputs ({{remote}}) that cannot be fetched without network, so its rendered objects were not compared',
        remedy: 'vendor the remote bases into the repository, or run rollwright where they can be fetched',
      },
    },
    fixed: {
      text: 'overlay {{overlay}} does not render at the base revision and renders at head: the change fixes it (the rendered objects have no base to compare with): {{reason}}',
      class: 'fully-reversible',
      severity: 'info',
      decision: { effects: [] },
      unassessed: false,
    },
    noKubectl: {
      text: 'kubectl is not installed: overlay {{overlay}} and the others were not rendered; only static kustomization rules and plain manifests were assessed',
      class: 'fully-reversible',
      severity: 'warning',
      unassessed: {
        reason: 'kubectl is not installed, so overlay {{overlay}} and the others were not rendered',
        remedy: 'install kubectl (its `kubectl kustomize` renders the overlays)',
      },
    },
    noHelm: {
      text: '{{count}} overlay(s) inflate helmCharts ({{overlays}}) and were not rendered: kustomize needs --enable-helm and a helm binary ({{reason}}); chart versions were judged statically by kustomize/helm-chart-changed',
      class: 'fully-reversible',
      severity: 'info',
      unassessed: {
        reason: '{{count}} overlay(s) inflate helmCharts ({{overlays}}) and were not rendered without helm',
        remedy:
          'install helm where rollwright runs (kustomize renders helmCharts with --enable-helm and a helm binary)',
      },
    },
  },
  check() {
    // Reported while rendering, in index.ts.
  },
});
