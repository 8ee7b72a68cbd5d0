import { defineRule } from '../../../core/rule.js';
import type { RevertContext } from '../model.js';

type MessageId = 'invalid' | 'skipped';

/** An object the revert writes does not pass its schema: the API server rejects it, so the revert cannot apply as is. */
export default defineRule<RevertContext, MessageId>({
  id: 'schema-invalid',
  surface: 'revert',
  class: 'forward-only',
  severity: 'error',
  docs: {
    summary:
      "An object the revert writes fails its OpenAPI schema (kubernetes-models for built-in kinds, the repository's CRD for custom resources).",
    rationale:
      "The previous state is only reachable if today's API server accepts it: a manifest written against an older schema (a field since removed, an enum narrowed, a type the API now refuses) is rejected, and the revert fails half-way through a sync. The incident decision asks whether the old manifests pass today's schema; when they do not, the answer is a forward fix.",
    fix: 'Fix the reverted manifest in the revert commit itself (a revert plus the schema fix), or roll forward. Check that the schema version named in the finding matches the cluster (`.rollwright.yaml` kubernetes.version).',
    references: [
      'https://github.com/tommy351/kubernetes-models-ts (OpenAPI schemas of the Kubernetes API, v1.36.0 for kubernetes-models 5.x)',
      'https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema',
    ],
  },
  messages: {
    invalid: {
      text: '{{object}} ({{apiVersion}} {{kind}}) fails its schema ({{schema}}; schemas of Kubernetes {{schemaVersion}}, target {{targetVersion}}): {{problems}}',
      decision: { effects: ['previous-invalid'] },
    },
    skipped: {
      text: '{{object}} ({{apiVersion}} {{kind}}) was not checked against a schema: {{reason}}',
      class: 'fully-reversible',
      severity: 'info',
    },
  },
  check({ schema, report }) {
    for (const c of schema.checked) {
      const base = {
        object: c.object,
        apiVersion: c.apiVersion,
        kind: c.kind,
        schemaVersion: schema.schemaVersion,
        targetVersion: schema.targetVersion,
      };
      if (c.result === 'invalid')
        report(
          'invalid',
          {
            ...base,
            schema: c.schema ?? '',
            problems: c.problems
              .slice(0, 5)
              .map((p) => `${p.path} ${p.message}`)
              .join('; ')
              .concat(c.problems.length > 5 ? `; and ${c.problems.length - 5} more` : ''),
          },
          { file: c.file, line: c.line },
          { object: c.object },
        );
      else if (c.result === 'skipped')
        report('skipped', { ...base, reason: c.reason ?? '' }, { file: c.file, line: c.line }, { object: c.object });
    }
  },
});
