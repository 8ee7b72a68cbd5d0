import type { ChangedFile } from '../../core/change.js';
import type { Surface, SurfaceContext } from '../../core/surface.js';
import { claimsManifest, objectsContext } from '../../kube/objects.js';
import { assessManifests } from '../kubernetes/context.js';
import { dirOf } from '../kustomize/model.js';
import { chartFileOf, type ChartFile, type HelmContext } from './model.js';
import { probeHelm } from './probe.js';
import { helmRules } from './rules/index.js';
import notRendered from './rules/not-rendered.js';

const CHART_PATH = /(^|\/)(Chart\.ya?ml|Chart\.lock|values([.-][\w.-]+)?\.ya?ml)$|(^|\/)(templates|crds)\//;

export const helm: Surface = {
  id: 'helm',
  name: 'Helm',
  summary:
    'Helm charts (Chart.yaml, values, templates, crds/) and chart references in Argo CD Applications and Flux HelmReleases: version distance, CRDs Helm never upgrades, hooks a rollback does not undo, values that drop persistence or rename the release.',
  claims: (p) => CHART_PATH.test(p) || claimsManifest(p),
  rules: helmRules,
  async assess(ctx: SurfaceContext): Promise<void> {
    // Chart directories: where a Chart.yaml exists at either side, found from the changed paths upwards.
    const candidates = new Set<string>();
    for (const f of ctx.files) {
      if (!CHART_PATH.test(f.path)) continue;
      let d = dirOf(f.path);
      for (;;) {
        candidates.add(d);
        if (d === '') break;
        d = dirOf(d);
      }
    }
    const chartDirs = new Set<string>();
    await Promise.all(
      [...candidates].map(async (d) => {
        const p = d ? `${d}/Chart.yaml` : 'Chart.yaml';
        if ((await ctx.repo.readText('head', p)) !== undefined || (await ctx.repo.readText('base', p)) !== undefined)
          chartDirs.add(d);
      }),
    );
    const charts: ChartFile[] = [];
    for (const f of ctx.files) {
      const c = chartFileOf(f.path, chartDirs);
      if (!c) continue;
      charts.push({
        ...c,
        path: f.path,
        ...(f.oldText !== undefined ? { before: f.oldText } : {}),
        ...(f.newText !== undefined ? { after: f.newText } : {}),
      });
    }
    const refs = ctx.files.some((f) =>
      /helm\.toolkit\.fluxcd\.io|argoproj\.io/.test(`${f.oldText ?? ''}${f.newText ?? ''}`),
    );
    if (!charts.length && !refs) return;
    const octx = refs
      ? await objectsContext(
          { ...ctx, files: ctx.files.filter((f) => claimsManifest(f.path) && !CHART_PATH.test(f.path)) },
          (o) =>
            (o.group === 'helm.toolkit.fluxcd.io' && o.kind === 'HelmRelease') ||
            (o.group === 'argoproj.io' && o.kind === 'Application'),
          // The helm rules read `changes` only (chart-version-changed: modified releases).
          { changedOnly: true },
        )
      : { changes: [], before: [], after: [], config: ctx.config };
    const probe = charts.length ? await probeHelm() : undefined;
    const renderer = { available: probe?.available ?? false, reason: probe?.reason ?? '' };
    const hctx: HelmContext = {
      ...octx,
      charts,
      renderer,
      chartLocation: (chart) => ({ file: chart ? `${chart}/Chart.yaml` : 'Chart.yaml', line: 1 }),
    };
    await ctx.run(helmRules, hctx);
    if (probe?.available) await assessRendered(ctx, charts, probe.command);
  },
};

/**
 * Renders the changed charts at both revisions with `helm template` and assesses the rendered objects
 * with the Kubernetes rules (one synthetic file per chart and values variant). A side where the chart
 * does not exist renders nothing (an added or deleted chart); a render that fails is reported.
 */
async function assessRendered(ctx: SurfaceContext, charts: ChartFile[], command: string): Promise<void> {
  const r = await import('./render.js');
  const variants = r.variantsOf(charts);
  const dirs = [...new Set(variants.map((v) => v.chart))];
  const sides = ['base', 'head'] as const;
  const exists = Object.fromEntries(
    await Promise.all(
      sides.map(async (s) => {
        const present = await Promise.all(
          dirs.map(async (d) => (await ctx.repo.readText(s, d ? `${d}/Chart.yaml` : 'Chart.yaml')) !== undefined),
        );
        return [s, new Set(dirs.filter((_, i) => present[i]))] as const;
      }),
    ),
  ) as Record<'base' | 'head', Set<string>>;
  const tmp: Partial<Record<'base' | 'head', string>> = {};
  try {
    await Promise.all(
      sides.map(async (s) => {
        if (exists[s].size) tmp[s] = await r.materialiseCharts(ctx.repo, s, [...exists[s]]);
      }),
    );
    const results = await Promise.all(
      variants.map(async (v) => {
        const out: Partial<Record<'base' | 'head', import('./render.js').HelmRenderResult>> = {};
        await Promise.all(
          sides.map(async (s) => {
            if (!exists[s].has(v.chart)) return;
            // An extra values file that does not exist at this side renders nothing there.
            if (v.values && (await ctx.repo.readText(s, v.chart ? `${v.chart}/${v.values}` : v.values)) === undefined)
              return;
            out[s] = await r.helmTemplate(command, tmp[s]!, v);
          }),
        );
        return { v, out };
      }),
    );
    const report = ctx.reporter(notRendered);
    for (const { v, out } of results) {
      const chartFile = v.chart ? `${v.chart}/Chart.yaml` : 'Chart.yaml';
      const failed = sides.filter((s) => out[s] && !out[s]!.ok);
      if (failed.length) {
        for (const s of failed) {
          const res = out[s] as { ok: false; reason: string; dependencies?: boolean };
          report(
            res.dependencies ? 'dependencies' : 'failed',
            {
              chart: v.chart || '.',
              values: v.values ?? 'values.yaml',
              side: s === 'base' ? 'the base revision' : 'the head revision',
              reason: res.reason,
            },
            { file: chartFile, line: 1 },
          );
        }
        continue;
      }
      const text = (s: 'base' | 'head') => {
        const res = out[s];
        return res && res.ok ? res.output : undefined;
      };
      const oldText = text('base');
      const newText = text('head');
      if (oldText === undefined && newText === undefined) continue;
      const file: ChangedFile = {
        status: oldText === undefined ? 'added' : newText === undefined ? 'deleted' : 'modified',
        path: `${v.values ? (v.chart ? `${v.chart}/${v.values}` : v.values) : chartFile} (rendered)`,
        ...(oldText !== undefined ? { oldText, oldBlob: `helm:base:${v.chart}:${v.values ?? ''}` } : {}),
        ...(newText !== undefined ? { newText, newBlob: `helm:head:${v.chart}:${v.values ?? ''}` } : {}),
      };
      await assessManifests({ ...ctx, files: [file] });
    }
  } finally {
    await Promise.all(Object.values(tmp).map((d) => r.removeTree(d)));
  }
}
