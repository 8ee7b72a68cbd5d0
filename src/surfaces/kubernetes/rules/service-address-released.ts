import { defineRule } from '../../../core/rule.js';
import { at, describeObject, get, type KubeContext, type KubeObject } from '../../../kube/model.js';

const typeOf = (o: KubeObject): string => {
  const t = get(o.body, ['spec', 'type']);
  return typeof t === 'string' ? t : 'ClusterIP';
};
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The nodePorts a Service's manifest pins (`spec.ports[].nodePort`). */
function pinnedNodePorts(o: KubeObject): boolean {
  const ports = get(o.body, ['spec', 'ports']);
  return Array.isArray(ports) && ports.length > 0 && ports.every((p) => typeof get(p, ['nodePort']) === 'number');
}

/** An address named through a provider's annotation (an AWS EIP allocation, MetalLB, an Azure public IP, a Scaleway flexible IP). */
const RESERVED_ANNOTATION = /eip-allocations|loadBalancerIPs|load-balancer-ip|azure-pip-name|lb-ip-ids/i;

function reservedByAnnotation(o: KubeObject): string | undefined {
  const ann = get(o.body, ['metadata', 'annotations']);
  if (!ann || typeof ann !== 'object' || Array.isArray(ann)) return undefined;
  for (const [k, v] of Object.entries(ann)) if (RESERVED_ANNOTATION.test(k) && str(v)) return `${k}: ${String(v)}`;
  return undefined;
}

/**
 * A Service that stops being a LoadBalancer (or a NodePort) gives its external address back: the
 * cloud provider deletes the load balancer and frees its IP or hostname, and the revert provisions a
 * new one with another address unless the manifest asks for a reserved one.
 */
export default defineRule<KubeContext, 'loadBalancer' | 'loadBalancerPinned' | 'loadBalancerIP' | 'nodePort'>({
  id: 'service-address-released',
  surface: 'kubernetes',
  class: 'reversible-with-manual-repair',
  severity: 'warning',
  docs: {
    summary:
      'A Service changes from `LoadBalancer` to `ClusterIP` or `NodePort` (its external load balancer and address are released), drops its `loadBalancerIP`, or changes from `NodePort` to `ClusterIP` with node ports the manifest did not pin.',
    rationale:
      "The cloud provider's service controller provisions a load balancer for a Service of type LoadBalancer and deletes it when the Service no longer wants one (type changed, or deleted): an ephemeral address (an IP, or a hostname on AWS) goes back to the provider's pool. A revert sets the type back and a NEW load balancer is provisioned with a new address, so DNS records, firewall allow-lists and clients that pinned the old address break until they are updated: manual repair. Only an address reserved in the cloud and named by the manifest (`spec.loadBalancerIP`, or the provider's annotation) comes back; that case is said at info. Removing `loadBalancerIP` from a Service that stays a LoadBalancer lets the provider pick another address on re-creation (most providers re-create the load balancer). A NodePort Service moved to ClusterIP frees its node ports, and the revert is allocated random ones unless the manifest pins `nodePort`.",
    fix: 'Reserve the address in the cloud (a static IP, an Elastic IP allocation, a flexible IP) and name it in the manifest before changing the type, or point DNS at an Ingress or Gateway first; pin `nodePort` where clients use it.',
    references: [
      'https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer',
      'https://kubernetes.io/docs/tasks/access-application-cluster/create-external-load-balancer/',
      'https://github.com/kubernetes/cloud-provider/blob/master/controllers/service/controller.go (needsCleanup: a Service that no longer wants a load balancer has it deleted, EnsureLoadBalancerDeleted)',
      'https://www.scaleway.com/en/docs/kubernetes/reference-content/managing-load-balancer-ips/ (a deleted load balancer loses its IP unless it is a reserved flexible IP)',
      'https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport',
    ],
  },
  messages: {
    loadBalancer:
      '{{object}}: type {{from}} -> {{to}} deletes its cloud load balancer and releases its external address; a revert provisions a new load balancer with a NEW address (DNS records and allow-lists pointing at the old one break) unless the address is reserved',
    loadBalancerPinned: {
      text: '{{object}}: type {{from}} -> {{to}} deletes its cloud load balancer; the revert asks for the same address ({{ip}}), which comes back only if it stays reserved in the cloud',
      class: 'fully-reversible',
      severity: 'info',
    },
    loadBalancerIP:
      '{{object}}: the reserved address ({{ip}}) is no longer named; when the load balancer is re-created the provider assigns another address, and a revert gets {{ip}} back only if it is still reserved',
    nodePort:
      '{{object}}: type NodePort -> ClusterIP releases its node ports; a revert is allocated random ones (the manifest does not pin nodePort), so clients of the old ports break',
  },
  check({ changes, report }) {
    for (const c of changes) {
      const b = c.before;
      const a = c.after;
      if (!b || !a || !c.bodyChanged || a.group !== '' || a.kind !== 'Service') continue;
      const from = typeOf(b);
      const to = typeOf(a);
      const object = describeObject(a);
      const where = at(a, get(a.body, ['spec', 'type']) === undefined ? ['spec'] : ['spec', 'type']);
      const ip = str(get(b.body, ['spec', 'loadBalancerIP'])) ?? reservedByAnnotation(b);
      if (from === 'LoadBalancer' && to !== 'LoadBalancer') {
        report(ip ? 'loadBalancerPinned' : 'loadBalancer', { object, from, to, ip: ip ?? '' }, where, { object: c.id });
      } else if (
        from === 'LoadBalancer' &&
        ip &&
        !(str(get(a.body, ['spec', 'loadBalancerIP'])) ?? reservedByAnnotation(a))
      ) {
        report('loadBalancerIP', { object, ip }, at(a, ['spec']), { object: c.id });
      } else if (from === 'NodePort' && to === 'ClusterIP' && !pinnedNodePorts(b)) {
        report('nodePort', { object }, where, { object: c.id });
      }
    }
  },
});
