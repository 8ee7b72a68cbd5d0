import { defineRule } from '../../../core/rule.js';
import { at, containersOf, describeObject, isPlaceholder, parseImageRef } from '../../../kube/model.js';
import type { RevertContext } from '../model.js';

type MessageId = 'digest' | 'tag';

/** The revert brings back an older image: it must still exist in the registry, and a tag must still name the same bytes. */
export default defineRule<RevertContext, MessageId>({
  id: 'image-revert-target',
  surface: 'revert',
  class: 'fully-reversible',
  severity: 'warning',
  docs: {
    summary:
      'The revert brings back an earlier image reference: check that the registry still has it before relying on it.',
    rationale:
      'Reverting a digest bump is only a rollback if the old digest can still be pulled: registries garbage-collect untagged manifests and apply retention policies, and without the old image there is no rollback. A tag is worse: it may now name other bytes than when it was replaced.',
    fix: 'Run the command in the finding (`crane digest`, or `skopeo inspect`, or `docker manifest inspect`) before applying the revert; keep rollback targets under a retention rule.',
    references: [
      'https://github.com/google/go-containerregistry/blob/main/cmd/crane/doc/crane_digest.md',
      'https://github.com/containers/skopeo/blob/main/docs/skopeo-inspect.1.md',
    ],
  },
  messages: {
    digest:
      '{{workload}} {{container}}: the revert brings back {{image}}; verify it still exists in the registry before applying: `{{command}}`',
    tag: '{{workload}} {{container}}: the revert brings back the tag {{image}}, which may now name other bytes than when it was replaced; check what it names: `{{command}}`',
  },
  check({ objects, report }) {
    for (const c of objects.changes) {
      if (!c.before || !c.after || !c.bodyChanged) continue;
      const old = new Map(containersOf(c.before).map((r) => [`${r.kind}/${String(r.container.name)}`, r]));
      for (const ref of containersOf(c.after)) {
        const from = old.get(`${ref.kind}/${String(ref.container.name)}`)?.container.image;
        const image = ref.container.image;
        if (typeof image !== 'string' || typeof from !== 'string' || image === from || isPlaceholder(image)) continue;
        const data = {
          workload: describeObject(c.after),
          container: `${ref.kind === 'containers' ? 'container' : ref.kind.replace(/s$/, '')} ${String(ref.container.name)}`,
          image,
          command: `crane digest ${image}`,
          skopeo: `skopeo inspect docker://${image}`,
          docker: `docker manifest inspect ${image}`,
        };
        report(parseImageRef(image).digest ? 'digest' : 'tag', data, at(c.after, [...ref.path, 'image']), {
          object: c.id,
        });
      }
    }
  },
});
