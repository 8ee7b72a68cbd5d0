import { defineRule } from '../../../core/rule.js';
import { at, describeObject } from '../../../kube/model.js';
import type { ObjectsContext } from '../../../kube/objects.js';

/**
 * A Flux object moves to another API version of its kind. The revert writes the old version back,
 * which works only while the installed Flux controllers still serve it.
 */
export default defineRule<ObjectsContext, 'changed'>({
  id: 'api-version-changed',
  surface: 'flux',
  class: 'fully-reversible',
  severity: 'info',
  docs: {
    summary: 'A Flux object changes apiVersion (for example helm.toolkit.fluxcd.io/v2beta2 to v2).',
    rationale:
      "Flux serves several versions of its kinds for a while and then drops the old ones in a later minor release (the CRDs stop serving them; `flux migrate` rewrites stored objects). Moving a manifest to the new version is safe; its revert writes the old version back and works only while the installed controllers' CRDs still serve it, so the rollback has a window that closes with the next Flux upgrade.",
    fix: 'Move to the new API version as its own change, after the controllers that serve it are installed; do not combine it with behaviour changes.',
    references: ['https://fluxcd.io/flux/cmd/flux_migrate/', 'https://github.com/fluxcd/flux2/releases'],
  },
  messages: {
    changed:
      '{{object}} moves from {{from}} to {{to}}: reverting writes {{from}} back, which works only while the installed Flux still serves it',
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (!c.before || !c.after || c.before.apiVersion === c.after.apiVersion) continue;
      report(
        'changed',
        { object: describeObject(c.after), from: c.before.apiVersion, to: c.after.apiVersion },
        at(c.after, ['apiVersion']),
        { object: c.id },
      );
    }
  },
});
