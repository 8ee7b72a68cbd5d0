import type { AnyRule } from './core/rule.js';
import type { RuleFamily, Surface } from './core/surface.js';
import { argocd } from './surfaces/argocd/index.js';
import { controllers } from './surfaces/controllers/index.js';
import { core } from './surfaces/core/index.js';
import { crd } from './surfaces/crd/index.js';
import { database } from './surfaces/database/index.js';
import { flags } from './surfaces/flags/index.js';
import { flux } from './surfaces/flux/index.js';
import { helm } from './surfaces/helm/index.js';
import { kubernetes } from './surfaces/kubernetes/index.js';
import { kustomize } from './surfaces/kustomize/index.js';
import { policy } from './surfaces/policy/index.js';
import { revert, revertSurface } from './surfaces/revert/index.js';
import { rollouts } from './surfaces/rollouts/index.js';
import { secrets } from './surfaces/secrets/index.js';
import { terraform } from './surfaces/terraform/index.js';

/**
 * Every rollback surface, sorted by id. A test checks this list (with `ruleFamilies`) against the
 * folders under src/surfaces, so a surface cannot be added without being registered.
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
 * The rule families that are not surfaces (they claim no files), sorted by id: the engine's own rules
 * (`core/*`, reported by the engine itself) and the `revert` family (which only `revert --check` runs,
 * through `revertSurface`). Their rules live where a surface's do, at src/surfaces/<id>/rules/<rule-id>.ts;
 * a test checks this list and `surfaces` together against the folders and rule files on disk.
 */
export const ruleFamilies: readonly RuleFamily[] = [core, revert];

/** The `revert` family as the surface `revert --check` adds to its run. */
export { revertSurface };
export type { RevertSections } from './surfaces/revert/model.js';

/** Every rule of every surface and rule family, sorted by key. */
export function allRules(): AnyRule[] {
  return [...ruleFamilies.flatMap((f) => f.rules), ...surfaces.flatMap((s) => s.rules)].sort((a, b) =>
    `${a.surface}/${a.id}` < `${b.surface}/${b.id}` ? -1 : 1,
  );
}
