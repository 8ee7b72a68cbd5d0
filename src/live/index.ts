/** Live checks of rollback targets: OCI registries, Helm repositories, git remotes, module registries. */
export { LiveChecker, type LiveTarget } from './check.js';
export { parseGitSource, type GitSource } from './git-source.js';
export type { ChartRef } from './helm.js';
export { parseOciReference, formatReference, type OciReference } from './reference.js';
export { parseRegistrySource, type RegistryModule } from './terraform-registry.js';
export {
  isOffline,
  LIVE_STATUSES,
  type LiveAnswer,
  type LiveOptions,
  type LiveStatus,
  type SignatureReport,
} from './types.js';
