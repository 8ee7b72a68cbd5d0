import { defineRule } from '../../../core/rule.js';
import { at, describeObject, get, isObject } from '../../../kube/model.js';
import { versionVerdict, type HelmContext } from '../model.js';

/** A finding's data: the chart (or image) that moved, its versions and the semver distance. */
export type ChartVersionChangedData = { what: string; from: string; to: string; level: string };

export default defineRule<HelmContext, 'major' | 'minor' | 'downgrade', ChartVersionChangedData>({
  id: 'chart-version-changed',
  surface: 'helm',
  class: 'fully-reversible',
  decision: { effects: ['artifact'] },
  severity: 'info',
  docs: {
    summary:
      "A chart's version changes: in Chart.yaml (the chart or a dependency), a Flux HelmRelease, the OCIRepository a HelmRelease's chartRef names, or an Argo CD Application.",
    rationale:
      'By semver convention a major version may change values, object names or selectors, and bundle CRD or schema changes; so may a minor version under major version zero (SemVer §4: "Major version zero (0.y.z) is for initial development. Anything MAY change at any time"), which pre-1.0 charts use for their breaking releases (a dependency, a HelmRelease, an Argo CD Application; the version of a chart whose source is in the repository labels templates that are assessed themselves, so only its major counts there): a compatibility risk whose rollback (`helm rollback` or a revert of the version) may fail on immutable fields or leave new CRDs behind. Minor and patch versions are expected to be compatible: rolling back restores the previous templates. A Flux HelmRelease with `spec.chartRef` to an OCIRepository takes its chart version from the `spec.ref.tag` of the OCIRepository (the HelmRelease itself does not change), so that tag is judged the same way. A downgrade is a rollback already: check that nothing the newer version migrated depends on it.',
    fix: 'Read the chart changelog for a major bump, render both versions and compare, and upgrade one environment first.',
    references: [
      'https://helm.sh/docs/topics/charts/#charts-and-versioning',
      'https://semver.org/',
      'https://fluxcd.io/flux/components/helm/helmreleases/#chart-reference',
    ],
  },
  messages: {
    major: {
      text: '{{what}} moves {{from}} → {{to}} ({{level}}): values, names or CRDs may change incompatibly; a rollback may need repair',
      class: 'reversible-with-compatibility-window',
      severity: 'warning',
    },
    minor: '{{what}} moves {{from}} → {{to}} ({{level}})',
    downgrade: { text: '{{what}} moves back {{from}} → {{to}}', severity: 'warning' },
  },
  async check({ charts, changes, chartLocation, chartSources, report }) {
    const { parseSingleYaml } = await import('../../../core/yaml.js');
    const judge = (
      what: string,
      from: string,
      to: string,
      where: { file: string; line: number },
      object?: string,
      ownChart = false,
    ) => {
      if (from === to) return;
      const { id, level } = versionVerdict(from, to, { ownChart });
      report(id, { what, from, to, level }, where, object ? { object } : undefined);
    };
    for (const c of charts) {
      if (c.kind !== 'chart' || c.before === undefined || c.after === undefined) continue;
      const a = parseSingleYaml(c.before).value;
      const b = parseSingleYaml(c.after).value;
      if (!isObject(a) || !isObject(b)) continue;
      const name = String(b.name ?? c.chart);
      if (typeof a.version === 'string' && typeof b.version === 'string')
        judge(`chart ${name}`, a.version, b.version, chartLocation(c.chart), undefined, true);
      const deps = (v: typeof a) =>
        new Map(
          (Array.isArray(v.dependencies) ? v.dependencies : []).flatMap((d) =>
            isObject(d) && typeof d.name === 'string' && typeof d.version === 'string'
              ? [[d.name, d.version] as const]
              : [],
          ),
        );
      const da = deps(a);
      for (const [dep, v] of deps(b))
        if (da.has(dep)) judge(`dependency ${dep} of chart ${name}`, da.get(dep)!, v, { file: c.path, line: 1 });
    }
    for (const c of changes) {
      if (!c.before || !c.after) continue;
      if (c.kind === 'HelmRelease') {
        const p = ['spec', 'chart', 'spec', 'version'];
        const a = get(c.before.body, p);
        const b = get(c.after.body, p);
        if (typeof a === 'string' && typeof b === 'string')
          judge(
            `${describeObject(c.after)} chart ${String(get(c.after.body, ['spec', 'chart', 'spec', 'chart']))}`,
            a,
            b,
            at(c.after, p),
            c.id,
          );
      } else if (c.kind === 'OCIRepository' && chartSources.has(`${c.after.namespace}/${c.after.name}`)) {
        // A HelmRelease's chartRef: the chart version is the source's ref.tag.
        const p = ['spec', 'ref', 'tag'];
        const a = get(c.before.body, p);
        const b = get(c.after.body, p);
        const url = get(c.after.body, ['spec', 'url']);
        if (typeof a === 'string' && typeof b === 'string')
          judge(
            `${describeObject(c.after)} chart ${typeof url === 'string' ? url.replace(/^oci:\/\//, '') : c.after.name}`,
            a,
            b,
            at(c.after, p),
            c.id,
          );
      } else if (c.kind === 'Application') {
        const a = get(c.before.body, ['spec', 'source']);
        const b = get(c.after.body, ['spec', 'source']);
        if (
          isObject(a) &&
          isObject(b) &&
          typeof b.chart === 'string' &&
          a.chart === b.chart &&
          typeof a.targetRevision === 'string' &&
          typeof b.targetRevision === 'string'
        )
          judge(
            `${describeObject(c.after)} chart ${b.chart}`,
            a.targetRevision,
            b.targetRevision,
            at(c.after, ['spec', 'source', 'targetRevision']),
            c.id,
          );
      }
    }
  },
});
