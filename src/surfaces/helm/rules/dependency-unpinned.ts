import { defineRule } from '../../../core/rule.js';
import { isObject } from '../../../kube/model.js';
import type { HelmContext } from '../model.js';

export type DependencyUnpinnedData = { chart: string; dependency: string; version: string; lock: string };

/** An exact semver (`1.2.3`, `v1.2.3`, `=1.2.3`, with pre-release or build): anything else is a constraint. */
const EXACT = /^=?\s*v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/**
 * A Chart.yaml dependency whose `version` is missing or a range (`^1.2`, `~1.2.3`, `1.x`, `>=1.0`,
 * `*`, `1.2`): what the chart is built from is decided by `helm dependency update`, not by the commit.
 * Local dependencies (`repository: file://...`) are part of the tree and are not reported.
 */
export default defineRule<HelmContext, 'range' | 'rangeLocked' | 'missing', DependencyUnpinnedData>({
  id: 'dependency-unpinned',
  surface: 'helm',
  class: 'fully-reversible',
  severity: 'warning',
  smell: true,
  docs: {
    summary:
      "A chart's Chart.yaml dependency has no version or a version range (`^`, `~`, `x`, `>=`, `*`) instead of an exact version.",
    rationale:
      "Helm reads a dependency's `version` as a semver constraint and resolves it when `helm dependency update` runs, against the repository index of that moment; it records the exact version it chose in `Chart.lock`, and `helm dependency build` rebuilds `charts/` from the lock without negotiating again. With a range and no committed Chart.lock, every build may package another subchart: reverting the commit does not bring back the subchart that ran, and a rollback rebuilt from Git can ship a newer one. With a committed Chart.lock the build is reproducible until someone runs `helm dependency update`, which re-resolves the range silently: a weaker smell (info). A dependency with no version names no release at all. Dependencies with `repository: file://...` are charts of the same tree, versioned by the commit, and are not reported.",
    fix: 'Write the exact version (`version: 12.5.8`) in Chart.yaml, commit Chart.lock, build with `helm dependency build`, and let a bot (Renovate, Dependabot) raise the pin in a reviewed change.',
    references: [
      'https://helm.sh/docs/helm/helm_dependency/',
      'https://helm.sh/docs/helm/helm_dependency_build/',
      'https://helm.sh/docs/topics/charts/#chart-dependencies',
    ],
  },
  messages: {
    range:
      'dependency {{dependency}} of chart {{chart}} takes version {{version}}, a range, and no Chart.lock is committed: each `helm dependency update` may package another release, and a revert does not bring back the one that ran',
    rangeLocked: {
      text: 'dependency {{dependency}} of chart {{chart}} takes version {{version}}, a range: {{lock}} records what it resolved to, until the next `helm dependency update` re-resolves it',
      severity: 'info',
    },
    missing:
      'dependency {{dependency}} of chart {{chart}} has no version: the release it packages is whatever the repository serves when dependencies are updated',
  },
  async check({ charts, lockedCharts, report }) {
    const { parseYaml } = await import('../../../core/yaml.js');
    for (const c of charts) {
      if (c.kind !== 'chart' || c.after === undefined) continue;
      const file = parseYaml(c.after);
      const doc = file.docs[0];
      if (!doc || doc.error || !isObject(doc.value) || !Array.isArray(doc.value.dependencies)) continue;
      const chart = typeof doc.value.name === 'string' ? doc.value.name : c.chart || '.';
      // What the base already had, unchanged: not this change's (lint reads a tree with an empty base).
      const before = new Set<string>();
      if (c.before !== undefined) {
        const b = parseYaml(c.before).docs[0];
        if (b && !b.error && isObject(b.value) && Array.isArray(b.value.dependencies))
          for (const d of b.value.dependencies)
            if (isObject(d)) before.add(`${String(d.name)}\0${String(d.version)}\0${String(d.repository)}`);
      }
      doc.value.dependencies.forEach((d, i) => {
        if (!isObject(d) || typeof d.name !== 'string') return;
        if (typeof d.repository === 'string' && d.repository.startsWith('file://')) return;
        if (before.has(`${d.name}\0${String(d.version)}\0${String(d.repository)}`)) return;
        const dependency = typeof d.alias === 'string' ? `${d.name} (alias ${d.alias})` : d.name;
        const version = d.version === undefined || d.version === null ? '' : String(d.version).trim();
        const lock = c.chart ? `${c.chart}/Chart.lock` : 'Chart.lock';
        if (version === '') {
          const line = file.locate(doc, ['dependencies', i]);
          report('missing', { chart, dependency, version, lock }, { file: c.path, line });
          return;
        }
        if (EXACT.test(version)) return;
        const line = file.locate(doc, ['dependencies', i, 'version']);
        report(
          lockedCharts.has(c.chart) ? 'rangeLocked' : 'range',
          { chart, dependency, version, lock },
          { file: c.path, line },
        );
      });
    }
  },
});
