import { matchAny } from '../../../core/glob.js';
import { defineRule } from '../../../core/rule.js';
import { imageSitesOf } from '../../../kube/image-sites.js';
import { at, describeObject, isPlaceholder, parseImageRef, type KubeContext } from '../../../kube/model.js';
import { terraformHeld } from '../../../kube/terraform-held.js';

/**
 * A smell, not a change of class: an added or changed workload runs an image named by a tag only.
 * The rollback target is then whatever the tag names at rollback time, not what ran before.
 */
export default defineRule<KubeContext, 'tag' | 'latest' | 'noTag' | 'preexisting' | 'preexistingTerraform'>({
  id: 'mutable-image-tag',
  surface: 'kubernetes',
  class: 'fully-reversible',
  severity: 'warning',
  smell: true,
  docs: {
    summary:
      'An added or changed workload references an image by tag without a digest (`latest` and missing tags called out).',
    rationale:
      'A tag is a mutable pointer: by the time a rollback re-applies the previous manifest, the old tag may name other bytes (re-pushed, rebuilt, or garbage-collected), so the rollback target is not deterministic. `latest`, or no tag at all, moves with every push. This does not change the rollback class of the change; it weakens every rollback of it. Only what the change makes different is reported: a container whose image reference is the same at the base (an untouched sidecar, a Job whose command changed, a manifest moved to another file or behind a new kustomization, a hook Job whose `generateName` became a `name`) is not, since the change did not make it mutable and its revert keeps it; a reference moved from a digest to a tag is reported once, by kubernetes/image-changed. A new object (or one renamed, which is a new identity) whose image is referenced by the same tag by an object of the same file that the change removes or edits was already unpinned before the change (a new file is new references, and warns): it is said at info, without the warning. So is the image of a new object that a Terraform configuration applied at the base from a manifest it holds inline (the heredoc of a `kubectl_manifest` `yaml_body`, or a `kubernetes_manifest` `yamldecode`) under the same kind, namespace and name, with the same reference: the object moves from Terraform to a manifest file, and the cluster ran that tag before the change. An image in Helm values (a HelmRelease or Argo CD Application, or a values file of a chart in the repository when helm cannot render it) is read as kubernetes/image-changed reads it.',
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
    preexisting: {
      text: '{{workload}} {{container}}: {{image}} has no digest, as it had before the change (an object of this file that the change removes or edits referenced it the same way)',
      severity: 'info',
    },
    preexistingTerraform: {
      text: '{{workload}} {{container}}: {{image}} has no digest, as it had before the change in the manifest {{held}} applied to the same object (same kind, namespace and name)',
      severity: 'info',
    },
  },
  async check({ changes, report, options, repo, config }) {
    const allow = (options.allow as string[] | undefined) ?? [];
    // Every image reference of the base side of the change, by file: a new or renamed object of the same
    // file that uses one of them by the same tag does not make it unpinned.
    const baseImages = new Set<string>();
    for (const c of changes)
      if (c.before) for (const ref of imageSitesOf(c.before)) baseImages.add(`${c.before.file}\0${String(ref.image)}`);
    /** Findings on objects new to the files of the change, which may have been Terraform's at the base. */
    const held: Array<{
      c: (typeof changes)[number];
      ref: ReturnType<typeof imageSitesOf>[number];
      data: { workload: string; container: string; image: string; tag: string };
      id: 'tag' | 'latest' | 'noTag';
    }> = [];
    for (const c of changes) {
      if (!c.after || !c.bodyChanged) continue;
      // Each container's image at the base: only an image reference the change writes is the change's.
      const before = new Map<string, unknown>();
      // An added object that was at the base under another name or in another view (a hook Job whose
      // generateName became its name, a manifest moved behind a new kustomization) brings its images.
      const prior = c.before ?? c.previous;
      if (prior) for (const ref of imageSitesOf(prior)) before.set(ref.key, ref.image);
      for (const ref of imageSitesOf(c.after)) {
        const image = ref.image;
        if (typeof image !== 'string' || !image || isPlaceholder(image)) continue;
        const was = before.get(ref.key);
        // Already this reference at the base: the smell predates the change, and its revert keeps it.
        if (was === image) continue;
        // Digest to tag: kubernetes/image-changed reports that loss of determinism at the same line.
        if (typeof was === 'string' && parseImageRef(was).digest) continue;
        const parsed = parseImageRef(image);
        if (parsed.digest || (allow.length && matchAny(parsed.name, allow))) continue;
        const data = {
          workload: describeObject(c.after),
          container: ref.label,
          image,
          tag: parsed.tag ?? 'latest',
        };
        const id =
          was === undefined && baseImages.has(`${c.after.file}\0${image}`)
            ? 'preexisting'
            : parsed.tag === undefined
              ? 'noTag'
              : parsed.tag === 'latest'
                ? 'latest'
                : 'tag';
        // A new object that Terraform applied from a manifest of its own at the base: read there.
        if (id !== 'preexisting' && !prior) held.push({ c, ref, data, id });
        else report(id, data, at(c.after, ref.path), { object: c.id });
      }
    }
    if (!held.length) return;
    const base = await terraformHeld(repo, 'base', config, new Set(held.map((h) => h.c.id)));
    for (const { c, ref, data, id } of held) {
      const o = base.get(c.id);
      const was = o && imageSitesOf(o).find((r) => r.key === ref.key)?.image;
      if (was === data.image) report('preexistingTerraform', { ...data, held: o!.file }, at(c.after!, ref.path), { object: c.id });
      else report(id, data, at(c.after!, ref.path), { object: c.id });
    }
  },
});
