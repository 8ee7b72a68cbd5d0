import { ruleTable } from '../../../testing/rule-tester.js';
import { kustomize } from '../index.js';
import rule from './name-prefix-changed.js';

const k = (extra: string) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - pvc.yaml
${extra}`;
const pvc =
  'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n';

ruleTable(kustomize, rule, {
  valid: [
    {
      name: 'unchanged prefix',
      before: { 'app/kustomization.yaml': k('namePrefix: shop-\n') },
      after: { 'app/kustomization.yaml': k('namePrefix: shop-\nnamespace: a\n') },
      unchanged: { 'app/pvc.yaml': pvc },
    },
    {
      name: 'new kustomization',
      after: { 'app/kustomization.yaml': k('namePrefix: shop-\n') },
      unchanged: { 'app/pvc.yaml': pvc },
    },
  ],
  invalid: [
    {
      name: 'prefix changed',
      before: { 'app/kustomization.yaml': k('namePrefix: shop-\n') },
      after: { 'app/kustomization.yaml': k('namePrefix: store-\n') },
      unchanged: { 'app/pvc.yaml': pvc },
      errors: [
        {
          messageId: 'changed',
          class: 'reversible-with-manual-repair',
          severity: 'warning',
          file: 'app/kustomization.yaml',
          line: 5,
          message: /namePrefix changes from "shop-" to "store-"/,
        },
      ],
    },
    {
      name: 'suffix added',
      before: { 'app/kustomization.yaml': k('') },
      after: { 'app/kustomization.yaml': k('nameSuffix: -v2\n') },
      unchanged: { 'app/pvc.yaml': pvc },
      errors: [{ messageId: 'changed', line: 5, message: /from \(none\) to "-v2"/ }],
    },
  ],
});
