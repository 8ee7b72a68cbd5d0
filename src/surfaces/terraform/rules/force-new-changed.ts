import { defineRule } from '../../../core/rule.js';
import { instancesOf } from '../count.js';
import { dataBearing } from '../data/data-bearing-types.js';
import { forceNew } from '../data/force-new-attributes.js';
import { keptResources } from '../lifecycle.js';
import { at, type TfContext, type TfResource, type TfUnit } from '../model.js';
import { canonical, differ, termOf, type Ref, type Term } from '../value.js';

/** A finding's data: the resource, the argument, and what its replacement breaks or destroys. */
export type ForceNewChangedData = {
  address: string;
  attribute: string;
  breaks: string;
  holds?: string;
  chain?: string;
};

type M = 'replaced' | 'replacedData' | 'replacedThrough' | 'replacedThroughData' | 'expressionChanged';

/** Why an object of the head is new in the change: a reason, or nothing when it stays. */
type Renewed = ReadonlyMap<string, string>;

/**
 * Resources of the head that the change creates afresh at an address the base had no instance at
 * (a rename with no moved block, or an instance switched on): Terraform knows their computed
 * attributes (`id`, `arn`, ...) only after apply.
 */
function newInHead(unit: TfUnit): Map<string, string> {
  const out = new Map<string, string>();
  const [base, head] = [unit.base!, unit.head!];
  const movedTo = new Set(head.moved.map((m) => m.to.replace(/\[[^\]]*\]$/, '')));
  for (const r of head.resources.values()) {
    if (r.mode !== 'managed' || movedTo.has(r.address) || instancesOf(head, r).state === 'off') continue;
    const was = base.resources.get(r.address);
    if (!was) out.set(r.address, `${r.address} is new in this change (no moved block brings an old object to it)`);
    else if (instancesOf(base, was).state === 'off')
      out.set(r.address, `${r.address} had no instance before the change and has one now`);
  }
  return out;
}

/** The first reference of a term to a renewed object's attribute that its configuration does not set. */
function renewedRef(unit: TfUnit, t: Term, renewed: Renewed): { ref: Ref; why: string } | undefined {
  for (const ref of t.refs) {
    const why = renewed.get(ref.address);
    if (!why) continue;
    const r: TfResource | undefined = unit.head!.resources.get(ref.address);
    // An argument the configuration sets is known at plan time even on a new object.
    if (ref.attribute && r && r.args[ref.attribute] !== undefined) continue;
    return { ref, why };
  }
  return undefined;
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
      "Some arguments cannot be updated in place: the provider marks them ForceNew, and a new value plans a delete and a create of the object. For an identity (an IAM OIDC provider's `url`, a role's `name`, an EKS cluster's `role_arn`) the new object has a new ARN or unique id, so the trust and resource policies that named the old one stop matching (IRSA roles of an EKS cluster whose OIDC provider is replaced fail to assume); a revert replaces it once more. For a data-bearing object (a bucket's name, a DynamoDB table's keys, RDS storage encryption) the new one is empty. Both sides are evaluated as far as the configuration says: locals, local module inputs and variable defaults are followed, and conditionals, `coalesce`, comparisons and string templates are computed when their operands are known (`name = var.use_prefix ? null : var.name` with `use_prefix` defaulting to true is null on both sides). When both sides come to the same value, or to the same expression of values only known at plan time, nothing is reported. A value that certainly changes (two different literals, or two strings whose literal start or end differ, such as `\"KarpenterIRSA-${var.cluster_name}-\"` and `\"KarpenterController-\"`) is a certain replacement. A value read from a resource the change creates afresh (a rename with no moved block, or an instance switched on) or replaces (the chain is followed inside the configuration) is known only after apply, and Terraform plans a replacement for a ForceNew argument whose new value is unknown: the finding names the chain (`role_arn` comes from `aws_iam_role.this.arn`, a role new in the change). An expression whose form changed but whose value cannot be told apart may well be unchanged: info, read the plan. A variable of the root configuration with no default is set outside the configuration: a renamed root input is not compared. The table in force-new-attributes.ts names each argument and the provider source it was checked against.",
    fix: 'Avoid the replacement (keep the value, or move to a new resource alongside and migrate); for identities, update every policy that names the old ARN in the same apply; for data-bearing objects, copy the data first and declare the change.',
    references: [
      'https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/iam/openid_connect_provider.go',
      'https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/iam/role.go',
      'https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/eks/cluster.go (name and role_arn are ForceNew)',
      'https://developer.hashicorp.com/terraform/plugin/sdkv2/schemas/schema-behaviors#forcenew',
      "https://developer.hashicorp.com/terraform/language/expressions/references#values-not-yet-known (a new object's attributes are known only after apply)",
      'https://docs.aws.amazon.com/eks/latest/userguide/enable-iam-roles-for-service-accounts.html',
      'https://github.com/terraform-aws-modules/terraform-aws-eks/issues/2282 (the cluster role recreated under a new address: role_arn -> (known after apply) # forces replacement)',
      'https://github.com/aws/containers-roadmap/issues/2771 (EKS cannot change the cluster role of an existing cluster)',
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
    replacedThrough:
      '{{address}}: {{attribute}} comes from {{chain}}, so its new value is known only after apply, and {{attribute}} cannot be updated in place: {{breaks}}; a revert replaces it again',
    replacedThroughData: {
      text: '{{address}} ({{holds}}): {{attribute}} comes from {{chain}}, so its new value is known only after apply, and {{attribute}} cannot be updated in place: {{breaks}}, and only a backup brings the data back',
      class: 'non-recoverable-without-restore',
      severity: 'error',
      decision: { playbook: 'bad-iac-module', effects: ['data-destroyed'] },
    },
    expressionChanged: {
      text: '{{address}}: the expression of {{attribute}} changes, and {{attribute}} cannot be updated in place; its value may be unchanged (the configuration does not say), but if it changes, {{breaks}}; read the plan',
      class: 'fully-reversible',
      severity: 'info',
    },
  },
  check({ units, report }) {
    for (const unit of units) {
      if (unit.broken || !unit.base || !unit.head) continue;
      const [base, head] = [unit.base, unit.head];
      const pairs = keptResources([unit]).flatMap(({ before, after }) => {
        const row = before.type === after.type ? forceNew(after.type) : undefined;
        if (!row) return [];
        return row.attributes.flatMap((attribute) => {
          if (before.args[attribute] === undefined || after.args[attribute] === undefined) return [];
          const a = termOf(base, before.modulePrefix, before.args[attribute], before);
          const b = termOf(head, after.modulePrefix, after.args[attribute], after);
          return [{ after, attribute, breaks: row.breaks, a, b }];
        });
      });
      // Objects the head creates afresh, then those replaced through them, until nothing is added.
      const renewed = newInHead(unit);
      const verdicts = new Map<(typeof pairs)[number], { certain: boolean; chain?: string }>();
      for (let changed = true; changed;) {
        changed = false;
        for (const p of pairs) {
          if (verdicts.get(p)?.certain) continue;
          let v: { certain: boolean; chain?: string } | undefined;
          if (differ(p.a, p.b)) v = { certain: true };
          else {
            const through = renewedRef(unit, p.b, renewed);
            if (through)
              v = {
                certain: true,
                chain: `${through.ref.address}${through.ref.attribute ? `.${through.ref.attribute}` : ''} (${through.why})`,
              };
            else if (canonical(p.a) !== canonical(p.b) && !p.a.outside && !p.b.outside) v = { certain: false };
          }
          if (!v) continue;
          verdicts.set(p, v);
          if (v.certain && !renewed.has(p.after.address)) {
            renewed.set(p.after.address, `${p.after.address} is replaced: its ${p.attribute} changes`);
            changed = true;
          }
        }
      }
      for (const p of pairs) {
        const v = verdicts.get(p);
        if (!v) continue;
        const where = at(p.after, p.after.argLines.get(p.attribute) ?? p.after.line);
        const data = { address: p.after.address, attribute: p.attribute, breaks: p.breaks };
        const holds = dataBearing(p.after.type)?.holds;
        const object = { object: p.after.address };
        if (!v.certain) report('expressionChanged', data, where, object);
        else if (v.chain)
          report(
            holds ? 'replacedThroughData' : 'replacedThrough',
            { ...data, chain: v.chain, ...(holds ? { holds } : {}) },
            where,
            object,
          );
        else report(holds ? 'replacedData' : 'replaced', { ...data, ...(holds ? { holds } : {}) }, where, object);
      }
    }
  },
});
