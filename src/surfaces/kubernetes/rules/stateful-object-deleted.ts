import { defineRule } from '../../../core/rule.js';
import type { KubeContext } from '../model.js';

/** Built-in kinds whose deletion can destroy data (group/Kind). */
export const STATEFUL_KINDS = new Set([
  '/PersistentVolumeClaim',
  '/PersistentVolume',
  '/Namespace',
  'apps/StatefulSet',
]);

// Placeholder replaced by the full rule in this change set.
export default defineRule<KubeContext, 'deleted'>({
  id: 'stateful-object-deleted',
  surface: 'kubernetes',
  class: 'non-recoverable-without-restore',
  severity: 'error',
  docs: { summary: 'TODO', rationale: 'TODO' },
  messages: { deleted: '{{object}} is deleted' },
  check() {},
});
