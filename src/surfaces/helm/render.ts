/**
 * Rendering changed charts with the real `helm template`, both revisions, when helm runs here.
 *
 * Each chart directory is read through the repository reader (read-only, also for `--worktree`) into
 * one temporary directory per side, then `helm template <release> <chart> [-f <values file>]` runs for
 * each variant and side, through execFile with an argument array, never a shell. The rendered objects of
 * both sides are then assessed like kustomize's: one synthetic file per variant through the Kubernetes
 * surface's own context and rules. helm never reaches the network here: only vendored dependencies
 * (`charts/`) are used; a chart whose dependencies are not vendored fails and says so.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RepoReader } from '../../core/change.js';
import { materialise, readTrees, removeTree } from '../kustomize/render.js';

export type Side = 'base' | 'head';

export type HelmRenderResult = { ok: true; output: string } | { ok: false; reason: string; dependencies?: boolean };

/** One render of a chart: its default values, or with one extra values file (`values-prod.yaml`). */
export interface Variant {
  chart: string;
  /** A values file beside Chart.yaml, passed with `-f`; undefined for the chart's own values.yaml only. */
  values?: string;
}

/**
 * What to render for the changed chart files: the default values when anything but an extra values
 * file changed (Chart.yaml, values.yaml, templates, crds, dependencies), and each changed extra values
 * file on its own.
 */
export function variantsOf(changed: ReadonlyArray<{ chart: string; path: string; kind: string }>): Variant[] {
  const out = new Map<string, Variant>();
  for (const c of changed) {
    const name = c.path.slice(c.path.lastIndexOf('/') + 1);
    if (c.kind === 'values' && !/^values\.ya?ml$/.test(name))
      out.set(`${c.chart}\0${name}`, { chart: c.chart, values: name });
    else out.set(`${c.chart}\0`, { chart: c.chart });
  }
  return [...out.values()].sort((a, b) =>
    a.chart < b.chart ? -1 : a.chart > b.chart ? 1 : (a.values ?? '') < (b.values ?? '') ? -1 : 1,
  );
}

/** Reads the chart directories of one side into a temporary directory (undefined when none exists there). */
export async function materialiseCharts(repo: RepoReader, side: Side, charts: readonly string[]): Promise<string> {
  const files = await readTrees(repo, side, charts);
  return files.size ? materialise(files, side) : mkdtemp(join(tmpdir(), `rollwright-helm-${side}-`));
}

export { removeTree };

/** `helm template` of one variant in a materialised tree; the release is named after the chart directory. */
export function helmTemplate(command: string, root: string, v: Variant): Promise<HelmRenderResult> {
  const dir = join(root, v.chart);
  const release = (v.chart.slice(v.chart.lastIndexOf('/') + 1) || 'release').toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const args = ['template', release, dir, ...(v.values ? ['-f', join(dir, v.values)] : [])];
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 512 * 1024 * 1024,
        timeout: 60_000,
        windowsHide: true,
        // A private helm home: no repositories, no registry logins, nothing fetched.
        env: {
          ...process.env,
          HELM_CONFIG_HOME: join(root, '.helm', 'config'),
          HELM_CACHE_HOME: join(root, '.helm', 'cache'),
          HELM_DATA_HOME: join(root, '.helm', 'data'),
          KUBECONFIG: '/dev/null',
        },
      },
      (err, stdout, stderr) => {
        if (!err) return resolve({ ok: true, output: stdout });
        const reason = clean(stderr || err.message, root);
        resolve({
          ok: false,
          reason: err.killed ? `timed out after 60 s (${reason})` : reason,
          ...(/missing in charts\/ directory|dependencies? .* not (found|built)/i.test(reason)
            ? { dependencies: true }
            : {}),
        });
      },
    );
  });
}

function clean(stderr: string, root: string): string {
  const text = stderr
    .split(root + '/')
    .join('')
    .split(root)
    .join('.')
    .replace(/^Error: /gm, '')
    // A quoted key=value (a values line echoed by helm) could carry a secret.
    .replace(/"[^"\n]*=[^"\n]*"/g, '"(redacted)"')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('; ');
  return text.length > 400 ? `${text.slice(0, 400)}…` : text || 'helm failed without a message';
}
