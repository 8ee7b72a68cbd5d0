import type { AnyRule } from './core/rule.js';
import type { Surface } from './core/surface.js';
import { coreRules } from './engine/rules/index.js';
import { kubernetes } from './surfaces/kubernetes/index.js';

/**
 * Every rollback surface, sorted by id. A test checks this list against the folders under
 * src/surfaces, so a surface cannot be added without being registered.
 */
export const surfaces: readonly Surface[] = [kubernetes];

/** Every rule of every surface, with the engine's own, sorted by key. */
export function allRules(): AnyRule[] {
  return [...coreRules, ...surfaces.flatMap((s) => s.rules)].sort((a, b) =>
    `${a.surface}/${a.id}` < `${b.surface}/${b.id}` ? -1 : 1,
  );
}
