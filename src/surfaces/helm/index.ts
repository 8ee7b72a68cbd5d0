import { execFile } from 'node:child_process';
import type { Surface, SurfaceContext } from '../../core/surface.js';
import { claimsManifest } from '../kubernetes/index.js';
import { objectsContext } from '../kubernetes/objects.js';
import { dirOf } from '../kustomize/model.js';
import { chartFileOf, type ChartFile, type HelmContext } from './model.js';
import { helmRules } from './rules/index.js';

const CHART_PATH = /(^|\/)(Chart\.ya?ml|Chart\.lock|values([.-][\w.-]+)?\.ya?ml)$|(^|\/)(templates|crds)\//;

let helmProbe: Promise<{ available: boolean; reason: string }> | undefined;

/** Whether `helm` runs here; asked once per process. */
function probeHelm(): Promise<{ available: boolean; reason: string }> {
  return (helmProbe ??= new Promise((resolve) => {
    execFile(process.env.ROLLWRIGHT_HELM || 'helm', ['version', '--short'], { timeout: 10_000 }, (err) => {
      if (!err)
        resolve({
          available: true,
          reason: 'rendering with `helm template` is not enabled in this version of rollwright',
        });
      else
        resolve({
          available: false,
          reason:
            (err as NodeJS.ErrnoException).code === 'ENOENT'
              ? 'helm is not installed'
              : `helm does not run (${err.message.split('\n')[0]})`,
        });
    });
  }));
}

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
        )
      : { changes: [], before: [], after: [], config: ctx.config };
    const renderer = charts.length ? await probeHelm() : { available: false, reason: '' };
    const hctx: HelmContext = {
      ...octx,
      charts,
      renderer,
      chartLocation: (chart) => ({ file: chart ? `${chart}/Chart.yaml` : 'Chart.yaml', line: 1 }),
    };
    await ctx.run(helmRules, hctx);
  },
};
