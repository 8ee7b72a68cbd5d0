import { ruleTable } from '../../../testing/rule-tester.js';
import { kubernetes } from '../index.js';
import rule from './service-address-released.js';

const svc = (spec: string, annotations = '') => `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
${annotations}spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
${spec}`;

// The first valid and the first invalid case are the examples of the rule's page (docs/rules/).
ruleTable(kubernetes, rule, {
  valid: [
    {
      name: 'a LoadBalancer Service whose ports change keeps its load balancer',
      before: svc('  type: LoadBalancer\n'),
      after: svc('  type: LoadBalancer\n').replace('8080', '8081'),
    },
    {
      name: 'a ClusterIP Service made a LoadBalancer (an address is added, the revert removes it)',
      before: svc(''),
      after: svc('  type: LoadBalancer\n'),
    },
    {
      name: 'a NodePort Service with pinned node ports moved to ClusterIP',
      before: svc('  type: NodePort\n').replace('targetPort: 8080', 'targetPort: 8080\n    nodePort: 30080'),
      after: svc('  type: ClusterIP\n'),
    },
    {
      name: 'a LoadBalancer Service deleted (kubernetes/stateless-object-deleted says it)',
      before: { 'a.yaml': svc('  type: LoadBalancer\n') },
      after: {},
    },
    {
      name: 'a reserved address moved from loadBalancerIP to the provider annotation',
      before: svc('  type: LoadBalancer\n  loadBalancerIP: 203.0.113.10\n'),
      after: svc('  type: LoadBalancer\n', '  annotations:\n    metallb.universe.tf/loadBalancerIPs: 203.0.113.10\n'),
    },
  ],
  invalid: [
    {
      name: 'a LoadBalancer Service turned into a ClusterIP one (the type line removed)',
      before: svc('  type: LoadBalancer\n'),
      after: svc(''),
      errors: [
        {
          messageId: 'loadBalancer',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          line: 6,
          message: /type LoadBalancer -> ClusterIP deletes its cloud load balancer and releases its external address/,
        },
      ],
    },
    {
      name: 'LoadBalancer to NodePort',
      before: svc('  type: LoadBalancer\n'),
      after: svc('  type: NodePort\n'),
      errors: [{ messageId: 'loadBalancer', line: 11, message: /LoadBalancer -> NodePort/ }],
    },
    {
      name: 'LoadBalancer with a reserved loadBalancerIP to ClusterIP: the revert asks for the same address',
      before: svc('  type: LoadBalancer\n  loadBalancerIP: 203.0.113.10\n'),
      after: svc('  type: ClusterIP\n'),
      errors: [
        { messageId: 'loadBalancerPinned', class: 'fully-reversible', severity: 'info', message: /203\.0\.113\.10/ },
      ],
    },
    {
      name: 'LoadBalancer with an EIP allocation annotation to ClusterIP',
      before: svc(
        '  type: LoadBalancer\n',
        '  annotations:\n    service.beta.kubernetes.io/aws-load-balancer-eip-allocations: eipalloc-1\n',
      ),
      after: svc('  type: ClusterIP\n'),
      errors: [{ messageId: 'loadBalancerPinned', message: /eipalloc-1/ }],
    },
    {
      name: 'loadBalancerIP removed from a Service that stays a LoadBalancer',
      before: svc('  type: LoadBalancer\n  loadBalancerIP: 203.0.113.10\n'),
      after: svc('  type: LoadBalancer\n'),
      errors: [{ messageId: 'loadBalancerIP', class: 'reversible-with-manual-repair', message: /203\.0\.113\.10/ }],
    },
    {
      name: 'NodePort to ClusterIP with allocated node ports',
      before: svc('  type: NodePort\n'),
      after: svc('  type: ClusterIP\n'),
      errors: [{ messageId: 'nodePort', class: 'reversible-with-manual-repair' }],
    },
  ],
});
