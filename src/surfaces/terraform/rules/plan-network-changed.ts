import { defineRule } from '../../../core/rule.js';
import { attributeReader } from '../plan/describe.js';
import { actionsText, isNoop, type PlanContext } from '../plan/model.js';
import { networkKind } from '../data/network-types.js';

/** A finding's data: the resource address and type, what the plan does to it, a DNS record's TTL. */
export type PlanNetworkChangedData = { address: string; type: string; action: string; ttl?: string; kind?: string };

/**
 * Network in the plan: firewalls, routes, peering, endpoints and DNS records. A change here can cut the
 * path the pipeline itself needs to roll back; DNS answers outlive the change by their TTL.
 */
export default defineRule<PlanContext, 'changed' | 'dnsChanged', PlanNetworkChangedData>({
  id: 'plan-network-changed',
  surface: 'terraform',
  class: 'fully-reversible',
  decision: { playbook: 'bad-network-change', effects: ['network'] },
  severity: 'warning',
  docs: {
    summary:
      'The plan changes or deletes network resources: security groups and rules, firewalls, ACLs, routes, peering, endpoints, DNS records.',
    rationale:
      'Connectivity changes fail at a distance: what breaks is a client somewhere else, often after the apply has succeeded. Plan a connectivity check for the paths the change touches. When the pipeline that applies (and would roll back) reaches its targets through these resources (the runner address range, a VPN, a bastion, a private endpoint), a bad change can lock that pipeline out, so keep a break-glass path that does not depend on them. A rule or route changed in place is put back as it was by a rollback: the change is fully reversible, and the warning is about the connectivity check (a deleted or replaced network object is reported by plan-resource-destroyed: a new id). DNS records are cached by resolvers for their TTL: the change and its rollback are delayed alike, nothing is lost, so an updated record is fully reversible and reported as information with its TTL.',
    fix: 'Add a post-apply connectivity check; lower the TTL of a record ahead of the change; keep an out-of-band access path for the pipeline.',
    references: [
      'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html',
      'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resource-record-sets-values-basic.html#rrsets-values-basic-ttl',
      'https://www.rfc-editor.org/rfc/rfc1035#section-3.2.1',
    ],
  },
  messages: {
    changed:
      '{{address}} ({{kind}}) is {{action}}: plan a connectivity check after apply, and a break-glass path if this pipeline reaches its targets through it',
    dnsChanged: {
      text: '{{address}} (DNS record) is {{action}}: resolvers keep the old answer for up to its TTL{{ttl}}, so the change and its rollback both take that long to reach every client',
      severity: 'info',
    },
  },
  check({ plan, at, report }) {
    for (const c of plan.changes) {
      if (c.mode !== 'managed' || isNoop(c.actions) || c.actions.includes('read') || c.actions.join(',') === 'forget')
        continue;
      const kind = networkKind(c.type);
      if (!kind) continue;
      const created = c.actions.length === 1 && c.actions[0] === 'create';
      const data = { address: c.address, type: c.type, action: actionsText(c.actions) };
      if (kind === 'dns') {
        if (created) continue; // a new name: nothing cached to outlive a rollback
        const ttl = attributeReader(c.values, 'before')('ttl');
        report('dnsChanged', { ...data, ttl: typeof ttl === 'number' ? ` (${ttl} s)` : '' }, at(c), {
          object: c.address,
        });
      } else if (!created) {
        report('changed', { ...data, kind: kind === 'firewall' ? 'firewall' : 'routing' }, at(c), {
          object: c.address,
        });
      }
    }
  },
});
