import type { Rule } from '../../../core/rule.js';
import type { KubeContext } from '../../../kube/model.js';
import configmapDataChanged from './configmap-data-changed.js';
import danglingReference from './dangling-reference.js';
import imageChanged from './image-changed.js';
import immutableConfigmapChanged from './immutable-configmap-changed.js';
import immutableFieldChanged from './immutable-field-changed.js';
import mutableImageTag from './mutable-image-tag.js';
import plaintextSecret from './plaintext-secret.js';
import pvcStorageChanged from './pvc-storage-changed.js';
import removedApiVersion from './removed-api-version.js';
import serviceAddressReleased from './service-address-released.js';
import statefulObjectDeleted from './stateful-object-deleted.js';
import statefulsetDeletesClaims from './statefulset-deletes-claims.js';
import statelessObjectDeleted from './stateless-object-deleted.js';
import unknownKind from './unknown-kind.js';

/** The Kubernetes rules run on the paired objects, sorted by id (a test checks this list against the folder). */
export const kubernetesRules: readonly Rule<KubeContext, string>[] = [
  configmapDataChanged,
  danglingReference,
  imageChanged,
  immutableConfigmapChanged,
  immutableFieldChanged,
  mutableImageTag,
  plaintextSecret,
  pvcStorageChanged,
  removedApiVersion,
  serviceAddressReleased,
  statefulObjectDeleted,
  statefulsetDeletesClaims,
  statelessObjectDeleted,
  unknownKind,
];
