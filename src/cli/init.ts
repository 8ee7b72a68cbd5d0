/**
 * `rollwright init`: a starting `.rollwright.yaml` from what a repository holds. The files at HEAD are
 * listed once (git ls-tree), the YAML ones read through the batched blob reader for the markers of
 * each surface (a Flux or Argo CD object, a CRD, a policy, an encrypted secret), migrations named
 * by their framework, and environments found from folder names.
 */
import { listFiles } from '../git/history.js';
import { GitRepo } from '../git/repo.js';
import { recognise, type Framework } from '../surfaces/database/frameworks.js';

/** What `init` found in a repository. */
export interface Detected {
  /** Surface id -> how many files show it, in a fixed order. */
  surfaces: Array<{ id: string; what: string; files: number }>;
  /** Migration frameworks with the folders that hold their files. */
  migrations: Array<{ framework: Framework; dirs: string[] }>;
  /** Folders of SQL queries the application sends (`queries/`). */
  queries: string[];
  /** Environment name -> the globs of its folders. */
  environments: Array<{ name: string; paths: string[]; requireDeclaration: boolean }>;
}

/** Folder names that are environments wherever they appear. */
const ENV_NAMES = new Set([
  'prod',
  'production',
  'prd',
  'live',
  'staging',
  'stage',
  'stg',
  'preprod',
  'pre-prod',
  'uat',
  'qa',
  'test',
  'dev',
  'development',
  'sandbox',
]);
/** Folders whose children are environments (or clusters) whatever their names. */
const ENV_CONTAINERS = new Set(['clusters', 'environments', 'envs', 'overlays']);
const PRODUCTION = /^(prod|production|prd|live)$/;
/** Above this many folders for one environment, one `**\/<name>/**` glob stands for them. */
const MAX_ENV_GLOBS = 6;
/** YAML files read for markers; beyond this, only names count. */
const MAX_YAML_READ = 5000;

const MARKERS: Array<{ id: string; what: string; test: (path: string, text: string) => boolean }> = [
  { id: 'argocd', what: 'Argo CD Applications', test: (_, t) => /apiVersion:\s*argoproj\.io\/v1alpha1\s*\n(?:.*\n)*?kind:\s*(Application|ApplicationSet|AppProject)\b/.test(t) || /kind:\s*(Application|ApplicationSet)\s*\n(?:.*\n)*?apiVersion:\s*argoproj\.io/.test(t) },
  { id: 'flux', what: 'Flux objects', test: (_, t) => /apiVersion:\s*[a-z.]*toolkit\.fluxcd\.io\//.test(t) },
  { id: 'rollouts', what: 'Argo Rollouts', test: (_, t) => /kind:\s*(Rollout|AnalysisTemplate)\b/.test(t) && /argoproj\.io/.test(t) },
  { id: 'crd', what: 'CustomResourceDefinitions', test: (_, t) => /kind:\s*CustomResourceDefinition\b/.test(t) },
  { id: 'policy', what: 'admission policies', test: (_, t) => /apiVersion:\s*(kyverno\.io|templates\.gatekeeper\.sh|constraints\.gatekeeper\.sh)\/|kind:\s*ValidatingAdmissionPolicy\b/.test(t) },
  { id: 'secrets', what: 'encrypted or external secrets', test: (_, t) => /^sops:\s*$/m.test(t) || /kind:\s*(SealedSecret|ExternalSecret)\b/.test(t) },
  { id: 'kustomize', what: 'kustomizations', test: (p) => /(^|\/)kustomization\.ya?ml$/i.test(p) },
  { id: 'helm', what: 'Helm charts', test: (p) => /(^|\/)Chart\.yaml$/.test(p) },
  { id: 'kubernetes', what: 'Kubernetes manifests', test: (_, t) => /^apiVersion:\s*\S+/m.test(t) && /^kind:\s*\S+/m.test(t) },
];

export async function detectRepository(dir: string): Promise<Detected> {
  const repo = await GitRepo.open(dir);
  try {
    await repo.resolveHead('HEAD', '--repo');
    const files = await listFiles(repo.dir, 'HEAD');
    const counts = new Map<string, number>();
    const bump = (id: string) => counts.set(id, (counts.get(id) ?? 0) + 1);
    let read = 0;
    for (const path of files) {
      if (/\.(tf|tofu)$/.test(path)) bump('terraform');
      if (/\.rego$/.test(path)) bump('policy');
      if (!/\.ya?ml$/i.test(path)) continue;
      const text = read++ < MAX_YAML_READ ? ((await repo.readText('head', path)) ?? '') : '';
      for (const m of MARKERS) if (m.test(path, text)) bump(m.id);
    }
    const surfaces = [
      ...MARKERS.map((m) => ({ id: m.id, what: m.what })),
      { id: 'terraform', what: 'Terraform/OpenTofu files' },
    ]
      .map((s) => ({ ...s, files: counts.get(s.id) ?? 0 }))
      .filter((s) => s.files > 0);

    const byFramework = new Map<Framework, Set<string>>();
    const queries = new Set<string>();
    for (const path of files) {
      if (!/\.sql$/i.test(path)) continue;
      const dirOf = path.slice(0, Math.max(0, path.lastIndexOf('/')));
      if (/(^|\/)queries$/.test(dirOf)) {
        queries.add(`${dirOf}/*.sql`);
        continue;
      }
      const m = recognise(path, undefined, []);
      if (!m) continue;
      const set = byFramework.get(m.framework) ?? new Set<string>();
      set.add(m.dir || '.');
      byFramework.set(m.framework, set);
    }
    const migrations = [...byFramework]
      .map(([framework, dirs]) => ({ framework, dirs: [...dirs].sort() }))
      .sort((a, b) => (a.framework < b.framework ? -1 : 1));
    const migrationFiles = files.filter((p) => /\.sql$/i.test(p) && recognise(p, undefined, []) !== undefined).length;
    if (migrationFiles) surfaces.push({ id: 'database', what: 'SQL migrations', files: migrationFiles });

    return { surfaces, migrations, queries: [...queries].sort(), environments: environmentsOf(files) };
  } finally {
    repo.close();
  }
}

/** Environments from folder names: a known name anywhere, or any child of clusters/, environments/, envs/, overlays/. */
export function environmentsOf(files: readonly string[]): Detected['environments'] {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const prefixes = new Map<string, Set<string>>();
  for (const d of dirs) {
    const parts = d.split('/');
    const name = parts[parts.length - 1]!;
    const parent = parts[parts.length - 2];
    if (name.startsWith('.')) continue;
    // A known name below another environment folder (clusters/prod/staging-tools) is part of it.
    const outer = parts.slice(0, -1).some((p, i) => ENV_NAMES.has(p.toLowerCase()) || (i > 0 && ENV_CONTAINERS.has(parts[i - 1]!)));
    if (outer) continue;
    if (ENV_NAMES.has(name.toLowerCase()) || (parent !== undefined && ENV_CONTAINERS.has(parent))) {
      const set = prefixes.get(name) ?? new Set<string>();
      set.add(`${d}/**`);
      prefixes.set(name, set);
    }
  }
  return [...prefixes]
    .map(([name, set]) => {
      const paths = [...set].sort();
      return {
        name,
        paths: paths.length > MAX_ENV_GLOBS ? [`**/${name}/**`] : paths,
        requireDeclaration: PRODUCTION.test(name.toLowerCase()),
      };
    })
    .sort((a, b) => Number(b.requireDeclaration) - Number(a.requireDeclaration) || (a.name < b.name ? -1 : 1));
}

/** The text of a starting `.rollwright.yaml`, with the schema line first and comments on each part. */
export function renderInitConfig(d: Detected, schemaUrl: string, kubernetesVersion = '1.34'): string {
  const q = (s: string) => JSON.stringify(s);
  const list = (items: readonly string[]) => `[${items.map(q).join(', ')}]`;
  const out: string[] = [
    `# yaml-language-server: $schema=${schemaUrl}`,
    '# rollwright configuration, started by `rollwright init`. rollwright reads it at the head revision',
    '# of the range it assesses: commit it. Every key: docs/configuration.md (rollwright).',
  ];
  if (d.surfaces.length) {
    out.push('#', '# Found in this repository:');
    for (const s of d.surfaces) out.push(`#   ${s.what}: ${s.files} file${s.files === 1 ? '' : 's'} (surface ${s.id})`);
    for (const m of d.migrations) out.push(`#   ${m.framework} migrations in ${m.dirs.join(', ')}`);
  }
  out.push(
    'kubernetes:',
    '  # The Kubernetes version the clusters run; quoted, so that "1.30" is not read as the number 1.3.',
    `  version: ${q(kubernetesVersion)}`,
  );
  if (d.environments.length) {
    out.push(
      '# A change touching a path of an environment changes that environment. A production change must',
      '# carry a declaration (how it would be undone): .rollwright/changes/<id>.yaml or Rollback-* trailers.',
      'environments:',
    );
    for (const e of d.environments)
      out.push(`  ${/^[A-Za-z0-9_-]+$/.test(e.name) ? e.name : q(e.name)}:`, `    paths: ${list(e.paths)}`, `    requireDeclaration: ${e.requireDeclaration}`);
  } else {
    out.push(
      '# No environment folders found: the defaults apply (**/prod/**, **/production/**, **/prd/** are prod;',
      '# staging and dev likewise). Name your environments here to change them:',
      '# environments:',
      '#   prod:',
      '#     paths: ["clusters/prod/**"]',
      '#     requireDeclaration: true',
    );
  }
  const plain = d.migrations.filter((m) => m.framework === 'plain').flatMap((m) => m.dirs.map((x) => `${x}/*.sql`));
  if (plain.length || d.queries.length) {
    out.push('database:', '  dialect: postgres');
    if (plain.length) out.push('  # Plain ordered migrations (no framework recognised by name).', `  migrations: ${list(plain)}`);
    if (d.queries.length)
      out.push(
        '  # The queries the application sends: `rehearse` prepares each against the new schema.',
        `  queries: ${list(d.queries)}`,
      );
  }
  out.push(
    '# Findings a person has judged safe: still reported, marked ignored with the reason, out of the gate.',
    '# ignore:',
    '#   - paths: ["vendor/**"]',
    '#     rules: [kubernetes/mutable-image-tag]',
    '#     reason: third-party manifests, pinned by the vendoring tool',
    '# Per rule: off, a severity, or {severity, options}; `rollwright rules` lists them.',
    '# rules:',
    '#   kubernetes/mutable-image-tag: error',
  );
  return out.join('\n') + '\n';
}
