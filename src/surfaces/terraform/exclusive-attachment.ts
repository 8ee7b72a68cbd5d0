/**
 * `aws_iam_policy_attachment` attaches one policy exclusively: across the account, every user, role
 * and group holding the policy must be in its lists, and its destroy detaches the policy from every
 * one of them (its state holds what it read: all the entities the policy is attached to). Replacing it
 * by the per-entity attachments (`aws_iam_role_policy_attachment`, `_user_`, `_group_`) of the same
 * policy to the same entities re-creates the same links in the same apply; but Terraform orders the
 * old one's destroy against none of the new ones' creates, so the detach can land after the attach.
 */
import type { TfResource, TfUnit } from './model.js';

const PER_ENTITY = [
  ['roles', 'aws_iam_role_policy_attachment', 'role'],
  ['users', 'aws_iam_user_policy_attachment', 'user'],
  ['groups', 'aws_iam_group_policy_attachment', 'group'],
] as const;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The per-entity attachments the change adds in place of an exclusive `aws_iam_policy_attachment`
 * that it removes: one for each user, role and group of its lists, with the same `policy_arn` (the
 * same expression), in the same module and with the same count/for_each. Undefined unless every
 * entity is covered (a list given by an expression is not read).
 */
export function exclusiveReplacedBy(unit: TfUnit, old: TfResource): TfResource[] | undefined {
  if (old.type !== 'aws_iam_policy_attachment' || !unit.base || !unit.head) return undefined;
  const base = unit.base;
  const added = [...unit.head.resources.values()].filter(
    (r) =>
      r.mode === 'managed' &&
      !base.resources.has(r.address) &&
      r.modulePrefix === old.modulePrefix &&
      same(r.args.policy_arn, old.args.policy_arn) &&
      same(r.args.count, old.args.count) &&
      same(r.args.for_each, old.args.for_each),
  );
  if (old.args.policy_arn === undefined) return undefined;
  const by: TfResource[] = [];
  for (const [list, type, arg] of PER_ENTITY) {
    const entities = old.args[list];
    if (entities === undefined) continue;
    if (!Array.isArray(entities)) return undefined;
    for (const e of entities) {
      const r = added.find((a) => a.type === type && same(a.args[arg], e));
      if (!r) return undefined;
      if (!by.includes(r)) by.push(r);
    }
  }
  return by.length ? by : undefined;
}
