import { defineRule } from '../../../core/rule.js';
import { isObject, type Json } from '../../../kube/model.js';
import { locate, type KustomizeContext } from '../model.js';

function images(v: Record<string, Json>): Map<string, { index: number; tag?: string; digest?: string }> {
  const out = new Map<string, { index: number; tag?: string; digest?: string }>();
  const list = v.images;
  if (!Array.isArray(list)) return out;
  list.forEach((x, index) => {
    if (!isObject(x) || typeof x.name !== 'string') return;
    out.set(x.name, {
      index,
      ...(x.newTag !== undefined && x.newTag !== null ? { tag: String(x.newTag) } : {}),
      ...(typeof x.digest === 'string' ? { digest: x.digest } : {}),
    });
  });
  return out;
}

export default defineRule<KustomizeContext, 'toTag' | 'toDigest'>({
  id: 'image-digest-changed',
  surface: 'kustomize',
  class: 'fully-reversible',
  decision: { effects: ['artifact'] },
  severity: 'warning',
  docs: {
    summary: 'A kustomization `images:` entry moves from a digest to a tag (or from a tag to a digest).',
    rationale:
      '`images:` rewrites container images of every object the overlay emits. A digest names exact bytes: reverting to it restores exactly what ran. A tag can be pushed again, so moving from a digest to a tag loses the deterministic rollback target (the old tag may now name other bytes). Moving to a digest is the fix, reported for the record. The rendered comparison reports the image change of each workload with the Kubernetes rules.',
    fix: 'Set `digest:` (optionally with `newTag:` for readability: the digest wins).',
    references: ['https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/images/'],
  },
  // The rendered workloads' kubernetes/image-changed on the same image states this same fact.
  fact: { id: (d) => `image-${d.tag !== undefined ? 'to-tag' : 'to-digest'}:${String(d.image)}`, rank: 0 },
  messages: {
    toTag:
      'image {{image}} moves from digest {{digest}} to tag {{tag}}: the rollback target is no longer deterministic',
    toDigest: { text: 'image {{image}} is now pinned by digest {{digest}}', severity: 'info' },
  },
  check({ kustomizations, report }) {
    for (const k of kustomizations) {
      if (!k.before || !k.after) continue;
      const a = images(k.before.value);
      const b = images(k.after.value);
      for (const [name, now] of b) {
        const was = a.get(name);
        if (!was) continue;
        if (was.digest && !now.digest)
          report(
            'toTag',
            { image: name, digest: was.digest, tag: now.tag ?? '(none: latest)' },
            locate(k.after, ['images', now.index]),
          );
        else if (!was.digest && now.digest)
          report('toDigest', { image: name, digest: now.digest }, locate(k.after, ['images', now.index, 'digest']));
      }
    }
  },
});
