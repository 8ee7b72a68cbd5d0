import { defineRule } from '../../../core/rule.js';
import { isObject } from '../../../kube/model.js';
import { versionVerdict } from '../../helm/model.js';
import { locate, type KustomizationSide, type KustomizeContext } from '../model.js';

/** A `helmCharts:` entry of a kustomization, keyed by its release name (kustomize's default: the chart name). */
interface ChartEntry {
  key: string;
  name: string;
  repo: string;
  version: string;
  index: number;
}

function chartsOf(k: KustomizationSide | undefined): Map<string, ChartEntry> {
  const out = new Map<string, ChartEntry>();
  const list = k?.value.helmCharts;
  if (!Array.isArray(list)) return out;
  list.forEach((c, index) => {
    if (!isObject(c) || typeof c.name !== 'string') return;
    const key = typeof c.releaseName === 'string' && c.releaseName ? c.releaseName : c.name;
    out.set(key, {
      key,
      name: c.name,
      repo: typeof c.repo === 'string' ? c.repo : '',
      version: c.version === undefined || c.version === null ? '' : String(c.version),
      index,
    });
  });
  return out;
}

export default defineRule<KustomizeContext, 'major' | 'minor' | 'downgrade' | 'repo' | 'chart'>({
  id: 'helm-chart-changed',
  surface: 'kustomize',
  class: 'fully-reversible',
  severity: 'info',
  docs: {
    summary:
      'A `helmCharts:` entry of a kustomization changes its chart version (with its semver distance), its repository, or its chart.',
    rationale:
      'kustomize inflates `helmCharts:` entries with `helm template` (only under `--enable-helm`, and only with a helm binary), pulling the chart version from `repo` unless it is vendored under `chartHome`. The version is judged as `helm/chart-version-changed` judges it: a major bump (or a minor one under major version zero, where SemVer lets anything change) may change values, names, selectors or CRDs incompatibly (a rollback may need repair), minor and patch bumps are expected to roll back cleanly, a downgrade is a rollback already. A new repository or another chart under the same release name replaces what the release renders. These are read from the kustomization itself, so they are reported even when the charts cannot be rendered here; when they can, the rendered objects are also assessed with the Kubernetes rules.',
    fix: 'Read the chart changelog for a major bump, vendor the chart (`chartHome`) so both revisions render offline, and roll out to one environment first.',
    references: [
      'https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/helmcharts/',
      'https://github.com/kubernetes-sigs/kustomize/blob/master/plugin/builtin/helmchartinflationgenerator/HelmChartInflationGenerator.go',
      'https://helm.sh/docs/topics/charts/#charts-and-versioning',
    ],
  },
  messages: {
    major: {
      text: 'helm chart {{chart}} (release {{release}}) moves {{from}} → {{to}} ({{level}}): values, names or CRDs may change incompatibly; a rollback may need repair',
      class: 'reversible-with-compatibility-window',
      severity: 'warning',
    },
    minor: 'helm chart {{chart}} (release {{release}}) moves {{from}} → {{to}} ({{level}})',
    downgrade: { text: 'helm chart {{chart}} (release {{release}}) moves back {{from}} → {{to}}', severity: 'warning' },
    repo: {
      text: 'helm chart {{chart}} (release {{release}}) now comes from {{to}} (was {{from}}): another repository may serve other bytes under the same version',
      severity: 'warning',
    },
    chart: {
      text: 'release {{release}} now inflates chart {{to}} instead of {{from}}: every object it renders is replaced',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
    },
  },
  check({ kustomizations, report }) {
    for (const k of kustomizations) {
      if (!k.before || !k.after) continue;
      const olds = chartsOf(k.before);
      for (const [key, c] of chartsOf(k.after)) {
        const o = olds.get(key);
        if (!o) continue;
        const where = (field: string) => locate(k.after!, ['helmCharts', c.index, field]);
        const base = { chart: c.name, release: key };
        if (o.name !== c.name) {
          report('chart', { ...base, from: o.name, to: c.name }, where('name'));
          continue;
        }
        if (o.repo !== c.repo)
          report('repo', { ...base, from: o.repo || '(none)', to: c.repo || '(none)' }, where('repo'));
        if (o.version !== c.version) {
          if (!o.version || !c.version)
            report(
              'minor',
              { ...base, from: o.version || '(latest)', to: c.version || '(latest)', level: 'other' },
              where('version'),
            );
          else {
            const { id, level } = versionVerdict(o.version, c.version);
            report(id, { ...base, from: o.version, to: c.version, level }, where('version'));
          }
        }
      }
    }
  },
});
