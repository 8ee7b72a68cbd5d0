import type { ChangedFile } from '../../core/change.js';
import type { SurfaceContext } from '../../core/surface.js';
import { assessManifests } from '../kubernetes/context.js';
import type { ChartFile } from './model.js';
import notRendered from './rules/not-rendered.js';

/**
 * Renders the changed charts at both revisions with `helm template` and assesses the rendered objects
 * with the Kubernetes rules (one synthetic file per chart and values variant). A side where the chart
 * does not exist renders nothing (an added or deleted chart); a render that fails is reported.
 */
export async function assessRendered(ctx: SurfaceContext, charts: ChartFile[], command: string): Promise<void> {
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
