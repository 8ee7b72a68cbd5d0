import { defineRule } from '../../../core/rule.js';
import { at, type TfContext } from '../model.js';

/** `import` blocks added: a change to recorded state that must be governed like any change. */
export default defineRule<TfContext, 'added'>({
  id: 'import-block',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  docs: {
    summary: 'An import block is added: an existing object is adopted into state on the next apply.',
    rationale:
      'An import changes what Terraform manages, not what exists, and reverting the commit does not undo it: the object stays in state, and removing its resource block afterwards plans to destroy it. Undoing an import is a `removed` block with `destroy = false` (or `terraform state rm`). If the resource block does not match the object, the same apply also changes the object, and its previous settings are in no state.',
    fix: 'Plan the import first and make the resource block match the object (a no-op import); keep the removed-block recipe with the change declaration.',
    references: [
      'https://developer.hashicorp.com/terraform/language/import',
      'https://developer.hashicorp.com/terraform/language/block/import',
      'https://opentofu.org/docs/language/import/',
    ],
  },
  messages: {
    added:
      'import {{to}}{{id}}: the object joins state on the next apply; a revert does not un-import it (undo with removed { from = {{to}}  lifecycle { destroy = false } })',
  },
  check({ units, report }) {
    for (const unit of units) {
      if (unit.broken || !unit.head) continue;
      const before = new Set((unit.base?.imports ?? []).map((i) => `${i.to}\0${i.id ?? ''}`));
      for (const imp of unit.head.imports) {
        if (before.has(`${imp.to}\0${imp.id ?? ''}`)) continue;
        report(
          'added',
          { to: imp.to, id: imp.forEach ? ' (for_each)' : imp.id !== undefined ? ` (id ${imp.id})` : '' },
          at(imp),
          { object: imp.to },
        );
      }
    }
  },
});
