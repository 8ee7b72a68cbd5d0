import type { ChangedFile } from '../../core/change.js';
import { RENDERED_RAW_FILES, type SurfaceContext } from '../../core/surface.js';
import type { KubeObject } from '../../kube/model.js';
import { linkPrevious } from '../../kube/parse.js';
import { assessManifests } from '../kubernetes/context.js';
import { KUSTOMIZATION_NAMES, isKustomizationPath, joinPath, stringEntries } from './model.js';
import renderFailed from './rules/render-failed.js';

const HASH = '[245-9bcdfghkmt]{10}';

/**
 * Generated ConfigMaps and Secrets carry a content hash in their name (`web-config-5t8h2b7k9c`): a
 * data change renames them and rolls the workloads that use them, which is expected churn, not a
 * finding. The hash is replaced by a fixed marker on both sides so the objects pair, and their own
 * modification is then left out.
 */
export function normaliseGenerated(text: string): string {
  const names = new Set<string>();
  for (const doc of text.split(/^---$/m)) {
    if (!/^kind: (ConfigMap|Secret)\s*$/m.test(doc)) continue;
    const m = new RegExp(`^  name: (\\S+-${HASH})\\s*$`, 'm').exec(doc);
    if (m) names.add(m[1]!);
  }
  let out = text;
  for (const n of names) out = out.split(n).join(`${n.slice(0, -11)}-(generated)`);
  return out;
}

async function underSomeKustomization(ctx: SurfaceContext, paths: string[]): Promise<boolean> {
  const dirs = new Set<string>();
  for (const p of paths) {
    if (isKustomizationPath(p)) return true;
    let d = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
    for (;;) {
      dirs.add(d);
      if (d === '') break;
      d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '';
    }
  }
  const names = new Set<string>(KUSTOMIZATION_NAMES);
  const found = await Promise.all(
    [...dirs].flatMap((d) =>
      (['base', 'head'] as const).map(async (side) =>
        (await ctx.repo.listDir(side, d)).some((e) => e.type === 'blob' && names.has(e.name)),
      ),
    ),
  );
  return found.some(Boolean);
}

/**
 * Renders the overlays whose inputs the change touches, at both revisions, and assesses the rendered
 * objects with the Kubernetes rules (one synthetic file per overlay); a render that fails is reported.
 */
export async function assessRendered(ctx: SurfaceContext): Promise<void> {
  const changed = ctx.files.flatMap((f) => (f.oldPath ? [f.path, f.oldPath] : [f.path]));
  if (!changed.length) return;
  // Every file kustomize loads lies under some kustomization's directory (its load restrictor), so a
  // change with no kustomization in any ancestor directory, at either side, renders nothing: decided
  // with tree reads on the open cat-file process, without starting a repository-wide search.
  if (!(await underSomeKustomization(ctx, changed))) return;
  const r = await import('./render.js');
  // Only the kustomizations the changed paths can reach are parsed, with everything their overlays read.
  const graphs = await r.loadGraphs(ctx.repo, changed);
  const { base: gb, head: gh } = graphs;
  const roots = [...new Set([...gb.roots, ...gh.roots])].sort();
  const sides = ['base', 'head'] as const;
  const has = (s: 'base' | 'head', d: string) => graphs[s].nodes.has(d) && (s === 'base' ? gb : gh).roots.includes(d);
  const affected = roots.filter((root) =>
    sides.some((s) => has(s, root) && graphs[s].closure(root).some((d) => changed.some((p) => r.inDir(p, d)))),
  );
  if (!affected.length) return;
  // An overlay that reaches every changed file untouched (listed as a resource, neither patched nor
  // transformed on the way) renders the file's own change: the Kubernetes surface assesses it in the file.
  const { rawEquivalent } = await import('./plain.js');
  const toRender: string[] = [];
  for (const root of affected) {
    for (const s of sides)
      if (has(s, root) && !(await rawEquivalent(ctx.repo, s, graphs[s], root, ctx.files))) {
        toRender.push(root);
        break;
      }
  }
  if (!toRender.length) return;
  type Job = { root: string; hash: Partial<Record<'base' | 'head', string>> };
  const jobs: Job[] = [];
  // Renders are keyed by the tree ids of their input directories where git has them (no file read to
  // know that two revisions, or two runs, give an overlay the same inputs), else by a hash of the files.
  const needTrees = { base: new Set<string>(), head: new Set<string>() };
  for (const root of toRender) {
    const hash: Job['hash'] = {};
    for (const s of sides) {
      if (!has(s, root)) continue;
      const key = await r.treeKey(ctx.repo, s, root, graphs[s].closure(root));
      if (key !== undefined) hash[s] = key;
    }
    // A side without tree ids (a work tree): both sides keyed by their files, so they still compare.
    if (sides.some((s) => has(s, root) && hash[s] === undefined))
      for (const s of sides) {
        delete hash[s];
        if (has(s, root)) needTrees[s].add(root);
      }
    // The same trees at both revisions: the same output.
    if (hash.base === undefined || hash.base !== hash.head) jobs.push({ root, hash });
  }
  // Overlays that inflate helmCharts (their own or a base's) render only with `--enable-helm` and a helm
  // binary; without helm they are not rendered (kubectl would fail with "must specify --enable-helm"),
  // and one info finding says so: the chart versions are still judged statically (helm-chart-changed).
  const usesHelm = (j: Job) =>
    sides.some(
      (s) => has(s, j.root) && graphs[s].closure(j.root).some((d) => graphs[s].nodes.get(d)?.helmCharts.length),
    );
  const readFor = async (pick: (j: Job, s: 'base' | 'head') => boolean) =>
    Object.fromEntries(
      await Promise.all(
        sides.map(
          async (s) =>
            [
              s,
              await r.readTrees(
                ctx.repo,
                s,
                jobs.filter((j) => pick(j, s)).flatMap((j) => graphs[s].closure(j.root)),
              ),
            ] as const,
        ),
      ),
    ) as Record<'base' | 'head', Map<string, string>>;
  const trees = await readFor((j, s) => needTrees[s].has(j.root));
  for (const j of jobs)
    for (const s of sides)
      if (needTrees[s].has(j.root)) j.hash[s] = r.inputHash(j.root, graphs[s].closure(j.root), trees[s]);
  // Same files at both revisions (work tree side), the same output.
  jobs.splice(0, jobs.length, ...jobs.filter((j) => j.hash.base === undefined || j.hash.base !== j.hash.head));
  if (!jobs.length) return;
  const helmJobs = jobs.filter(usesHelm);
  let helmCommand: string | undefined;
  if (helmJobs.length) {
    const { probeHelm } = await import('../helm/probe.js');
    const probe = await probeHelm();
    if (probe.available) helmCommand = probe.command;
    else {
      const first = helmJobs[0]!;
      ctx.reporter(renderFailed)(
        'noHelm',
        {
          count: helmJobs.length,
          overlays: helmJobs.map((j) => j.root || '.').join(', '),
          reason: probe.reason,
        },
        { file: (gh.nodes.get(first.root) ?? gb.nodes.get(first.root))!.file, line: 1 },
      );
      jobs.splice(0, jobs.length, ...jobs.filter((j) => !helmJobs.includes(j)));
      if (!jobs.length) return;
    }
  }
  // Simple builds (local resources with namespace, labels, annotations, images) render in process, read
  // file by file; the others are written to a temporary tree and rendered by kubectl.
  const { renderInProcess } = await import('./inprocess.js');
  const simple = new Map<string, string>();
  for (const j of jobs)
    for (const s of sides) {
      const key = j.hash[s];
      if (key === undefined || usesHelm(j)) continue;
      const text = await r.renderSimpleCached(key, () =>
        renderInProcess(j.root, graphs[s], (p) => ctx.repo.readText(s, p)),
      );
      if (text !== undefined) simple.set(`${s}\0${j.root}`, text);
    }
  const kubectlTrees = await readFor(
    (j, s) =>
      !needTrees[s].has(j.root) &&
      j.hash[s] !== undefined &&
      !simple.has(`${s}\0${j.root}`) &&
      !r.isCached(j.hash[s]!, usesHelm(j)),
  );
  for (const s of sides) for (const [p, t] of kubectlTrees[s]) trees[s].set(p, t);
  let movedRaw: Promise<KubeObject[]> | undefined;
  /** The base objects of the plain manifests the change deletes or moves (parsed once, on first need). */
  const movedRawObjects = () =>
    (movedRaw ??= (async () => {
      const { parseSide, isYamlPath, templated } = await import('../../kube/objects.js');
      const out: KubeObject[] = [];
      for (const f of ctx.files) {
        const oldPath = f.oldPath ?? f.path;
        if (f.status !== 'deleted' && f.status !== 'renamed') continue;
        if (f.oldText === undefined || !isYamlPath(oldPath) || isKustomizationPath(oldPath)) continue;
        if (templated(oldPath, f.oldText)) continue;
        out.push(...(await parseSide(ctx, oldPath, f.oldText, f.oldBlob ?? `base:${oldPath}`)).objects);
      }
      return out;
    })());
  const tmp: Partial<Record<'base' | 'head', string>> = {};
  try {
    for (const s of sides) if (trees[s].size) tmp[s] = await r.materialise(trees[s], s);
    const results = await Promise.all(
      jobs.map(async (j) => {
        const out: Partial<Record<'base' | 'head', import('./render.js').RenderResult>> = {};
        await Promise.all(
          sides.map(async (s) => {
            const done = simple.get(`${s}\0${j.root}`);
            if (done !== undefined) out[s] = { ok: true, output: done };
            else if (j.hash[s] !== undefined)
              out[s] = await r.renderCached(j.hash[s]!, tmp[s]!, j.root, usesHelm(j) ? helmCommand : undefined);
          }),
        );
        return { ...j, out };
      }),
    );
    const report = ctx.reporter(renderFailed);
    let toolReported = false;
    for (const j of results) {
      const node = (gh.nodes.get(j.root) ?? gb.nodes.get(j.root))!;
      const failed = sides.filter((s) => j.out[s] && !j.out[s]!.ok);
      if (failed.length) {
        const reasonAt = (s: 'base' | 'head') => {
          const res = j.out[s];
          return res && !res.ok ? res.reason.split(tmp[s]!).join('') : undefined;
        };
        // Whose failure it is: one at head only is the change's (it will not apply either); one at the
        // base only is the change fixing the overlay; the same failure at both is not the change's.
        const remoteAt = (s: 'base' | 'head') =>
          graphs[s]
            .closure(j.root)
            .flatMap((d) => [...(graphs[s].nodes.get(d)?.remote ?? []), ...(graphs[s].nodes.get(d)?.helmCharts ?? [])]);
        // Remote inputs fail offline at both revisions whatever the change does to them (a new URL, a
        // new ref): that failure is the network's, not the change's.
        const bothFailed = failed.length === 2;
        const both =
          bothFailed &&
          (reasonAt('base') === reasonAt('head') || (remoteAt('base').length > 0 && remoteAt('head').length > 0));
        for (const s of failed) {
          const res = j.out[s] as { ok: false; reason: string; missingTool?: boolean };
          const file = graphs[s].nodes.get(j.root)!.file;
          if (res.missingTool) {
            if (!toolReported) report('noKubectl', { overlay: j.root || '.' }, { file, line: 1 });
            toolReported = true;
            continue;
          }
          // Both revisions fail: the base's failure is the state before the change, reported at most once.
          if (bothFailed && s === 'base') continue;
          const remote = graphs[s]
            .closure(j.root)
            .flatMap((d) => [...(graphs[s].nodes.get(d)?.remote ?? []), ...(graphs[s].nodes.get(d)?.helmCharts ?? [])]);
          const data = {
            overlay: j.root || '.',
            side: s === 'base' ? 'the base revision' : 'the head revision',
            reason: res.reason,
            remote: remote.join(', '),
          };
          // What the failure could destroy: an overlay new in the change applied nothing yet, and one
          // already broken at the base rendered nothing that could be lost; neither is "data destroyed".
          const isNew = !gb.nodes.has(j.root);
          const deleted = !gh.nodes.has(j.root);
          const id =
            s === 'base' && !failed.includes('head')
              ? deleted
                ? 'deletedBroken'
                : 'fixed'
              : both
                ? remote.length
                  ? 'remoteBoth'
                  : 'failedBoth'
                : isNew
                  ? remote.length
                    ? 'remoteNew'
                    : 'failedNew'
                  : bothFailed
                    ? 'failedBothChanged'
                    : remote.length
                      ? 'remote'
                      : 'failed';
          report(id, data, { file, line: 1 });
        }
        continue;
      }
      const text = (s: 'base' | 'head') => {
        const res = j.out[s];
        return res && res.ok ? normaliseGenerated(res.output) : undefined;
      };
      const oldText = text('base');
      const newText = text('head');
      const path = `${node.file} (rendered)`;
      const file: ChangedFile = {
        status: oldText === undefined ? 'added' : newText === undefined ? 'deleted' : 'modified',
        path,
        ...(oldText !== undefined ? { oldText, oldBlob: `kustomize:${j.hash.base}` } : {}),
        ...(newText !== undefined ? { newText, newBlob: `kustomize:${j.hash.head}` } : {}),
      };
      // The changed raw files the overlay itself lists as `resources`: their objects are reported from
      // the render (names, namespace and transformations applied), not a second time from the file.
      // Files of the kustomizations it includes stay: such a base may also be deployed on its own (an
      // Application pointing at it), and its raw file is then the only view of that deployment.
      {
        const covered = ctx.memo(RENDERED_RAW_FILES, () => new Map<string, string>());
        const changedPaths = new Set(changed);
        for (const s of sides.filter((x) => (x === 'base' ? oldText : newText) !== undefined)) {
          const n = graphs[s].nodes.get(j.root);
          if (!n?.value) continue;
          for (const field of ['resources', 'bases'])
            for (const e of stringEntries(n.value, field)) {
              const p = joinPath(n.dir, e.value);
              if (p !== undefined && changedPaths.has(p) && !isKustomizationPath(p)) covered.set(p, path);
            }
        }
      }
      // Objects the render adds may have been plain manifests at the base, moved behind this
      // kustomization: linked as their previous view, so what they already had is not reported as new.
      const moved = await movedRawObjects();
      await assessManifests({ ...ctx, files: [file] }, (changes) => {
        linkPrevious(
          changes.filter((c) => c.status === 'added'),
          moved,
        );
        return changes.filter((c) => !(c.before && c.after && c.id.endsWith('-(generated)')));
      });
    }
  } finally {
    await Promise.all(Object.values(tmp).map((d) => r.removeTree(d)));
  }
}
