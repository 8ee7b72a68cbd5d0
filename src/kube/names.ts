/**
 * Kubernetes object names as the API server validates them (k8s.io/apimachinery
 * pkg/util/validation: IsDNS1123Subdomain, IsDNS1123Label, IsDNS1035Label; pkg/api/validation
 * NameIsDNSSubdomain, ValidateNamespaceName; documented at
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/names/):
 *
 * - a DNS-1123 subdomain (most kinds, custom resources included: Argo CD Applications, Flux
 *   Kustomizations and HelmReleases, Argo Rollouts): at most 253 characters, lowercase letters,
 *   digits, `-` and `.`, starting and ending with a letter or digit, each dot-separated part too;
 * - a DNS-1123 label (namespaces): at most 63 characters, lowercase letters, digits and `-`,
 *   starting and ending with a letter or digit;
 * - a DNS-1035 label (Services): a DNS-1123 label that starts with a letter.
 *
 * A name the API server could never have accepted did not come from a cluster: it came from a file
 * someone wrote, and in a runbook it would be an option (`--server=evil.example.com`, `--all`) or
 * another command. Runbook builders check every name they put on a command line with `runbookName`.
 */
export type NameRule = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label';

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL = new RegExp(`^${LABEL}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${LABEL}(\\.${LABEL})*$`);
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const RULES: Record<NameRule, { re: RegExp; max: number; says: string }> = {
  'dns1123-subdomain': {
    re: DNS1123_SUBDOMAIN,
    max: 253,
    says: "a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
  },
  'dns1123-label': {
    re: DNS1123_LABEL,
    max: 63,
    says: "a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit",
  },
  'dns1035-label': {
    re: DNS1035_LABEL,
    max: 63,
    says: "a DNS-1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
  },
};

/** Why `value` is not a valid name under `rule`, or undefined when it is. */
export function nameProblem(value: string, rule: NameRule = 'dns1123-subdomain'): string | undefined {
  const r = RULES[rule];
  if (value.length === 0) return 'the name is empty';
  if (value.length > r.max) return `the name is ${value.length} characters long, over the ${r.max} allowed`;
  if (value.startsWith('-')) return `the name starts with '-' (it would be read as an option); it must be ${r.says}`;
  if (!r.re.test(value)) return `the name must be ${r.says}`;
  return undefined;
}

export function isValidName(value: string, rule: NameRule = 'dns1123-subdomain'): boolean {
  return nameProblem(value, rule) === undefined;
}

/** A name a runbook refuses to print as a command argument. */
export class UnsafeNameError extends Error {
  constructor(
    readonly value: string,
    readonly what: string,
    readonly reason: string,
  ) {
    super(`${what} ${JSON.stringify(value)} is not a valid Kubernetes name (${reason}): no command is printed with it`);
    this.name = 'UnsafeNameError';
  }
}

/**
 * `value` when it is a valid name under `rule`, else an UnsafeNameError. For runbook builders:
 * `flux suspend kustomization ${runbookName(r.name, 'Kustomization name')} -n ${runbookName(r.namespace, 'namespace', 'dns1123-label')}`.
 */
export function runbookName(value: string, what: string, rule: NameRule = 'dns1123-subdomain'): string {
  const problem = nameProblem(value, rule);
  if (problem !== undefined) throw new UnsafeNameError(value, what, problem);
  return value;
}

/**
 * An object reference `<namespace>/<name>` (Argo CD's `argocd app set ns/app`), each part checked:
 * the namespace as a label, the name as a subdomain. An empty namespace leaves the name alone.
 */
export function runbookRef(namespace: string | undefined, name: string, what: string): string {
  const n = runbookName(name, `${what} name`);
  return namespace ? `${runbookName(namespace, `${what} namespace`, 'dns1123-label')}/${n}` : n;
}
