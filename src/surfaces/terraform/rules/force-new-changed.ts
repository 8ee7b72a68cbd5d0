import { defineRule } from '../../../core/rule.js';
import { dataBearing } from '../data/data-bearing-types.js';
import { forceNew } from '../data/force-new-attributes.js';
import { keptResources } from '../lifecycle.js';
import { at, type ModuleSpace, type TfContext, type TfResource } from '../model.js';
import { expr, resolveArgument } from '../space.js';

/** A finding's data: the resource, the argument, and what its replacement breaks or destroys. */
export type ForceNewChangedData = { address: string; attribute: string; breaks: string; holds?: string };

type M = 'replaced' | 'replacedData' | 'expressionChanged';

const literal = (v: unknown) =>
  (typeof v === 'string' && !v.includes('${')) || typeof v === 'number' || typeof v === 'boolean';

/**
 * The value an argument is given, followed through locals and local module inputs (`name = var.name`
 * inside `module.eks` is what the call passes as `name`); undefined when it ends at a variable of the
 * unit's root, whose value comes from outside the configuration (a renamed input keeps it).
 */
function resolved(space: ModuleSpace, r: TfResource, attribute: string): unknown {
  return resolveArgument(space, r.modulePrefix, r.args[attribute], r)?.value;
}

/**
 * An argument the provider cannot update in place changes on a resource that stays: before any plan
 * exists, the configuration already says Terraform will replace the object.
 */
export default defineRule<TfContext, M, ForceNewChangedData>({
  id: 'force-new-changed',
  surface: 'terraform',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  docs: {
    summary:
      'An argument that forces replacement (ForceNew in the provider schema) changes on an identity or data-bearing resource that stays in the configuration.',
    rationale:
      "Some arguments cannot be updated in place: the provider marks them ForceNew, and a new value plans a delete and a create of the object. For an identity (an IAM OIDC provider's `url`, a role's `name`) the new object has a new ARN or unique id, so the trust and resource policies that named the old one stop matching (IRSA roles of an EKS cluster whose OIDC provider is replaced fail to assume); a revert replaces it once more. For a data-bearing object (a bucket's name, a DynamoDB table's keys, RDS storage encryption) the new one is empty. A literal value that changes is certain; an expression that changes may or may not change the value, so it is a warning to read the plan. A `var.x` inside a local module is followed to what its call passes; one that ends at a variable of the root configuration is not compared (its value is set outside, and renaming the input keeps it). The table in force-new-attributes.ts names each argument and the provider source it was checked against.",
    fix: 'Avoid the replacement (keep the value, or move to a new resource alongside and migrate); for identities, update every policy that names the old ARN in the same apply; for data-bearing objects, copy the data first and declare the change.',
    references: [
      'https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/iam/openid_connect_provider.go',
      'https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/iam/role.go',
      'https://developer.hashicorp.com/terraform/plugin/sdkv2/schemas/schema-behaviors#forcenew',
      'https://docs.aws.amazon.com/eks/latest/userguide/enable-iam-roles-for-service-accounts.html',
    ],
  },
  messages: {
    replaced:
      '{{address}}: {{attribute}} changes and cannot be updated in place: {{breaks}}; a revert replaces it again',
    replacedData: {
      text: '{{address}} ({{holds}}): {{attribute}} changes and cannot be updated in place: {{breaks}}, and only a backup brings the data back',
      class: 'non-recoverable-without-restore',
      severity: 'error',
      decision: { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
    },
    expressionChanged:
      '{{address}}: the expression of {{attribute}} changes, and {{attribute}} cannot be updated in place: if its value changes, {{breaks}}; read the plan',
  },
  check({ units, report }) {
    for (const unit of units) {
      if (unit.broken || !unit.base || !unit.head) continue;
      const [base, head] = [unit.base, unit.head];
      for (const { before, after } of keptResources([unit])) {
        if (before.type !== after.type) continue;
        const row = forceNew(after.type);
        if (!row) continue;
        for (const attribute of row.attributes) {
          const a = resolved(base, before, attribute);
          const b = resolved(head, after, attribute);
          if (a === undefined || b === undefined) continue;
          const where = at(after, after.argLines.get(attribute) ?? after.line);
          const data = { address: after.address, attribute, breaks: row.breaks };
          if (literal(a) && literal(b)) {
            if (a === b) continue;
            const holds = dataBearing(after.type)?.holds;
            if (holds) report('replacedData', { ...data, holds }, where, { object: after.address });
            else report('replaced', data, where, { object: after.address });
          } else if (expr(a) !== expr(b)) report('expressionChanged', data, where, { object: after.address });
        }
      }
    }
  },
});
