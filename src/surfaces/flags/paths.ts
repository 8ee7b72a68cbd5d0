import { claimsYamlManifest } from '../../kube/objects.js';

/** flagd definition files: JSON or YAML whose path names flags. */
const FLAG_FILE = /\.(json|ya?ml)$/i;

/** Source code and application configuration: searched for references to flag keys, nothing else. */
const CODE =
  /\.(go|java|kt|kts|scala|groovy|cs|fs|vb|rs|py|rb|php|swift|m|mm|c|cc|cpp|cxx|h|hpp|ex|exs|erl|clj|cljs|dart|lua|ts|tsx|mts|cts|js|jsx|mjs|cjs|vue|svelte)$/i;
const CONFIG = /\.(toml|ini|cfg|conf)$/i;
/** JSON and XML hold data as often as configuration (and may be large): only names that say configuration. */
const CONFIG_DATA = /\.(json|xml)$/i;
const CONFIG_NAME = /config|settings|feature|toggle|flag|env|application|app\b/i;
/** Generated or vendored code, lock files and data: never hand-written references, and may be large. */
const NOT_REFERENCES =
  /(^|\/)(node_modules|vendor|third_party|dist|build|testdata|fixtures?|__snapshots__)\/|\.min\.\w+$|\.d\.ts$|\.(pb|gen|generated)\.\w+$|_gen\.go$|(^|\/)(package-lock|composer|Pipfile|npm-shrinkwrap)\.json$|\.(tf|tofu|tfvars)\.json$/i;
/** Encrypted or secret configuration belongs to the secrets surface (and is never read here). */
const SECRET_LIKE = /sops|enc|secret|cred/i;
const COMPOSE = /(^|\/)(docker-)?compose(\.[\w-]+)?\.ya?ml$/;
const HELM_VALUES = /(^|\/)values([.-][\w.-]+)?\.ya?ml$/;

function isFlagFile(p: string): boolean {
  return FLAG_FILE.test(p) && /flag/i.test(p);
}

/** Files only this surface reads, and only to find the flag keys they reference. */
export function isReferenceOnly(p: string): boolean {
  // JSON may be a manifest and application configuration at once: only YAML manifests are never searched.
  if (claimsYamlManifest(p) || isFlagFile(p) || NOT_REFERENCES.test(p)) return false;
  if (CODE.test(p) || COMPOSE.test(p)) return true;
  const name = p.slice(p.lastIndexOf('/') + 1);
  if (SECRET_LIKE.test(name)) return false;
  return CONFIG.test(p) || (CONFIG_DATA.test(p) && CONFIG_NAME.test(name));
}

/**
 * What the flags surface reads: flagd definitions (`*.flagd.json`, `flags.json`, ...: a path naming
 * flags), manifests (ConfigMaps, FeatureFlags, env vars), Helm values, and source code or application
 * config searched for flag keys. YAML manifests only: JSON is searched as configuration when its name
 * says so (JSON manifests are read by the Kubernetes-shaped surfaces, and JSON data would be searched
 * for keys by mistake).
 */
export function claimsFlagInput(p: string): boolean {
  return claimsYamlManifest(p) || isFlagFile(p) || HELM_VALUES.test(p) || isReferenceOnly(p);
}
