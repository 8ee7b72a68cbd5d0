import type { Rule } from '../../../core/rule.js';
import type { ObjectsContext } from '../../../kube/objects.js';
import crdDeleted from './crd-deleted.js';
import crdWithoutVersions from './crd-without-versions.js';
import schemaTightened from './schema-tightened.js';
import servedVersionRemoved from './served-version-removed.js';
import storageVersionChanged from './storage-version-changed.js';
import versionAdded from './version-added.js';

export const crdRules: readonly Rule<ObjectsContext, string>[] = [
  crdDeleted,
  crdWithoutVersions,
  schemaTightened,
  servedVersionRemoved,
  storageVersionChanged,
  versionAdded,
];
