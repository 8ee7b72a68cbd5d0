import { defineRule } from '../../../core/rule.js';
import { imageSitesOf } from '../../../kube/image-sites.js';
import { at, describeObject, isPlaceholder, parseImageRef, type KubeContext } from '../../../kube/model.js';

type MessageId = 'digestToDigest' | 'tagToTag' | 'digestToTag' | 'tagToDigest' | 'stateful';

/** A finding's data: the workload (`Deployment shop/web`), the container, and the image references. */
export type ImageChangedData = { workload: string; container: string; from: string; to: string };

/**
 * A container image changed on a workload. Re-applying the previous image reference rolls back, so
 * the change is fully reversible, provided the old reference still names the same bytes: that holds
 * for a digest, not for a tag. Moving from a digest to a tag loses the pinned rollback target.
 */
export default defineRule<KubeContext, MessageId, ImageChangedData>({
  id: 'image-changed',
  surface: 'kubernetes',
  class: 'fully-reversible',
  decision: { effects: ['artifact'] },
  severity: 'info',
  docs: {
    summary:
      'A container image (containers, initContainers, ephemeralContainers) of a workload changed; reports the old and new reference.',
    rationale:
      'An image change on a stateless workload is undone by applying the previous reference: the controller rolls the pods back. The rollback is deterministic only when the previous reference is a digest; a tag may have been moved since, and a move from a digest to a tag gives up the pinned target. Images passed to a chart in Helm values are the same change: a Flux HelmRelease `spec.values` or an Argo CD Application `source.helm.valuesObject` (the conventional keys: `image` as `repo:tag`, or a map of `repository`, `tag`, `digest` and an optional `registry`, at the top or under a component), and a values file of a chart in the repository when helm is not here to render it (only the keys its templates read on an `image:` line or through a helper; a map without tag or digest is left out, since charts fall back to their `appVersion`). A StatefulSet is different: the new version may rewrite the data on its volumes on start (schema or on-disk format upgrades), which the old image may not read back, so its rollback only works while the data stays compatible.',
    fix: 'Reference images by digest (`repo@sha256:...`, optionally with the tag for readers) and keep the previous digest in the registry for as long as a rollback may need it. For stateful workloads, check whether the new version migrates its data before relying on an image rollback.',
    references: [
      'https://kubernetes.io/docs/concepts/containers/images/#image-names',
      'https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-back-a-deployment',
      'https://fluxcd.io/flux/components/helm/helmreleases/#values (values passed to the chart)',
      'https://github.com/helm/helm/blob/main/pkg/chartutil/create.go (the `helm create` starter: image.repository, image.tag defaulting to the chart appVersion)',
      'https://github.com/distribution/reference/blob/main/reference.go (reference grammar: name[:tag][@digest])',
    ],
  },
  // A kustomization's images: entry states the same move for its rendered workloads, more precisely.
  fact: {
    id: (d) => {
      const pinned = (s: unknown) =>
        typeof s === 'string' && !isPlaceholder(s) && parseImageRef(s).digest !== undefined;
      if (pinned(d.from) === pinned(d.to)) return undefined;
      return `image-${pinned(d.to) ? 'to-digest' : 'to-tag'}:${parseImageRef(String(d.to)).name}`;
    },
    rank: 1,
  },
  messages: {
    digestToDigest:
      '{{workload}} {{container}}: image {{from}} → {{to}} (digest to digest: the rollback target is pinned)',
    tagToTag:
      '{{workload}} {{container}}: image {{from}} → {{to}} (tag to tag: the rollback target {{from}} is only as stable as the tag)',
    digestToTag: {
      text: '{{workload}} {{container}}: image {{from}} → {{to}} (digest to tag: loss of determinism, the new reference is mutable and the pinned digest is no longer in the manifest)',
      severity: 'warning',
    },
    tagToDigest: '{{workload}} {{container}}: image {{from}} → {{to}} (tag to digest: the new reference is pinned)',
    stateful: {
      text: '{{workload}} {{container}}: image {{from}} → {{to}} on a StatefulSet; the new version may rewrite the data on its volumes, and the old image can come back only while that data stays readable to it',
      class: 'reversible-with-compatibility-window',
      severity: 'warning',
      decision: { effects: ['artifact', 'data-surface'] },
    },
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (!c.before || !c.after || !c.bodyChanged) continue;
      const old = new Map(imageSitesOf(c.before).map((r) => [r.key, r]));
      for (const ref of imageSitesOf(c.after)) {
        const from = old.get(ref.key)?.image;
        const to = ref.image;
        if (typeof from !== 'string' || typeof to !== 'string' || from === to) continue;
        const data = {
          workload: describeObject(c.after),
          container: ref.label,
          from,
          to,
        };
        const where = at(c.after, ref.path);
        const extra = { object: c.id };
        if (c.group === 'apps' && c.kind === 'StatefulSet') {
          report('stateful', data, where, extra);
          continue;
        }
        const pinned = (s: string) => !isPlaceholder(s) && parseImageRef(s).digest !== undefined;
        const id: MessageId = pinned(from)
          ? pinned(to)
            ? 'digestToDigest'
            : 'digestToTag'
          : pinned(to)
            ? 'tagToDigest'
            : 'tagToTag';
        report(id, data, where, extra);
      }
    }
  },
});
