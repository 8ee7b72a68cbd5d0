import type { ChangedFile, RepoReader } from '../../core/change.js';
import type { ObjectsContext } from '../../kube/objects.js';
import type { RollwrightConfig } from '../../core/config.js';
import type { AdmissionReport } from '../../kube/admission.js';
import type { SchemaValidation } from '../../kube/schema.js';

/**
 * What every rule of the `revert` family receives. The change it sees IS a revert: base is the
 * revision the revert applies onto, head the revert commit; so a file "deleted" here is a file the
 * reverted change had added.
 */
export interface RevertContext {
  /** The claimed files of the revert (manifests and SQL). */
  files: ChangedFile[];
  /** Every Kubernetes object of those files, paired across the revert. */
  objects: ObjectsContext;
  repo: RepoReader;
  config: RollwrightConfig;
  /** The revert's objects checked against their schemas (computed once, before the rules). */
  schema: SchemaValidation;
  /** The repository's ValidatingAdmissionPolicies evaluated against the revert's objects. */
  admission: AdmissionReport;
}

/** Where `revert --check` keeps the two validations for its JSON output. */
export interface RevertSections {
  schema?: SchemaValidation;
  admission?: AdmissionReport;
}
