import type { ChangedFile } from '../../core/change.js';
import type { SurfaceContext } from '../../core/surface.js';
import { assessImages, assessManifests } from '../kubernetes/context.js';
import { VALUES_GROUP, VALUES_KIND, valuesImages } from '../../kube/image-sites.js';
import {
  get,
  isObject,
  type Json,
  type JsonObject,
  type KubeContext,
  type KubeObject,
  type ObjectChange,
} from '../../kube/model.js';
import { claimsManifest, objectsContext, templated } from '../../kube/objects.js';
import { dirOf } from '../kustomize/model.js';
import { chartFileOf, claimTemplates, type ChartFile, type ClaimTemplate, type HelmContext } from './model.js';
import { probeHelm } from './probe.js';
import { assessRendered } from './rendered.js';
import { helmRules } from './rules/index.js';

const CHART_PATH = /(^|\/)(Chart\.ya?ml|Chart\.lock|values([.-][\w.-]+)?\.ya?ml)$|(^|\/)(templates|crds)\//;

/** Chart files (Chart.yaml, Chart.lock, values, templates/, crds/) and manifests that may reference charts. */
export function claimsChartInput(path: string): boolean {
  return CHART_PATH.test(path) || claimsManifest(path);
}

/**
 * Finds the charts the change touches and the chart references (Flux HelmReleases, Argo CD
 * Applications) it changes, runs the helm rules on them, then renders the changed charts at both
 * revisions when helm runs here and assesses the output as manifests.
 */
export async function assessCharts(ctx: SurfaceContext): Promise<void> {
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
    /helm\.toolkit\.fluxcd\.io|argoproj\.io|kind:\s*OCIRepository/.test(`${f.oldText ?? ''}${f.newText ?? ''}`),
  );
  if (!charts.length && !refs) return;
  // The `chartRef` search a changed OCIRepository may need, started before the parse below so that git
  // searches while this process parses; cancelled when no OCIRepository turns out to need it.
  const chartRefs = ctx.files.some((f) => OCI_SOURCE.test(f.oldText ?? '') && OCI_SOURCE.test(f.newText ?? ''))
    ? chartRefSearch(ctx)
    : undefined;
  const octx = refs
    ? await objectsContext(
        { ...ctx, files: ctx.files.filter((f) => claimsManifest(f.path) && !CHART_PATH.test(f.path)) },
        (o) =>
          (o.group === 'helm.toolkit.fluxcd.io' && o.kind === 'HelmRelease') ||
          (o.group === 'source.toolkit.fluxcd.io' && o.kind === 'OCIRepository') ||
          (o.group === 'argoproj.io' && o.kind === 'Application'),
        // The helm rules read `changes` only (chart-version-changed: modified releases).
        { changedOnly: true },
      )
    : { changes: [], before: [], after: [], config: ctx.config };
  const chartSources = await ociChartSources(ctx, octx.changes, chartRefs);
  const lockedCharts = new Set<string>();
  await Promise.all(
    charts
      .filter((c) => c.kind === 'chart' && c.after !== undefined)
      .map(async (c) => {
        if ((await ctx.repo.readText('head', c.chart ? `${c.chart}/Chart.lock` : 'Chart.lock')) !== undefined)
          lockedCharts.add(c.chart);
      }),
  );
  const probe = charts.length ? await probeHelm() : undefined;
  const renderer = { available: probe?.available ?? false, reason: probe?.reason ?? '' };
  const hctx: HelmContext = {
    ...octx,
    charts,
    renderer,
    chartLocation: (chart) => ({ file: chart ? `${chart}/Chart.yaml` : 'Chart.yaml', line: 1 }),
    chartSources,
    namedClaims: await namedClaims(ctx, charts),
    lockedCharts,
  };
  await ctx.run(helmRules, hctx);
  if (probe?.available) await assessRendered(ctx, charts, probe.command);
  else if (charts.length) {
    await assessDeletedTemplates(ctx, charts);
    await assessValuesImages(ctx, charts);
  }
}

/** The text of every template (`*.yaml`, `*.yml`, `*.tpl`, subfolders included) of a chart at one side. */
async function templateTexts(
  ctx: SurfaceContext,
  chart: string,
  side: 'base' | 'head',
): Promise<Array<{ path: string; text: string }>> {
  const found: Array<{ path: string; text: string }> = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await ctx.repo.listDir(side, d)) {
      const p = `${d}/${e.name}`;
      if (e.type === 'tree') await walk(p);
      else if (/\.(ya?ml|tpl)$/.test(e.name)) {
        const text = await ctx.repo.readText(side, p);
        if (text !== undefined) found.push({ path: p, text });
      }
    }
  };
  await walk(chart ? `${chart}/templates` : 'templates');
  return found;
}

/**
 * Without helm, the images a chart's values file changes are assessed as image changes of the
 * release (kubernetes/image-changed and kubernetes/mutable-image-tag, the same verdicts as a
 * manifest's container image), but only the image values the chart's templates read as an image
 * (usedAsImage): a key named `image` that no template uses is not an image change.
 */
async function assessValuesImages(ctx: SurfaceContext, charts: readonly ChartFile[]): Promise<void> {
  const files = charts.filter(
    (c) => c.kind === 'values' && c.before !== undefined && c.after !== undefined && c.before !== c.after,
  );
  if (!files.length) return;
  const { parseYaml } = await import('../../core/yaml.js');
  const templates = new Map<string, Array<{ path: string; text: string }>>();
  const changes: ObjectChange[] = [];
  for (const c of files) {
    if (!templates.has(c.chart)) templates.set(c.chart, await templateTexts(ctx, c.chart, 'head'));
    const used = (key: string) => usedAsImage(templates.get(c.chart)!, key);
    const side = (text: string): KubeObject | undefined => {
      const yaml = parseYaml(text);
      const doc = yaml.docs[0];
      if (!doc || !isObject(doc.value as Json)) return undefined;
      // Only the image values the templates use: the rules read every image key of the body.
      const body: JsonObject = {};
      for (const site of valuesImages(doc.value as Json, [], used)) {
        const keys = site.key.replace(/^values\//, '').split('.');
        let into = body;
        for (const k of keys.slice(0, -1)) into = (into[k] ??= {}) as JsonObject;
        into[keys.at(-1)!] = get(doc.value, keys) as Json;
      }
      return {
        id: `${VALUES_GROUP}/${VALUES_KIND}//${c.path}`,
        apiVersion: `${VALUES_GROUP}/v1`,
        group: VALUES_GROUP,
        version: 'v1',
        kind: VALUES_KIND,
        namespace: '',
        name: c.path,
        scope: '',
        body,
        file: c.path,
        doc,
        yaml,
      };
    };
    const before = side(c.before!);
    const after = side(c.after!);
    if (!before || !after || !Object.keys(after.body).length) continue;
    changes.push({
      id: after.id,
      group: VALUES_GROUP,
      kind: VALUES_KIND,
      status: 'modified',
      before,
      after,
      bodyChanged: true,
    });
  }
  if (!changes.length) return;
  const kctx: KubeContext = {
    changes,
    before: new Map(changes.map((c) => [c.id, c.before!])),
    after: new Map(changes.map((c) => [c.id, c.after!])),
    config: ctx.config,
    kubeMinor: 0,
    knownKinds: new Set(),
    repo: ctx.repo,
    index: { objectsMentioning: async () => [] },
    mentioning: () => [],
  };
  await assessImages(ctx, kctx);
}

/**
 * True when a chart template reads `.Values.<key>` as an image: on an `image:` field line, or
 * through a helper (`include`/`template` with the values, or inside a `*.tpl` helper file), as the
 * conventional `image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"` and the Bitnami
 * `include "common.images.image" (dict "imageRoot" .Values.image ...)` do.
 */
export function usedAsImage(templates: ReadonlyArray<{ path: string; text: string }>, key: string): boolean {
  const ref = new RegExp(`\\.Values\\.${key.replace(/\./g, '\\.')}(?![\\w-])`);
  for (const t of templates)
    for (const line of t.text.split('\n'))
      if (
        ref.test(line) &&
        (/(^|[\s-])image:/.test(line) || /\b(include|template)\b/.test(line) || t.path.endsWith('.tpl'))
      )
        return true;
  return false;
}

/**
 * Without helm, the templates the change deletes from a chart that stays are read statically
 * (staticTemplate: documents of literal structure, expressions as placeholders) and assessed as
 * deleted manifests, so a claim leaving the release manifest (which the next `helm upgrade` deletes)
 * is reported by the Kubernetes rules. Objects of the chart's added templates at head are paired with
 * them (a template moved to another file deletes nothing); objects whose kind or name is templated
 * are left out.
 */
async function assessDeletedTemplates(ctx: SurfaceContext, charts: readonly ChartFile[]): Promise<void> {
  // A template with no action is plain YAML, which the kubernetes surface reads as it is.
  const deleted = charts.filter(
    (c) => c.kind === 'template' && c.before !== undefined && c.after === undefined && templated(c.path, c.before),
  );
  if (!deleted.length) return;
  const { staticTemplate, literalIdentity } = await import('../../kube/managed.js');
  const byChart = new Map<string, ChartFile[]>();
  for (const c of deleted) byChart.set(c.chart, [...(byChart.get(c.chart) ?? []), c]);
  const files: ChangedFile[] = [];
  for (const [chart, templates] of byChart) {
    const chartFile = chart ? `${chart}/Chart.yaml` : 'Chart.yaml';
    if ((await ctx.repo.readText('head', chartFile)) === undefined) continue; // the whole chart is removed
    const added = charts.filter((c) => c.chart === chart && c.kind === 'template' && c.before === undefined && c.after);
    for (const t of templates)
      files.push({
        status: 'deleted',
        path: `${t.path} (template, not rendered)`,
        oldText: staticTemplate(t.before!),
        oldBlob: `helm:static:base:${t.path}`,
      });
    if (added.length)
      files.push({
        status: 'added',
        path: `${chart || '.'} added templates (not rendered)`,
        newText: added.map((c) => staticTemplate(c.after!)).join('\n---\n'),
        newBlob: `helm:static:head:${chart}`,
      });
  }
  if (!files.length) return;
  await assessManifests({ ...ctx, files }, (changes) =>
    changes.filter((c) => c.status === 'removed' && c.before !== undefined && literalIdentity(c.before)),
  );
}

/**
 * The claim templates with a templated name, at the base, of each chart whose values the change
 * modifies (read only when a values file changes; a chart has few templates).
 */
async function namedClaims(ctx: SurfaceContext, charts: readonly ChartFile[]): Promise<Map<string, ClaimTemplate[]>> {
  const out = new Map<string, ClaimTemplate[]>();
  const dirs = new Set(charts.filter((c) => c.kind === 'values' && c.before !== undefined).map((c) => c.chart));
  for (const dir of dirs) {
    const found: ClaimTemplate[] = [];
    for (const t of await templateTexts(ctx, dir, 'base')) found.push(...claimTemplates(t.path, t.text));
    out.set(dir, found);
  }
  return out;
}

/**
 * The changed OCIRepositories that hold a Helm chart: selected by the Helm chart layer media type, or
 * named by a HelmRelease's `chartRef` in any manifest of the repository at head (the HelmRelease is
 * usually unchanged when only the source's tag moves).
 */
async function ociChartSources(
  ctx: SurfaceContext,
  changes: readonly ObjectChange[],
  started: ChartRefSearch | undefined,
): Promise<Set<string>> {
  const out = new Set<string>();
  const repos = changes.filter((c) => c.kind === 'OCIRepository' && c.before && c.after && c.bodyChanged);
  if (!repos.length) {
    started?.cancel();
    return out;
  }
  const id = (o: KubeObject) => `${o.namespace}/${o.name}`;
  const pending = new Set<string>();
  for (const c of repos) {
    const media = get(c.after!.body, ['spec', 'layerSelector', 'mediaType']);
    if (typeof media === 'string' && /helm\.chart/.test(media)) out.add(id(c.after!));
    else pending.add(id(c.after!));
  }
  if (!pending.size) {
    started?.cancel();
    return out;
  }
  const { parseManifests } = await import('../../kube/parse.js');
  const files = await (started ?? chartRefSearch(ctx)).files;
  for (const file of files.slice(0, 500)) {
    const text = await ctx.repo.readText('head', file);
    if (text === undefined || templated(file, text)) continue;
    for (const o of parseManifests(file, text, { defaultNamespace: ctx.config.kubernetes.defaultNamespace }).objects) {
      if (o.kind !== 'HelmRelease') continue;
      const ref = get(o.body, ['spec', 'chartRef']);
      if (!isObject(ref) || ref.kind !== 'OCIRepository' || typeof ref.name !== 'string') continue;
      const key = `${typeof ref.namespace === 'string' ? ref.namespace : o.namespace}/${ref.name}`;
      if (pending.has(key)) out.add(key);
    }
  }
  return out;
}

/** A modified OCIRepository's kind line, on a side of a changed file. */
const OCI_SOURCE = /kind:\s*OCIRepository/;

type ChartRefSearch = { files: Promise<string[]>; cancel(): void };

/** The manifests at head that mention `chartRef`: one `git grep`, cancellable while it runs. */
function chartRefSearch(ctx: SurfaceContext): ChartRefSearch {
  const ac = new AbortController();
  const files = ctx.repo.grep('head', ['chartRef'], ['**/*.yaml', '**/*.yml'], ac.signal);
  // A cancelled search rejects; nothing waits for it then.
  files.catch(() => undefined);
  return { files, cancel: () => ac.abort() };
}
