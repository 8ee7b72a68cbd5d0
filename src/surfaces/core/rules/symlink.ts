import { defineRule } from '../../../core/rule.js';

/**
 * A symbolic link where a surface reads or an environment deploys. rollwright never follows a link
 * (its target may lie outside the repository, and what a deploy tool makes of it differs: Argo CD's
 * repo-server refuses links that leave the repository and follows the others), so the link is
 * named with the path it points to, never with what is there.
 */
export default defineRule<unknown, 'link'>({
  id: 'symlink',
  surface: 'core',
  class: 'reversible-with-manual-repair',
  decision: { effects: ['unassessed'] },
  severity: 'warning',
  unassessed: {
    reason: '{{path}} is a symbolic link, which rollwright does not follow',
    remedy:
      'commit the file itself instead of a link, or list the path under `ignore` in .rollwright.yaml with the reason it is safe',
  },
  docs: {
    summary:
      'A changed file that a surface would read, that points to a file a surface would read or out of the repository, or that lies in an environment, is a symbolic link.',
    rationale:
      "What a link deploys depends on where it points and on the tool that follows it; rollwright reads neither the target nor its content (a link may point outside the repository), so the change is held at reversible-with-manual-repair until a person has looked. A manifest replaced by a link is read as removed. A link's blob is the path it points to, not content: a link outside every environment that no surface reads (only searched for feature flag references, say a `seed.js`) and whose target inside the repository no surface reads either deploys nothing the change could assess; it is listed as skipped with where it points, not held.",
    fix: 'Commit the file itself instead of a link to it, or list the path under `ignore` in .rollwright.yaml with the reason it is safe.',
    references: [
      'https://git-scm.com/docs/git-diff#_raw_output_format (mode 120000: a symbolic link)',
      'https://github.com/advisories/GHSA-6gcg-hp2x-q54h (Argo CD followed a committed link out of the repository; since then its repo-server refuses out-of-bounds links: CheckOutOfBoundsSymlinks)',
    ],
  },
  messages: {
    link: '{{path}} is a symbolic link to {{target}}: rollwright does not follow links, so what it deploys is not assessed',
  },
  check() {
    /* reported by the engine while sorting the change set */
  },
});
