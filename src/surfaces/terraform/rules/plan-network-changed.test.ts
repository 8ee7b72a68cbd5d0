import { ruleTable } from '../../../testing/rule-tester.js';
import { terraformPlan } from '../plan/index.js';
import { planFile, rc } from '../plan/testing.js';
import rule from './plan-network-changed.js';

ruleTable(terraformPlan, rule, {
  valid: [
    {
      name: 'new rules and records are additive',
      after: planFile({
        resource_changes: [rc('aws_security_group_rule.https', ['create']), rc('aws_route53_record.www', ['create'])],
      }),
    },
    { name: 'unchanged network', after: planFile({ resource_changes: [rc('aws_route.default', ['no-op'])] }) },
    { name: 'not a network type', after: planFile({ resource_changes: [rc('aws_instance.web', ['update'])] }) },
  ],
  invalid: [
    {
      name: 'firewall and routing changes',
      after: planFile({
        resource_changes: [
          rc('aws_security_group.api', ['update']),
          rc('aws_route.vpn', ['delete']),
          rc('google_compute_firewall.ssh', ['delete', 'create']),
          rc('kubernetes_network_policy_v1.deny', ['update']),
        ],
      }),
      errors: [
        {
          messageId: 'changed',
          class: 'fully-reversible',
          severity: 'warning',
          message: /aws_route\.vpn \(routing\) is delete: plan a connectivity check/,
        },
        { messageId: 'changed', message: /aws_security_group\.api \(firewall\) is update.*break-glass path/ },
        { messageId: 'changed', object: 'google_compute_firewall.ssh' },
        { messageId: 'changed', object: 'kubernetes_network_policy_v1.deny' },
      ],
    },
    {
      name: 'DNS records outlive the change by their TTL',
      after: planFile({
        resource_changes: [
          rc('aws_route53_record.api', ['update'], { before: { name: 'api', ttl: 300 } }),
          rc('azurerm_dns_cname_record.www', ['delete']),
        ],
      }),
      errors: [
        {
          messageId: 'dnsChanged',
          class: 'fully-reversible',
          severity: 'info',
          message:
            'aws_route53_record.api (DNS record) is update: resolvers keep the old answer for up to its TTL (300 s), so the change and its rollback both take that long to reach every client',
        },
        { messageId: 'dnsChanged', object: 'azurerm_dns_cname_record.www', message: /TTL, so/ },
      ],
    },
  ],
});
