import { defineRule } from '../../../core/rule.js';
import { isBuiltinGroup } from '../../../kube/kinds.js';
import { at, createdPerRun, describeObject, get, pruneProtection, type KubeContext } from '../../../kube/model.js';
import { STATEFUL_KINDS } from './stateful-object-deleted.js';

/**
 * A built-in object without data of its own leaves Git. Re-applying the old manifest re-creates it,
 * so the deletion is fully reversible, except where identity outside the cluster is lost with it:
 * a LoadBalancer Service gives up its external address, which a re-created Service does not get back.
 */
export default defineRule<KubeContext, 'deleted' | 'loadBalancer' | 'kept'>({
  id: 'stateless-object-deleted',
  surface: 'kubernetes',
  class: 'fully-reversible',
  severity: 'info',
  docs: {
    summary: 'A stateless built-in object (Deployment, Service, ConfigMap, RBAC, ...) is deleted.',
    rationale:
      'Objects that hold no data are re-created by re-applying their manifest: the revert restores them. A Service of type LoadBalancer is the exception: the cloud load balancer and its address are released on delete and a re-created Service gets a new one unless the address was reserved (`spec.loadBalancerIP` or a provider annotation).',
    fix: 'Nothing to do for most kinds. For a LoadBalancer Service, reserve the address first or move DNS before deleting.',
    references: [
      'https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer',
      'https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#no-prune-resources',
      'https://fluxcd.io/flux/components/kustomize/kustomizations/#prune',
    ],
  },
  messages: {
    deleted: '{{object}} is deleted; re-applying the previous manifest re-creates it',
    loadBalancer: {
      text: '{{object}} is a LoadBalancer Service: deleting it releases its external address, and a re-created Service gets a new one',
      class: 'reversible-with-manual-repair',
      severity: 'warning',
    },
    kept: '{{object}} leaves Git but stays in the cluster ({{annotation}}): orphaned, not deleted',
  },
  check({ changes, report }) {
    for (const c of changes) {
      if (c.status !== 'removed' || !c.before) continue;
      const obj = c.before;
      // A hook or a generateName object leaving Git deletes nothing: each run created its own.
      if (createdPerRun(obj)) continue;
      if (!isBuiltinGroup(obj.group) || STATEFUL_KINDS.has(`${obj.group}/${obj.kind}`)) continue;
      // A CRD takes every object of its kind with it: the crd surface reports it (crd/crd-deleted).
      if (obj.group === 'apiextensions.k8s.io' && obj.kind === 'CustomResourceDefinition') continue;
      const object = describeObject(obj);
      const keep = pruneProtection(obj);
      if (keep) report('kept', { object, annotation: keep }, at(obj), { object: obj.id });
      else if (obj.group === '' && obj.kind === 'Service' && get(obj.body, ['spec', 'type']) === 'LoadBalancer')
        report('loadBalancer', { object }, at(obj, ['spec', 'type']), { object: obj.id });
      else report('deleted', { object }, at(obj), { object: obj.id });
    }
  },
});
