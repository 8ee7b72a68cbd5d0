import type { Surface } from '../../core/surface.js';
import { claimsManifest } from '../../kube/objects.js';
import { assessRevert } from './context.js';
import type { RevertSections } from './model.js';
import { revertRules } from './rules/index.js';

const SUMMARY =
  "Only in `revert --check`: the reversibility of the revert itself (a reverted expand migration is a contract, a reverted CRD version may be stored, a reverted image must still exist), and the reverted objects against their schemas and the repository's ValidatingAdmissionPolicies.";

/**
 * The `revert` rule family, as a surface that only `revert --check` adds to the run: every change it
 * sees is a revert. `sections` receives the schema and admission results for the command's output.
 */
export function revertSurface(sections: RevertSections = {}): Surface {
  return {
    id: 'revert',
    name: 'Revert',
    summary: SUMMARY,
    claims: (p) => claimsManifest(p) || /\.sql$/i.test(p),
    rules: revertRules,
    assess: (ctx) => assessRevert(ctx, sections),
  };
}

/** The surface as `rollwright rules`, the docs and the case tables see it. */
export const revert: Surface = revertSurface();
export { revertRules };
