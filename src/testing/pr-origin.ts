/**
 * An "origin" repository for the CI integration tests (the GitHub Action's steps, the GitLab template,
 * the pre-commit hook): `main` holds a PersistentVolumeClaim, then `mainCommits` unrelated commits;
 * `feature` deletes the claim, then `featureCommits` more. Assessed, the feature branch is one error
 * finding (kubernetes/stateful-object-deleted) and, in prod without a declaration, a failed gate.
 */
import { GitFixture } from './git-fixture.js';

export const PVC_MANIFEST =
  'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  namespace: prod\nspec:\n  resources:\n    requests:\n      storage: 1Gi\n';

export function claimDeletionOrigin(opts: { mainCommits?: number; featureCommits?: number } = {}): {
  origin: GitFixture;
  /** The tip of main: the pull request's base. */
  base: string;
} {
  const origin = GitFixture.create('rollwright-ci-origin-');
  origin.commit('base: a volume claim', { 'deploy/prod/pvc.yaml': PVC_MANIFEST });
  for (let i = 0; i < (opts.mainCommits ?? 0); i++) origin.commit(`main ${i}`, { [`docs/n${i}.md`]: `${i}\n` });
  const base = origin.rev();
  origin.git('checkout', '-q', '-b', 'feature');
  origin.commit('delete the claim', {}, { delete: ['deploy/prod/pvc.yaml'] });
  for (let i = 0; i < (opts.featureCommits ?? 0); i++) origin.commit(`feature ${i}`, { [`docs/f${i}.md`]: `${i}\n` });
  return { origin, base };
}
