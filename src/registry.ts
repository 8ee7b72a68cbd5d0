import type { AnyRule } from './core/rule.js';
import type { Surface } from './core/surface.js';
import { revertRules } from './engine/revert/rules/index.js';
import { coreRules } from './engine/rules/index.js';
import { argocd } from './surfaces/argocd/index.js';
import { controllers } from './surfaces/controllers/index.js';
import { crd } from './surfaces/crd/index.js';
import { database } from './surfaces/database/index.js';
import { flags } from './surfaces/flags/index.js';
import { flux } from './surfaces/flux/index.js';
import { helm } from './surfaces/helm/index.js';
import { kubernetes } from './surfaces/kubernetes/index.js';
import { kustomize } from './surfaces/kustomize/index.js';
import { policy } from './surfaces/policy/index.js';
import { rollouts } from './surfaces/rollouts/index.js';
import { secrets } from './surfaces/secrets/index.js';
import { terraform } from './surfaces/terraform/index.js';

/**
 * Every rollback surface, sorted by id. A test checks this list against the folders under
 * src/surfaces, so a surface cannot be added without being registered.
 */
export const surfaces: readonly Surface[] = [
  argocd,
  controllers,
  crd,
  database,
  flags,
  flux,
  helm,
  kubernetes,
  kustomize,
  policy,
  rollouts,
  secrets,
  terraform,
];

/**
 * Every rule of every surface, with the engine's own and the `revert` family (which only
 * `revert --check` runs), sorted by key.
 */
export function allRules(): AnyRule[] {
  return [...coreRules, ...revertRules, ...surfaces.flatMap((s) => s.rules)].sort((a, b) =>
    `${a.surface}/${a.id}` < `${b.surface}/${b.id}` ? -1 : 1,
  );
}
