/**
 * Kubernetes objects a Terraform configuration applies from a manifest it holds inline: the heredoc
 * of a `kubectl_manifest`'s `yaml_body` (gavinbunney/kubectl, alekc/kubectl) or of a
 * `kubernetes_manifest`'s `yamldecode(<<EOT ... EOT)`. Such an object is the same cluster object as a
 * manifest file with the same kind, namespace and name: when the object moves from Terraform to a
 * file (or back), what it already was at the base is read from here.
 */
import type { RepoReader } from '../core/change.js';
import type { RollwrightConfig } from '../core/config.js';
import type { KubeObject } from './model.js';

const TF_GLOBS = ['**/*.tf', '**/*.tofu'];

/**
 * The inline manifests of a Terraform file's text, dedented as Terraform dedents a `<<-` heredoc (by
 * the smallest indentation of its lines). Interpolations (`${...}`) stay as text.
 */
export function inlineManifests(text: string): string[] {
  const out: string[] = [];
  const re = /(?:yaml_body\s*=\s*|yamldecode\(\s*)<<(-?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n([^]*?)^[ \t]*\2[ \t]*\r?$/gm;
  for (const m of text.matchAll(re)) {
    const lines = m[3]!.replace(/\r?\n$/, '').split(/\r?\n/);
    if (m[1] !== '-') {
      out.push(lines.join('\n') + '\n');
      continue;
    }
    const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length));
    out.push(lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n') + '\n');
  }
  return out;
}

/**
 * The objects with one of `ids` (`group/Kind/namespace/name`) that the Terraform files of a side hold
 * inline, by id. One search of the side for files naming `yaml_body` or `yamldecode`, then only the
 * heredocs that mention a wanted name are parsed.
 */
export async function terraformHeld(
  repo: RepoReader,
  side: 'base' | 'head',
  config: RollwrightConfig,
  ids: ReadonlySet<string>,
): Promise<Map<string, KubeObject>> {
  const found = new Map<string, KubeObject>();
  if (!ids.size) return found;
  const names = new Set([...ids].map((id) => id.slice(id.lastIndexOf('/') + 1)));
  const files = await repo.grep(side, ['yaml_body', 'yamldecode'], TF_GLOBS);
  if (!files.length) return found;
  const [{ parseManifests }, { parseOptions }] = await Promise.all([import('./parse.js'), import('./context.js')]);
  for (const file of files) {
    const text = await repo.readText(side, file);
    if (!text) continue;
    for (const manifest of inlineManifests(text)) {
      if (![...names].some((n) => manifest.includes(n))) continue;
      for (const o of parseManifests(file, manifest, parseOptions(config, file)).objects)
        if (ids.has(o.id) && !found.has(o.id)) found.set(o.id, o);
    }
  }
  return found;
}
