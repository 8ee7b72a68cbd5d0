import { defineRule } from '../../../core/rule.js';

/** What the rule reads of a rollback target checked live (the engine's CheckedTarget, src/engine/targets.ts). */
export interface TargetStatus {
  /** The artifact as a person reads it: `ghcr.io/acme/web@sha256:…`, `chart web 1.3.2 (https://…)`. */
  target: string;
  /** What references it: `Deployment shop/web container web`, `HelmRelease flux-system/web`, `module.vpc`. */
  what: string;
  file: string;
  line: number;
  /** The live status: `present`, `missing`, or why there is no answer (`unreachable`, `unknown`, ...). */
  status: string;
  reason: string;
}

export interface TargetsContext {
  /** The change's rollback targets (what its base side references), checked live. */
  targets: readonly TargetStatus[];
}

/**
 * `assess --live`: the artifact a rollback of this change would return to is already gone from its
 * registry, chart repository or git remote, so the change ships without a rollback.
 */
export default defineRule<TargetsContext, 'missing' | 'unchecked'>({
  id: 'rollback-target-missing',
  surface: 'core',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  // To the incident decision, the previous artifact is a check: `decide` answers it from this status.
  decision: { effects: ['artifact'] },
  docs: {
    summary:
      'With `assess --live`: the previous image, chart version or module ref that a rollback of the change would return to no longer exists.',
    rationale:
      'A rollback re-applies what ran before. Registries garbage-collect untagged manifests and apply retention policies, chart repositories drop old versions from their index, and tags are deleted from git remotes: when the previous artifact is gone, reverting the change deploys a reference nothing can pull, and the only way back is to rebuild and republish the previous version (a manual repair), or to roll forward.',
    fix: 'Restore or republish the previous artifact (push the image by its digest again, re-publish the chart version, re-create the tag) before shipping, and put rollback targets under a retention rule (keep the last N deployed digests, never expire released chart versions).',
    references: [
      'https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests (HEAD of a manifest: 200 or 404)',
      'https://helm.sh/docs/topics/chart_repository/#the-index-file',
      'https://git-scm.com/docs/git-ls-remote',
    ],
  },
  messages: {
    missing:
      '{{what}}: the rollback target {{target}} no longer exists ({{reason}}); a rollback of this change would deploy what cannot be pulled',
    unchecked: {
      text: '{{what}}: the rollback target {{target}} could not be checked ({{status}}: {{reason}})',
      class: 'fully-reversible',
      severity: 'info',
    },
  },
  check({ targets, report }) {
    for (const t of targets) {
      const data = { what: t.what, target: t.target, reason: t.reason, status: t.status };
      if (t.status === 'missing') report('missing', data, { file: t.file, line: t.line });
      else if (t.status !== 'present') report('unchecked', data, { file: t.file, line: t.line });
    }
  },
});
