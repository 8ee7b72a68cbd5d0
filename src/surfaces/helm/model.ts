import type { Location } from '../../core/finding.js';
import type { ObjectsContext } from '../../kube/objects.js';

/** A chart file of the change: `Chart.yaml`, `values*.yaml`, `templates/**`, `crds/**`. */
export type ChartFileKind = 'chart' | 'values' | 'template' | 'crd';

export interface ChartFile {
  /** The chart directory (where Chart.yaml is). */
  chart: string;
  kind: ChartFileKind;
  path: string;
  before?: string;
  after?: string;
}

export interface HelmContext extends ObjectsContext {
  charts: ChartFile[];
  /** Why charts were not rendered (helm missing), reported once. */
  renderer: { available: boolean; reason: string };
  /** Where to point a chart-level finding. */
  chartLocation(chart: string): Location;
  /**
   * Flux OCIRepositories (`namespace/name`) that hold a Helm chart: one a HelmRelease's `chartRef`
   * names (anywhere in the repository at head), or one whose layerSelector selects the Helm chart
   * media type. Their `ref.tag` is the chart's version.
   */
  chartSources: ReadonlySet<string>;
  /**
   * For each chart of this repository whose values the change modifies: the PersistentVolumeClaim
   * templates at the base whose name is templated (so follows `nameOverride`/`fullnameOverride`), and
   * whether Helm keeps them (`helm.sh/resource-policy: keep`).
   */
  namedClaims: ReadonlyMap<string, readonly ClaimTemplate[]>;
  /** Chart directories whose `Chart.lock` exists at head (the versions `helm dependency update` resolved). */
  lockedCharts: ReadonlySet<string>;
}

/** A PersistentVolumeClaim template whose name is a template expression. */
export interface ClaimTemplate {
  file: string;
  /** `helm.sh/resource-policy: keep`: Helm leaves the old claim in place when the release stops rendering it. */
  keep: boolean;
}

/**
 * The PersistentVolumeClaims a template file defines with a templated name, read without helm: each
 * YAML document of kind PersistentVolumeClaim whose `metadata.name` line holds a `{{ ... }}` action.
 * Whatever condition wraps it (`if .Values.persistence.enabled`) is not evaluated: such a claim may
 * render, so a rename may delete it.
 */
export function claimTemplates(file: string, text: string): ClaimTemplate[] {
  const out: ClaimTemplate[] = [];
  for (const doc of text.split(/^---(?:\s.*)?$/m)) {
    if (!/^kind:\s*["']?PersistentVolumeClaim["']?\s*$/m.test(doc)) continue;
    const meta = /^metadata:\s*\n((?:[ \t]+.*\n?|\s*\{\{.*\n?|\s*\n)*)/m.exec(doc)?.[1] ?? '';
    const name = /^[ \t]+name:\s*(.*)$/m.exec(meta)?.[1] ?? '';
    if (!name.includes('{{')) continue;
    out.push({ file, keep: /helm\.sh\/resource-policy["']?\s*:\s*["']?keep/.test(doc) });
  }
  return out;
}

/** Classifies a path as a chart file, given the directories that hold a Chart.yaml. */
export function chartFileOf(
  path: string,
  chartDirs: ReadonlySet<string>,
): { chart: string; kind: ChartFileKind } | undefined {
  const parts = path.split('/');
  for (let i = parts.length - 1; i >= 0; i--) {
    const dir = parts.slice(0, i).join('/');
    if (!chartDirs.has(dir)) continue;
    const rest = parts.slice(i);
    if (rest.length === 1 && /^Chart\.ya?ml$/.test(rest[0]!)) return { chart: dir, kind: 'chart' };
    if (rest.length === 1 && /^values([.-][\w.-]+)?\.ya?ml$/.test(rest[0]!)) return { chart: dir, kind: 'values' };
    if (rest[0] === 'templates') return { chart: dir, kind: 'template' };
    if (rest[0] === 'crds') return { chart: dir, kind: 'crd' };
    return undefined;
  }
  return undefined;
}

/**
 * Orders the pre-release parts of two versions of the same major.minor.patch as semver does: a
 * release is above its pre-releases (`1.6.0-rc4` < `1.6.0`), identifiers compare numerically when both
 * are numbers, else by text, and a numeric suffix of an identifier (`rc3` < `rc4` < `rc10`) by number.
 */
function comparePrerelease(from: string, to: string): number {
  const pre = (v: string) => /^v?\d+\.\d+\.\d+(?:-([0-9A-Za-z.-]+))?/.exec(v)?.[1];
  const a = pre(from);
  const b = pre(to);
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  const xs = a.split('.');
  const ys = b.split('.');
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    const x = xs[i];
    const y = ys[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const mx = /^(\D*)(\d+)$/.exec(x);
    const my = /^(\D*)(\d+)$/.exec(y);
    if (mx && my && mx[1] === my[1]) {
      const d = Number(mx[2]) - Number(my[2]);
      if (d) return d;
    } else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Semver distance between two versions: 'major' | 'minor' | 'patch' | 'other', the direction, and
 * whether the step may break what the old version wrote (`breaking`): a major step, or a minor step
 * under major version zero. SemVer 2.0.0 §4: "Major version zero (0.y.z) is for initial development.
 * Anything MAY change at any time": a 0.x minor is where pre-1.0 projects put their breaking changes
 * (Karpenter v0.28 needs the Machine CRD, which a Helm upgrade does not install), so a chart's 0.21 ->
 * 0.29 is judged as a major step is.
 */
export function semverDistance(from: string, to: string, breakingMinors?: readonly string[]): SemverStep {
  const p = (v: string) => /^v?(\d+)\.(\d+)\.(\d+)/.exec(v)?.slice(1).map(Number);
  const a = p(from);
  const b = p(to);
  if (!a || !b) return { level: 'other', down: false, breaking: false };
  const cmp = a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]! || comparePrerelease(from, to);
  const level = a[0] !== b[0] ? 'major' : a[1] !== b[1] ? 'minor' : a[2] !== b[2] ? 'patch' : 'other';
  if (level === 'minor' && a[0] === 0 && breakingMinors) {
    // A controller whose breaking 0.x minors are known: the step breaks when it crosses one of them.
    const [lo, hi] = [Math.min(a[1]!, b[1]!), Math.max(a[1]!, b[1]!)];
    const crosses = breakingMinors.find((v) => {
      const m = /^0\.(\d+)$/.exec(v);
      return m !== null && Number(m[1]) > lo && Number(m[1]) <= hi;
    });
    return { level, down: cmp > 0, breaking: crosses !== undefined, ...(crosses ? { crosses } : {}) };
  }
  const breaking = level === 'major' || (level === 'minor' && a[0] === 0);
  return { level, down: cmp > 0, breaking };
}

/**
 * A step between two versions (semverDistance). `crosses`: the known breaking 0.x minor it crosses,
 * when the controller's breaking minors were given.
 */
export type SemverStep = {
  level: 'major' | 'minor' | 'patch' | 'other';
  down: boolean;
  breaking: boolean;
  crosses?: string;
};

/** The step as messages name it: `major`, `minor`, `patch`, `other`, or a breaking 0.x minor. */
export function stepLabel(d: SemverStep): string {
  if (d.crosses) return `a 0.x minor across v${d.crosses}, a release that breaks a rollback`;
  return d.breaking && d.level === 'minor' ? 'a 0.x minor, which may break anything before 1.0' : d.level;
}

/**
 * How a chart version change is judged (shared with kustomize/helm-chart-changed): a downgrade, a
 * breaking bump (a major, or a minor under major version zero: a compatibility risk), or a
 * minor/patch/other change, by semver distance.
 */
export function versionVerdict(
  from: string,
  to: string,
  opts: { ownChart?: boolean } = {},
): { id: 'major' | 'minor' | 'downgrade'; level: string } {
  const d = semverDistance(from, to);
  // A chart's own version labels templates that are in the repository and assessed themselves: a 0.x
  // minor there is the author's label for the change the templates show, not a release of unknown content.
  const step = opts.ownChart && d.level !== 'major' ? { ...d, breaking: false } : d;
  return { id: step.down ? 'downgrade' : step.breaking ? 'major' : 'minor', level: stepLabel(step) };
}
