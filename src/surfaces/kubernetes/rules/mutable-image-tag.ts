import { matchAny } from '../../../core/glob.js';
import { defineRule } from '../../../core/rule.js';
import {
  at,
  containersOf,
  describeObject,
  isPlaceholder,
  parseImageRef,
  type KubeContext,
} from '../../../kube/model.js';

/**
 * A smell, not a change of class: an added or changed workload runs an image named by a tag only.
 * The rollback target is then whatever the tag names at rollback time, not what ran before.
 */
export default defineRule<KubeContext, 'tag' | 'latest' | 'noTag'>({
  id: 'mutable-image-tag',
  surface: 'kubernetes',
  class: 'fully-reversible',
  severity: 'warning',
  docs: {
    summary:
      'An added or changed workload references an image by tag without a digest (`latest` and missing tags called out).',
    rationale:
      'A tag is a mutable pointer: by the time a rollback re-applies the previous manifest, the old tag may name other bytes (re-pushed, rebuilt, or garbage-collected), so the rollback target is not deterministic. `latest`, or no tag at all, moves with every push. This does not change the rollback class of the change; it weakens every rollback of it.',
    fix: 'Pin by digest: `registry/repo:tag@sha256:...` keeps the tag for readers and the digest for the runtime. Image automation (Flux image-reflector, Argo CD Image Updater, Renovate) can write digests.',
    references: [
      'https://kubernetes.io/docs/concepts/containers/images/#image-names',
      'https://kubernetes.io/docs/concepts/configuration/overview/#container-images',
      'https://github.com/distribution/reference/blob/main/reference.go (reference grammar: name[:tag][@digest])',
    ],
  },
  /** `.rollwright.yaml`: `rules: { kubernetes/mutable-image-tag: { options: { allow: ["localhost:5000/**"] } } }`. */
  options: {
    /** `allow`: image globs (the name without tag or digest) that may be referenced by tag, e.g. local registries. */
    defaults: { allow: [] },
    schema: (z) => z.strictObject({ allow: z.optional(z.array(z.string().check(z.minLength(1)))) }),
  },
  messages: {
    tag: '{{workload}} {{container}}: {{image}} has no digest; the tag {{tag}} may name other bytes when a rollback needs it',
    latest:
      '{{workload}} {{container}}: {{image}} uses the tag latest, which moves with every push: neither this version nor a rollback to it is reproducible',
    noTag:
      '{{workload}} {{container}}: {{image}} has no tag and no digest, so it means :latest, which moves with every push: neither this version nor a rollback to it is reproducible',
  },
  check({ changes, report, options }) {
    const allow = (options.allow as string[] | undefined) ?? [];
    for (const c of changes) {
      if (!c.after || !c.bodyChanged) continue;
      for (const ref of containersOf(c.after)) {
        const image = ref.container.image;
        if (typeof image !== 'string' || !image || isPlaceholder(image)) continue;
        const parsed = parseImageRef(image);
        if (parsed.digest || (allow.length && matchAny(parsed.name, allow))) continue;
        const data = {
          workload: describeObject(c.after),
          container: `${ref.kind === 'containers' ? 'container' : ref.kind.replace(/s$/, '')} ${String(ref.container.name)}`,
          image,
          tag: parsed.tag ?? 'latest',
        };
        const id = parsed.tag === undefined ? 'noTag' : parsed.tag === 'latest' ? 'latest' : 'tag';
        report(id, data, at(c.after, [...ref.path, 'image']), { object: c.id });
      }
    }
  },
});
